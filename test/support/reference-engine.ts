// biome-ignore-all lint/suspicious/noAssignInExpressions: a frozen copy, kept exactly as the engine was
// FROZEN COPY of rules/engine/compute-standings.ts as of main 2967a69, before the engine was
// rewritten for speed. It is the reference the new engine is proved against (the property test
// test/rules/engine-equivalence.property.test.ts and bench/score-equivalence.ts); do not edit it
// to follow engine changes, and never import it from production code.
import type { Clause, Rulebook } from '../../rules/rulebook.ts';
import { monthOf } from '../../rules/dates.ts';
import type {
  EngineFinding,
  FindingReason,
  FindingResult,
  GroupResult,
  SectionResult,
  Standings,
  StandingsInput,
  UnitStanding,
} from '../../rules/engine/types.ts';

/**
 * The scoring engine: rulebook + validated findings + as-of date → standings. Pure: no I/O, no
 * clock; the result depends only on the arguments (not on the order of `findings`).
 */
interface ClauseInfo {
  clause: Clause;
  deduction: boolean;
  /** Whether repeat escalation applies to findings under this clause. */
  escalates: boolean;
}

const clauseInfoCache = new WeakMap<Rulebook, Map<string, ClauseInfo>>();

function clauseInfo(rulebook: Rulebook): Map<string, ClauseInfo> {
  let m = clauseInfoCache.get(rulebook);
  if (!m) {
    const s = rulebook.settings;
    const kinds = new Set<string>(s.repeatEscalation.appliesToKinds);
    m = new Map();
    for (const clause of rulebook.clauses.values()) {
      const deduction = rulebook.isDeductionClause(clause);
      m.set(clause.id, {
        clause,
        deduction,
        escalates: deduction && kinds.has(clause.kind) && (clause.kind !== 'threshold' || s.threshold.repeatEscalation),
      });
    }
    clauseInfoCache.set(rulebook, m);
  }
  return m;
}

/** A two-level map (unit → clause → T); the keys' cached string hashes make lookups cheap. */
class ByUnitClause<T> {
  private readonly m = new Map<string, Map<string, T>>();
  get(unit: string, clause: string): T | undefined {
    return this.m.get(unit)?.get(clause);
  }
  getOrCreate(unit: string, clause: string, make: () => T): T {
    let inner = this.m.get(unit);
    if (!inner) this.m.set(unit, (inner = new Map()));
    let v = inner.get(clause);
    if (v === undefined) inner.set(clause, (v = make()));
    return v;
  }
  *values(): IterableIterator<T> {
    for (const inner of this.m.values()) yield* inner.values();
  }
}

export function computeStandings(rulebook: Rulebook, input: StandingsInput): Standings {
  const assessed = new Set(input.units);
  const byUnit = new Map<string, EngineFinding[]>();
  for (const u of assessed) byUnit.set(u, []);
  for (const f of input.findings) byUnit.get(f.unit)?.push(f);
  const units = [...assessed].map((u) => scoreUnit(rulebook, u, byUnit.get(u)!, input.asOf));
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
  const data = rulebook.units.get(unit);
  if (!data) throw new Error(`engine received unknown unit ${unit}`);
  const infos = clauseInfo(rulebook);
  const findings = sortByDateThenFiling(unitFindings.filter((f) => f.date <= asOf));
  for (const f of findings) {
    if (!infos.has(f.clause)) throw new Error(`engine received unvalidated clause ${f.clause}`);
    if (f.unit !== unit) throw new Error(`finding ${f.id} of ${f.unit} given as ${unit}'s`);
  }
  const supersededBy = thresholdSupersession(infos, findings);
  const repeats = repeatIndex(infos, findings);
  const results = findings.map((f) =>
    scoreFinding(rulebook, infos.get(f.clause)!, f, asOf, supersededBy.get(f.id), repeats),
  );
  return unitStanding(rulebook, unit, data.group, results);
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

/** 'YYYY-MM-DD' → YYYYMMDD without allocating. */
function ymd(d: string): number {
  const c = (i: number) => d.charCodeAt(i) - 48;
  return (
    c(0) * 10_000_000 + c(1) * 1_000_000 + c(2) * 100_000 + c(3) * 10_000 + c(5) * 1000 + c(6) * 100 + c(8) * 10 + c(9)
  );
}

/**
 * Sorts by date, then filing order, then id: bucket by day (a year has at most 366), then sort
 * each day's few findings — far cheaper than one comparison sort over the whole year.
 */
function sortByDateThenFiling(findings: EngineFinding[]): EngineFinding[] {
  const byDay = new Map<number, EngineFinding[]>();
  for (const f of findings) {
    const day = ymd(f.date);
    const bucket = byDay.get(day);
    if (bucket) bucket.push(f);
    else byDay.set(day, [f]);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const out: EngineFinding[] = [];
  for (const day of days) {
    const bucket = byDay.get(day)!;
    if (bucket.length > 1) bucket.sort(byDateThenFiling);
    for (const f of bucket) out.push(f);
  }
  return out;
}

/**
 * Overdue on `day`: a deadline before that day (or on it, if the rulebook says so) and no verified
 * rectification submitted on or before the deadline. Withdrawn findings are never overdue. The one
 * definition the engine, the views and the reports share.
 */
export function isOverdue(
  rulebook: Rulebook,
  f: Pick<EngineFinding, 'deadline' | 'rectifiedOn' | 'withdrawn'>,
  day: string,
): boolean {
  if (f.withdrawn || f.deadline === null) return false;
  const past = f.deadline < day || (rulebook.settings.repeatEscalation.overdueOnDeadlineDay && f.deadline === day);
  return past && !(f.rectifiedOn !== null && f.rectifiedOn <= f.deadline);
}

export function byDateThenFiling(a: EngineFinding, b: EngineFinding): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.filedSeq - b.filedSeq || codePointCompare(a.id, b.id);
}

/** Unicode code-point order (JS `<` compares UTF-16 code units, which differs above U+FFFF). */
export function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator](),
    ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next(),
      y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!,
      cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

