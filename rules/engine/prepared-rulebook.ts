import type { Clause, Rulebook, Section } from '../rulebook.ts';
import { shortfallBelow } from './threshold-shortfall.ts';
import { isMeasurement } from '../clause-kinds.ts';

/**
 * What the engine needs of a rulebook, worked out once per rulebook and indexed by small
 * integers, so that scoring a finding is array reads instead of lookups, `find`s and string keys.
 */
export interface PreparedRulebook {
  readonly rulebook: Rulebook;
  readonly clauseIndex: ReadonlyMap<string, number>;
  readonly clauses: readonly Clause[];
  /** 1 when the clause is a deduction (inspection doubling applies). */
  readonly deduction: Uint8Array;
  /** 1 when repeat escalation applies to findings under the clause. */
  readonly escalates: Uint8Array;
  /** 1 for threshold clauses (one measurement per unit, clause and month). */
  readonly measured: Uint8Array;
  /** The clause's section, as an index into `sectionIds`. */
  readonly sectionOf: Int32Array;
  readonly sectionIds: readonly string[];
  /** Index into `disqualificationIds` of what a counted non-zero finding under the clause disqualifies from; −1 for none. */
  readonly clauseDisqualifies: Int32Array;
  /** Index into `disqualificationIds` of what a deduction in the clause's section disqualifies from; −1 for none. */
  readonly sectionDisqualifies: Int32Array;
  /** In the rulebook's order, which is the order `disqualified` lists them in. */
  readonly disqualificationIds: readonly string[];
  /** Per tiered clause: level id → amount. */
  readonly levelAmounts: ReadonlyArray<ReadonlyMap<string, number> | null>;
  /** Per group: its sections and their indices into `sectionIds`. */
  readonly groupSections: ReadonlyMap<string, { sections: readonly Section[]; indices: Int32Array }>;
  readonly inspectionSources: readonly string[];
  readonly inspectionMultiplier: number;
  readonly repeatBase: number;
  readonly overdueOnDeadlineDay: boolean;
  /** Per threshold clause: measured value → shortfall (measurements repeat; the exact decimal arithmetic is not cheap). */
  readonly shortfalls: ReadonlyArray<Map<number, number> | null>;
}

const prepared = new WeakMap<Rulebook, PreparedRulebook>();

/** Distinct measured values remembered per threshold clause; beyond that each is computed afresh. */
const SHORTFALL_CACHE_LIMIT = 4096;

export function prepareRulebook(rulebook: Rulebook): PreparedRulebook {
  const hit = prepared.get(rulebook);
  if (hit) return hit;
  const s = rulebook.settings;
  const kinds = new Set<string>(s.repeatEscalation.appliesToKinds);
  const clauses = [...rulebook.clauses.values()];
  const sectionIds = [...rulebook.sections.keys()];
  const sectionIndex = new Map(sectionIds.map((id, i) => [id, i] as const));
  const disqualificationIds = rulebook.data.disqualifications.map((d) => d.id);
  const disqIndex = (id: string | undefined) => (id === undefined ? -1 : disqualificationIds.indexOf(id));
  const n = clauses.length;
  if (n > 0xffff) throw new Error(`rulebook ${rulebook.id} has ${n} clauses; the engine indexes at most 65 535`);
  const p: PreparedRulebook = {
    rulebook,
    clauseIndex: new Map(clauses.map((c, i) => [c.id, i] as const)),
    clauses,
    deduction: new Uint8Array(n),
    escalates: new Uint8Array(n),
    measured: new Uint8Array(n),
    sectionOf: new Int32Array(n),
    sectionIds,
    clauseDisqualifies: new Int32Array(n),
    sectionDisqualifies: new Int32Array(n),
    disqualificationIds,
    levelAmounts: clauses.map((c) =>
      c.kind === 'tiered' ? new Map(c.levels.map((l) => [l.id, l.amount] as const)) : null,
    ),
    groupSections: new Map(
      rulebook.groupIds.map((g) => {
        const sections = rulebook.sectionsFor(g);
        return [g, { sections, indices: Int32Array.from(sections, (x) => sectionIndex.get(x.id)!) }] as const;
      }),
    ),
    inspectionSources: [...s.inspection.sources],
    inspectionMultiplier: s.inspection.multiplier,
    repeatBase: s.repeatEscalation.base,
    overdueOnDeadlineDay: s.repeatEscalation.overdueOnDeadlineDay,
    shortfalls: clauses.map((c) => (c.kind === 'threshold' ? new Map<number, number>() : null)),
  };
  clauses.forEach((clause, i) => {
    const deduction = rulebook.isDeductionClause(clause);
    p.deduction[i] = deduction ? 1 : 0;
    const escalates = deduction && kinds.has(clause.kind) && (!isMeasurement(clause) || s.threshold.repeatEscalation);
    p.escalates[i] = escalates ? 1 : 0;
    p.measured[i] = isMeasurement(clause) ? 1 : 0;
    const section = sectionIndex.get(clause.section);
    if (section === undefined) throw new Error(`clause ${clause.id} is in unknown section ${clause.section}`);
    p.sectionOf[i] = section;
    p.clauseDisqualifies[i] = disqIndex(clause.disqualifies);
    p.sectionDisqualifies[i] = disqIndex(rulebook.sections.get(clause.section)?.deductionDisqualifies);
  });
  prepared.set(rulebook, p);
  return p;
}

/** Full points of `value` below the clause's threshold (see shortfallBelow), remembered per clause. */
export function shortfallOf(p: PreparedRulebook, clauseIndex: number, threshold: number, value: number): number {
  const cache = p.shortfalls[clauseIndex]!;
  let v = cache.get(value);
  if (v === undefined) {
    v = shortfallBelow(threshold, value, p.rulebook.settings.threshold.rounding);
    if (cache.size < SHORTFALL_CACHE_LIMIT) cache.set(value, v);
  }
  return v;
}
