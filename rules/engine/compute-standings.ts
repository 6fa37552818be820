import type { Rulebook } from '../rulebook.ts';
import type {
  EngineFinding,
  FindingResult,
  GroupResult,
  SectionResult,
  Standings,
  StandingsInput,
  UnitStanding,
} from './types.ts';
import { type PreparedRulebook, prepareRulebook } from './prepared-rulebook.ts';
import { dayKey, FindingColumns } from './finding-columns.ts';
import { scoreRange, type UnitTotals } from './score-range.ts';
import { codePointCompare } from './code-point-order.ts';

export { codePointCompare } from './code-point-order.ts';
export { isOverdue } from './overdue.ts';

/**
 * The scoring engine: rulebook + validated findings + as-of date → standings. Pure: no I/O, no
 * clock; the result depends only on the arguments (not on the order of `findings`).
 *
 * Totals, sections, ranks and the quota come from one compact pass over the findings as columns
 * (finding-columns.ts, score-range.ts). Each unit's `findings` — every finding's result and
 * explanation — is built the first time it is read, from the same finding objects, and then
 * kept: a caller must not change the findings it passed in while it still reads the standings.
 */

/** Work space, reused (the engine is synchronous): one set of columns per unit being scored. */
const unitColumns: FindingColumns[] = [];
/** Separate columns for explanations, which are built later, one unit at a time. */
const explainColumns = new FindingColumns();

export function computeStandings(rulebook: Rulebook, input: StandingsInput): Standings {
  const rb = prepareRulebook(rulebook);
  const assessed = [...new Set(input.units)];
  const groups = assessed.map((unit) => groupOf(rulebook, unit));
  const unitIndex = new Map(assessed.map((u, i) => [u, i] as const));
  while (unitColumns.length < assessed.length) unitColumns.push(new FindingColumns());
  for (let u = 0; u < assessed.length; u++) unitColumns[u]!.reset(0);
  // One pass over the findings, in the order they lie in memory: each scored finding's columns
  // are appended to its unit's, so a unit's findings lie together when it is scored.
  const findings = input.findings;
  const asOf = dayKey(input.asOf);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const u = unitIndex.get(f.unit);
    if (u === undefined) continue;
    const d = dayKey(f.date);
    if (d <= asOf) unitColumns[u]!.push(rb, f, i, d);
  }
  const units = assessed.map((unit, u) => {
    const cols = unitColumns[u]!;
    const totals = scoreRange(rb, cols, findings, null);
    const picked = cols.src.slice(0, cols.length);
    return unitStanding(rb, unit, groups[u]!, totals, () => explainUnit(rb, findings, picked, input.asOf));
  });
  return rankStandings(rulebook, { year: input.year, asOf: input.asOf, units });
}

/**
 * One unit's standing before ranking (rank 0, not advanced). A unit's score depends only on its
 * own findings — supersession and repeats never cross units — so callers may cache per unit and
 * rescore only the units whose findings changed. `findings` may include other dates; those after
 * `asOf` are ignored.
 */
export function scoreUnit(
  rulebook: Rulebook,
  unit: string,
  unitFindings: readonly EngineFinding[],
  asOf: string,
): UnitStanding {
  const group = groupOf(rulebook, unit);
  const rb = prepareRulebook(rulebook);
  const last = dayKey(asOf);
  const cols = explainColumns;
  cols.reset(unitFindings.length);
  for (let i = 0; i < unitFindings.length; i++) {
    const f = unitFindings[i]!;
    const d = dayKey(f.date);
    if (d > last) continue;
    cols.push(rb, f, i, d);
    if (f.unit !== unit) throw new Error(`finding ${f.id} of ${f.unit} given as ${unit}'s`);
  }
  const totals = scoreRange(rb, cols, unitFindings, null);
  const picked = cols.src.slice(0, cols.length);
  return unitStanding(rb, unit, group, totals, () => explainUnit(rb, unitFindings, picked, asOf));
}

/**
 * The results of some of one unit's findings as of a day, explained, without the unit's totals:
 * what scoreUnit(...).findings gives for them, for a caller that shows findings, not a standing.
 * Each result depends only on its own clause's findings (repeat chains and supersession never
 * cross clauses), so a clause's findings alone explain that clause's results.
 */
export function explainFindings(
  rulebook: Rulebook,
  unit: string,
  unitFindings: readonly EngineFinding[],
  asOf: string,
  /** only this finding's result (the others are still scored: they decide it) */
  onlyId?: string,
): FindingResult[] {
  const rb = prepareRulebook(rulebook);
  const last = dayKey(asOf);
  const picked: number[] = [];
  for (let i = 0; i < unitFindings.length; i++) {
    const f = unitFindings[i]!;
    if (f.unit !== unit) throw new Error(`finding ${f.id} of ${f.unit} given as ${unit}'s`);
    if (dayKey(f.date) <= last) picked.push(i);
  }
  return explainUnit(rb, unitFindings, Int32Array.from(picked), asOf, onlyId);
}

function groupOf(rulebook: Rulebook, unit: string): string {
  const data = rulebook.units.get(unit);
  if (!data) throw new Error(`engine received unknown unit ${unit}`);
  return data.group;
}