/** One measurement per unit, clause and month: the latest date (then latest filed) counts. */
function thresholdSupersession(infos: Map<string, ClauseInfo>, sorted: EngineFinding[]): Map<string, string> {
  const latest = new ByUnitClause<Map<string, EngineFinding>>();
  const candidates: Array<[Map<string, EngineFinding>, string, EngineFinding]> = [];
  for (const f of sorted) {
    if (f.withdrawn || infos.get(f.clause)!.clause.kind !== 'threshold') continue;
    const months = latest.getOrCreate(f.unit, f.clause, () => new Map());
    const month = monthOf(f.date);
    months.set(month, f); // sorted by date then filing, so the last one wins
    candidates.push([months, month, f]);
  }
  const out = new Map<string, string>();
  for (const [months, month, f] of candidates) {
    const winner = months.get(month)!;
    if (winner !== f) out.set(f.id, winner.id);
  }
  return out;
}

interface Failing {
  deadline: string;
  id: string;
}

/** Findings of one unit and clause not rectified on time, by deadline; id prefixes shared. */
interface FailingList {
  items: Failing[];
  prefixes: Array<readonly string[] | undefined>;
}

/** Per unit and clause, the findings that were not rectified on time, ordered by deadline. */
function repeatIndex(infos: Map<string, ClauseInfo>, sorted: EngineFinding[]): ByUnitClause<FailingList> {
  const idx = new ByUnitClause<FailingList>();
  for (const f of sorted) {
    if (f.withdrawn || f.deadline === null || !infos.get(f.clause)!.escalates) continue;
    if (f.rectifiedOn !== null && f.rectifiedOn <= f.deadline) continue;
    idx
      .getOrCreate(f.unit, f.clause, () => ({ items: [], prefixes: [] }))
      .items.push({ deadline: f.deadline, id: f.id });
  }
  for (const list of idx.values())
    list.items.sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0));
  return idx;
}

const NONE: readonly string[] = Object.freeze([]);

/** Ids of earlier findings of the same unit and clause that are overdue on `date`. */
function overdueBefore(list: FailingList | undefined, date: string, onDeadlineDay: boolean): readonly string[] {
  if (!list) return NONE;
  // overdue on D ⇔ deadline < D (or ≤ D when the rulebook says the deadline day already counts)
  const items = list.items;
  let lo = 0,
    hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const d = items[mid]!.deadline;
    if (d < date || (onDeadlineDay && d === date)) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return NONE;
  // Findings with the same k share one frozen array: memory stays linear in the findings.
  let ids = list.prefixes[lo];
  if (!ids) list.prefixes[lo] = ids = Object.freeze(items.slice(0, lo).map((x) => x.id));
  return ids;
}

/**
 * A JSON number as the exact decimal it was written as: digits × 10^−scale. The shortest
 * round-trip form (`String(n)`) gives back the written decimal for up to 15 significant digits,
 * so 82.4 is 824 × 10^−1 and 84.0000001 is 840000001 × 10^−7, with no binary error.
 */
function exactDecimal(n: number): { digits: bigint; scale: number } {
  const [mantissa = '0', exponent] = String(n).toLowerCase().split('e');
  const negative = mantissa.startsWith('-');
  const [int = '0', frac = ''] = mantissa.replace('-', '').split('.');
  let digits = BigInt(int + frac);
  let scale = frac.length - (exponent === undefined ? 0 : Number(exponent));
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: negative ? -digits : digits, scale };
}

/** Full points of `value` below `threshold`, computed on the decimals as written (99 − 98.0 is 1, 85 − 84.0000001 is below 1). */
function shortfallBelow(threshold: number, value: number, rounding: 'floor' | 'ceil' | 'round'): number {
  const t = exactDecimal(threshold),
    v = exactDecimal(value);
  const scale = Math.max(t.scale, v.scale);
  const gap = t.digits * 10n ** BigInt(scale - t.scale) - v.digits * 10n ** BigInt(scale - v.scale);
  if (gap <= 0n) return 0;
  const one = 10n ** BigInt(scale);
  const whole =
    rounding === 'floor' ? gap / one : rounding === 'ceil' ? (gap + one - 1n) / one : (2n * gap + one) / (2n * one);
  return Number(whole);
}

