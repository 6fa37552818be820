import { yearOf } from '../rules/dates.ts';
import type { Rulebook } from '../rules/rulebook.ts';
import { type Assessment, type AssessmentDeps, createAssessment } from './assessment.ts';
import { AppError, err } from './errors.ts';
import { parseFindingRef } from './finding-ref.ts';
import { isoDateSchema } from './inputs.schema.ts';
import type { AssessmentStore } from './ports/assessment-store.port.ts';

// Several assessment years side by side in one deployment (the turn of the year: December is
// closed and published while January's findings are filed). Each year is a whole Assessment over
// its own rulebook and ledger cache; this file only chooses which year a call is about, so no use
// case takes a year. The choice, from the call's arguments after the actor, first match:
//   cmd.year · cmd.month / cmd.period ('YYYY-MM' or 'YYYY') · cmd.date · cmd.asOf
//   · a civil-date argument                                                          → that year
//   cmd.findingId or a finding-reference argument                                    → the finding's year
//   cmd.rows (an import)                                                             → its first row's
//   nothing                                                                           → the year of today
// A year the deployment has no rulebook for is refused (YEAR.NO_RULEBOOK), changing nothing.
// Filing without a date is about today. Membership is the same in every year (today's year).

export type AssessmentYearsDeps = Omit<AssessmentDeps, 'rulebook'> & {
  /** One rulebook per year, consecutive, all with the same id (rules/rulebook-years.ts). */
  rulebooks: readonly Rulebook[];
};

/** Modules whose use cases concern no year: answered by today's year. */
const YEARLESS = new Set(['membership']);

/**
 * One Assessment over all the years: its use cases go to the year their arguments concern;
 * `rulebook`, `year` and `rulebookId` are today's year's (the nearest year held when today is
 * outside them). `forYear` gives a year's own Assessment.
 */
export function createAssessmentYears(deps: AssessmentYearsDeps): Assessment {
  const { rulebooks, ...shared } = deps;
  if (rulebooks.length === 0) throw new Error('no rulebook');
  const byYear = new Map<number, Assessment>();
  for (const rulebook of rulebooks) {
    if (rulebook.id !== rulebooks[0]!.id)
      throw new Error(`the years' rulebooks must share one id: ${rulebook.id} beside ${rulebooks[0]!.id}`);
    if (byYear.has(rulebook.data.year)) throw new Error(`two rulebooks for ${rulebook.data.year}`);
    byYear.set(rulebook.data.year, createAssessment({ ...shared, rulebook }));
  }
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const first = byYear.get(years[0]!)!;
  const last = byYear.get(years[years.length - 1]!)!;
  const today = first.today;
  const current = (): Assessment => {
    const y = yearOf(today());
    return byYear.get(y) ?? (y < first.year ? first : last);
  };
  const noRulebook = (year: number, field: string | undefined) =>
    err(
      new AppError('YEAR.NO_RULEBOOK', `no rulebook for ${year} (held: ${years.join(', ')})`, {
        ...(field ? { field } : {}),
        params: { year: String(year), years: years.join(', ') },
      }),
    );

  type Route = Assessment | { year: number; field: string | undefined };
  const route = async (module: string, fn: string, args: unknown[]): Promise<Route> => {
    if (YEARLESS.has(module)) return current();
    const key = routeKey(args.slice(1), module === 'findings' && fn === 'file' ? today() : null);
    if (key === null) return current();
    const year = 'year' in key ? key.year : await findingYear(deps.store, rulebooks[0]!.id, key.finding);
    if (year === null) return current(); // not found: the use case says so
    return byYear.get(year) ?? { year, field: 'field' in key ? key.field : undefined };
  };

  const facade = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(first)) {
    if (!isModule(value)) continue;
    const routed: Record<string, unknown> = {};
    for (const fn of Object.keys(value))
      routed[fn] = async (...args: unknown[]) => {
        const target = await route(name, fn, args);
        if ('field' in target) return noRulebook(target.year, target.field);
        const m = (target as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[name]!;
        return m[fn]!(...args);
      };
    facade[name] = routed;
  }
  return Object.defineProperties(facade, {
    rulebook: { get: () => current().rulebook, enumerable: true },
    rulebookId: { value: first.rulebookId, enumerable: true },
    year: { get: () => current().year, enumerable: true },
    years: { value: years, enumerable: true },
    today: { value: today, enumerable: true },
    forYear: { value: (year: number) => byYear.get(year), enumerable: true },
  }) as unknown as Assessment;
}

/**
 * Copies an Assessment with extra fields, keeping its live properties live (a spread would freeze
 * today's year at the moment of copying).
 */
export function withAssessment<A extends object, T extends object>(a: A, extra: T): A & T {
  return Object.defineProperties(
    {},
    { ...Object.getOwnPropertyDescriptors(a), ...Object.getOwnPropertyDescriptors(extra) },
  ) as A & T;
}

function isModule(v: unknown): v is Record<string, (...a: unknown[]) => unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    Object.values(v).length > 0 &&
    Object.values(v).every((f) => typeof f === 'function')
  );
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const YEAR = /^\d{4}$/;

type RouteKey = { year: number; field?: string } | { finding: string };

/** The year a call concerns (and the field that says so), a finding reference to look up, or null (today's year). */
function routeKey(args: readonly unknown[], defaultDate: string | null): RouteKey | null {
  for (const a of args) {
    if (typeof a === 'string') {
      const y = dateYear(a);
      if (y !== null) return { year: y };
      if (parseFindingRef(a)) return { finding: a };
    } else if (typeof a === 'object' && a !== null) {
      const c = a as Record<string, unknown>;
      if (typeof c.year === 'number' && Number.isInteger(c.year)) return { year: c.year, field: 'year' };
      for (const field of ['month', 'period'] as const) {
        const v = c[field];
        if (typeof v === 'string' && (MONTH.test(v) || YEAR.test(v))) return { year: Number(v.slice(0, 4)), field };
      }
      for (const field of ['date', 'asOf'] as const) {
        const y = typeof c[field] === 'string' ? dateYear(c[field]) : null;
        if (y !== null) return { year: y, field };
      }
      if (typeof c.findingId === 'string' && parseFindingRef(c.findingId)) return { finding: c.findingId };
      // a batch (import) belongs to the year of its first row; rows of another year are refused by it
      if (Array.isArray(c.rows) && c.rows.length > 0) return routeKey([c.rows[0]], defaultDate);
    }
  }
  const y = defaultDate === null ? null : dateYear(defaultDate);
  return y === null ? null : { year: y, field: 'date' };
}

function dateYear(s: string): number | null {
  return isoDateSchema.safeParse(s).success ? yearOf(s) : null;
}

async function findingYear(store: AssessmentStore, rulebookId: string, raw: string): Promise<number | null> {
  const ref = parseFindingRef(raw);
  if (!ref) return null;
  const f = ref.kind === 'id' ? await store.getFinding(ref.id) : await store.getFindingBySeq(ref.seq);
  return f && f.rulebookId === rulebookId ? f.year : null;
}