/** Every result of one unit, with its explanation, in date-then-filing order. */
function explainUnit(
  rb: PreparedRulebook,
  findings: readonly EngineFinding[],
  picked: Int32Array,
  asOf: string,
  onlyId?: string,
): FindingResult[] {
  const cols = explainColumns;
  cols.reset(picked.length);
  for (let j = 0; j < picked.length; j++) {
    const f = findings[picked[j]!]!;
    cols.push(rb, f, picked[j]!, dayKey(f.date));
  }
  const out: FindingResult[] = [];
  scoreRange(rb, cols, findings, { asOf, out, ...(onlyId !== undefined ? { onlyId } : {}) });
  return out;
}

/**
 * Ranks scored units within their groups and chooses the advanced units. Sets `rank` and
 * `advanced` on the given standings (every one of them, so re-ranking cached standings is safe).
 */
export function rankStandings(
  rulebook: Rulebook,
  input: { year: number; asOf: string; units: readonly UnitStanding[] },
): Standings {
  const groups: Record<string, GroupResult> = {};
  const ordered: UnitStanding[] = [];
  for (const u of input.units) {
    u.rank = 0;
    u.advanced = false;
  }
  for (const group of rulebook.groupIds) {
    const members = input.units
      .filter((u) => u.group === group)
      .sort((a, b) => b.total - a.total || codePointCompare(a.unit, b.unit));
    let rank = 0;
    members.forEach((u, i) => {
      if (i === 0 || u.total !== members[i - 1]!.total) rank = i + 1;
      u.rank = rank;
    });
    groups[group] = chooseAdvanced(group, members, rulebook.settings.advanced);
    ordered.push(...members);
  }
  return { rulebook: rulebook.id, year: input.year, asOf: input.asOf, units: ordered, groups };
}

function unitStanding(
  rb: PreparedRulebook,
  unit: string,
  group: string,
  t: UnitTotals,
  explain: () => FindingResult[],
): UnitStanding {
  const rulebook = rb.rulebook;
  const s = rulebook.settings;
  const { deductions, bonuses } = t;
  const base = rulebook.baseFor(group);
  const forGroup = rb.groupSections.get(group);
  let overflow = 0;
  const sections: SectionResult[] = (forGroup?.sections ?? []).map((sec, j) => {
    const ded = t.sectionDeductions[forGroup!.indices[j]!]!;
    const score = Math.max(s.sectionCap.floor, sec.full - ded);
    const over = Math.max(0, ded - (sec.full - s.sectionCap.floor));
    overflow += over;
    return { id: sec.id, full: sec.full, score, deductions: ded, overflow: over };
  });
  const countedBonuses = s.bonusCap === null ? bonuses : Math.min(bonuses, s.bonusCap);
  const total = s.sectionCap.overflowComesOffTotal
    ? base - deductions + countedBonuses
    : sections.reduce((a, x) => a + x.score, 0) + countedBonuses;
  const standing = {
    unit,
    group,
    base,
    total,
    deductions,
    bonuses,
    overflow,
    sections,
    disqualified: rb.disqualificationIds.filter((_, i) => t.disqualified[i] === 1),
    rank: 0,
    advanced: false,
  } as Omit<UnitStanding, 'findings'> as UnitStanding;
  // Built on first read, then kept; assignable like any property.
  let findings: FindingResult[] | undefined;
  Object.defineProperty(standing, 'findings', {
    enumerable: true,
    configurable: true,
    get: () => (findings ??= explain()),
    set: (v: FindingResult[]) => {
      findings = v;
    },
  });
  return standing;
}

/** The number of advanced places of a group of `assessed` units under the rulebook's settings. */
export function advancedQuota(rulebook: Rulebook, assessed: number): number {
  const cfg = rulebook.settings.advanced;
  return quotaOf(assessed, cfg.quotaPercent, cfg.quotaRounding);
}

function quotaOf(n: number, percent: number, rounding: 'floor' | 'ceil' | 'round'): number {
  const exact = (n * percent) / 100;
  const f = rounding === 'floor' ? Math.floor : rounding === 'ceil' ? Math.ceil : Math.round;
  return f(exact + (rounding === 'floor' ? 1e-9 : rounding === 'ceil' ? -1e-9 : 0));
}

function chooseAdvanced(group: string, ranked: UnitStanding[], cfg: Rulebook['settings']['advanced']): GroupResult {
  const quota = quotaOf(ranked.length, cfg.quotaPercent, cfg.quotaRounding);
  const eligible = ranked.filter((u) => cfg.disqualifiedMayBeAdvanced || u.disqualified.length === 0);
  let chosen = eligible.slice(0, quota);
  let tiedAtCut = false;
  if (chosen.length > 0 && chosen.length === quota) {
    const cut = chosen[chosen.length - 1]!.total;
    const tied = eligible.slice(quota).filter((u) => u.total === cut);
    if (tied.length > 0) {
      tiedAtCut = true;
      chosen = cfg.tiesAtCut === 'include_all_tied' ? [...chosen, ...tied] : chosen.filter((u) => u.total !== cut);
    }
  }
  for (const u of chosen) u.advanced = true;
  return {
    group,
    assessed: ranked.length,
    quota,
    advanced: chosen.map((u) => u.unit),
    tiedAtCut,
    cutScore: chosen.length ? chosen[chosen.length - 1]!.total : null,
  };
}