function scoreFinding(
  rulebook: Rulebook,
  info: ClauseInfo,
  f: EngineFinding,
  asOf: string,
  supersededBy: string | undefined,
  repeats: ByUnitClause<FailingList>,
): FindingResult {
  const s = rulebook.settings;
  const { clause, deduction } = info;
  const reasons: FindingReason[] = [];
  let amount: number;
  let base: number;
  let shortfall: number | undefined;
  switch (clause.kind) {
    case 'per_item':
      amount = clause.amount;
      base = amount * f.count;
      break;
    case 'flat':
      amount = clause.amount;
      base = amount;
      break;
    case 'threshold':
      amount = clause.amount;
      shortfall = shortfallBelow(clause.threshold, f.value ?? clause.threshold, s.threshold.rounding);
      base = amount * shortfall;
      reasons.push({ kind: 'threshold', value: f.value ?? clause.threshold, threshold: clause.threshold, shortfall });
      break;
    case 'tiered': {
      const level = clause.levels.find((l) => l.id === f.level);
      if (!level) throw new Error(`engine received unvalidated level ${f.level} for ${clause.id}`);
      amount = level.amount;
      base = amount * (clause.perItem ? f.count : 1);
      break;
    }
  }

  const inspectionMultiplier = deduction && s.inspection.sources.includes(f.source) ? s.inspection.multiplier : 1;
  if (inspectionMultiplier !== 1) reasons.push({ kind: 'inspection', source: f.source, factor: inspectionMultiplier });

  const earlier = info.escalates
    ? overdueBefore(repeats.get(f.unit, f.clause), f.date, s.repeatEscalation.overdueOnDeadlineDay)
    : NONE;
  const repeatMultiplier = s.repeatEscalation.base ** earlier.length;
  if (earlier.length) reasons.push({ kind: 'repeat', count: earlier.length, ids: earlier, factor: repeatMultiplier });

  const overdue = isOverdue(rulebook, f, asOf);

  let multiplier = inspectionMultiplier * repeatMultiplier;
  let status: FindingResult['status'] = 'counted';
  if (f.withdrawn) {
    status = 'withdrawn';
    multiplier = 0;
    reasons.length = 0;
    reasons.push({ kind: 'withdrawn' });
  } else if (supersededBy !== undefined) {
    status = 'superseded';
    multiplier = 0;
    reasons.push({ kind: 'superseded', by: supersededBy });
  }
  const points = base * multiplier + 0; // + 0 turns −0 into 0
  if (status === 'counted' && clause.disqualifies && points !== 0)
    reasons.push({ kind: 'disqualifies', disqualification: clause.disqualifies });

  const result: FindingResult = {
    id: f.id,
    clause: clause.id,
    section: clause.section,
    date: f.date,
    status,
    points,
    multiplier,
    base,
    amount,
    count: f.count,
    inspectionMultiplier,
    repeatMultiplier,
    repeatOf: earlier,
    deadline: f.deadline,
    overdue,
    reasons,
    // always present (possibly undefined) so every result has one shape for the JIT
    value: f.value ?? undefined,
    level: f.level ?? undefined,
    shortfall,
    supersededBy,
  };
  return result;
}

function unitStanding(rulebook: Rulebook, unit: string, group: string, findings: FindingResult[]): UnitStanding {
  const s = rulebook.settings;
  const sectionDeductions = new Map<string, number>();
  let deductions = 0,
    bonuses = 0;
  const disq = new Set<string>();
  for (const r of findings) {
    if (r.points < 0) {
      deductions -= r.points;
      sectionDeductions.set(r.section, (sectionDeductions.get(r.section) ?? 0) - r.points);
      const sd = rulebook.sections.get(r.section)?.deductionDisqualifies;
      if (sd) disq.add(sd);
    } else if (r.points > 0) {
      bonuses += r.points;
    }
    const cd = rulebook.clauses.get(r.clause)?.disqualifies;
    if (cd && r.status === 'counted' && r.points !== 0) disq.add(cd);
  }
  const base = rulebook.baseFor(group);
  let overflow = 0;
  const sections: SectionResult[] = rulebook.sectionsFor(group).map((sec) => {
    const ded = sectionDeductions.get(sec.id) ?? 0;
    const score = Math.max(s.sectionCap.floor, sec.full - ded);
    const over = Math.max(0, ded - (sec.full - s.sectionCap.floor));
    overflow += over;
    return { id: sec.id, full: sec.full, score, deductions: ded, overflow: over };
  });
  const countedBonuses = s.bonusCap === null ? bonuses : Math.min(bonuses, s.bonusCap);
  const total = s.sectionCap.overflowComesOffTotal
    ? base - deductions + countedBonuses
    : sections.reduce((a, x) => a + x.score, 0) + countedBonuses;
  const order = rulebook.data.disqualifications.map((d) => d.id);
  return {
    unit,
    group,
    base,
    total,
    deductions,
    bonuses,
    overflow,
    sections,
    disqualified: order.filter((d) => disq.has(d)),
    rank: 0,
    advanced: false,
    findings,
  };
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
