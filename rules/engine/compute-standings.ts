import type { Clause, Rulebook } from '../rulebook.ts';
import { monthOf } from '../dates.ts';
import type { EngineFinding, FindingReason, FindingResult, GroupResult, SectionResult, Standings, StandingsInput, UnitStanding } from './types.ts';

/**
 * The scoring engine: rulebook + validated findings + as-of date → standings. Pure: no I/O, no
 * clock; the result depends only on the arguments (not on the order of `findings`).
 */
export function computeStandings(rulebook: Rulebook, input: StandingsInput): Standings {
  const { asOf } = input;
  const s = rulebook.settings;
  const assessed = new Set(input.units);
  const findings = input.findings.filter((f) => assessed.has(f.unit) && f.date <= asOf);
  findings.sort(byDateThenFiling);

  const supersededBy = thresholdSupersession(rulebook, findings);
  const repeats = repeatIndex(rulebook, findings);

  const byUnit = new Map<string, FindingResult[]>();
  for (const u of assessed) byUnit.set(u, []);
  for (const f of findings) {
    const clause = rulebook.clauses.get(f.clause);
    if (!clause) throw new Error(`engine received unvalidated clause ${f.clause}`);
    byUnit.get(f.unit)!.push(scoreFinding(rulebook, clause, f, asOf, supersededBy.get(f.id), repeats));
  }

  const units: UnitStanding[] = [];
  for (const name of assessed) {
    const data = rulebook.units.get(name);
    if (!data) throw new Error(`engine received unknown unit ${name}`);
    units.push(unitStanding(rulebook, name, data.group, byUnit.get(name)!));
  }

  const groups: Record<string, GroupResult> = {};
  const ordered: UnitStanding[] = [];
  for (const group of rulebook.groupIds) {
    const members = units.filter((u) => u.group === group).sort((a, b) => b.total - a.total || codePointCompare(a.unit, b.unit));
    let rank = 0;
    members.forEach((u, i) => {
      if (i === 0 || u.total !== members[i - 1]!.total) rank = i + 1;
      u.rank = rank;
    });
    groups[group] = chooseAdvanced(group, members, s.advanced);
    ordered.push(...members);
  }
  return { rulebook: rulebook.id, year: input.year, asOf, units: ordered, groups };
}

export function byDateThenFiling(a: EngineFinding, b: EngineFinding): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.filedSeq - b.filedSeq || codePointCompare(a.id, b.id);
}

/** Unicode code-point order (JS `<` compares UTF-16 code units, which differs above U+FFFF). */
export function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next(), y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!, cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

/** One measurement per unit, clause and month: the latest date (then latest filed) counts. */
function thresholdSupersession(rulebook: Rulebook, sorted: EngineFinding[]): Map<string, string> {
  const latest = new Map<string, EngineFinding>();
  const candidates: Array<[string, EngineFinding]> = [];
  for (const f of sorted) {
    if (f.withdrawn || rulebook.clauses.get(f.clause)?.kind !== 'threshold') continue;
    const key = `${f.unit}\u0000${f.clause}\u0000${monthOf(f.date)}`;
    latest.set(key, f); // sorted by date then filing, so the last one wins
    candidates.push([key, f]);
  }
  const out = new Map<string, string>();
  for (const [key, f] of candidates) {
    const winner = latest.get(key)!;
    if (winner.id !== f.id) out.set(f.id, winner.id);
  }
  return out;
}

interface Failing {
  deadline: string;
  id: string;
}

/** Per unit and clause, the findings that were not rectified on time, ordered by deadline. */
function repeatIndex(rulebook: Rulebook, sorted: EngineFinding[]): Map<string, Failing[]> {
  const kinds = new Set<string>(rulebook.settings.repeatEscalation.appliesToKinds);
  const idx = new Map<string, Failing[]>();
  for (const f of sorted) {
    const clause = rulebook.clauses.get(f.clause)!;
    if (f.withdrawn || f.deadline === null || !kinds.has(clause.kind) || !rulebook.isDeductionClause(clause)) continue;
    if (f.rectifiedOn !== null && f.rectifiedOn <= f.deadline) continue;
    const key = `${f.unit}\u0000${f.clause}`;
    let list = idx.get(key);
    if (!list) idx.set(key, (list = []));
    list.push({ deadline: f.deadline, id: f.id });
  }
  for (const list of idx.values()) list.sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0));
  return idx;
}

/** Earlier findings of the same unit and clause that are overdue on `date`. */
function overdueBefore(list: Failing[] | undefined, date: string, onDeadlineDay: boolean): Failing[] {
  if (!list) return [];
  // overdue on D ⇔ deadline < D (or ≤ D when the rulebook says the deadline day already counts)
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const d = list[mid]!.deadline;
    if (d < date || (onDeadlineDay && d === date)) lo = mid + 1;
    else hi = mid;
  }
  return list.slice(0, lo);
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
  const t = exactDecimal(threshold), v = exactDecimal(value);
  const scale = Math.max(t.scale, v.scale);
  const gap = t.digits * 10n ** BigInt(scale - t.scale) - v.digits * 10n ** BigInt(scale - v.scale);
  if (gap <= 0n) return 0;
  const one = 10n ** BigInt(scale);
  const whole = rounding === 'floor' ? gap / one : rounding === 'ceil' ? (gap + one - 1n) / one : (2n * gap + one) / (2n * one);
  return Number(whole);
}

function scoreFinding(rulebook: Rulebook, clause: Clause, f: EngineFinding, asOf: string, supersededBy: string | undefined, repeats: Map<string, Failing[]>): FindingResult {
  const s = rulebook.settings;
  const deduction = rulebook.isDeductionClause(clause);
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

  const escalates = deduction && (s.repeatEscalation.appliesToKinds as string[]).includes(clause.kind) && (clause.kind !== 'threshold' || s.threshold.repeatEscalation);
  const earlier = escalates ? overdueBefore(repeats.get(`${f.unit}\u0000${f.clause}`), f.date, s.repeatEscalation.overdueOnDeadlineDay) : [];
  const repeatMultiplier = s.repeatEscalation.base ** earlier.length;
  if (earlier.length) reasons.push({ kind: 'repeat', count: earlier.length, ids: earlier.map((e) => e.id), factor: repeatMultiplier });

  const overdue = !f.withdrawn && f.deadline !== null && (f.deadline < asOf || (s.repeatEscalation.overdueOnDeadlineDay && f.deadline === asOf)) && !(f.rectifiedOn !== null && f.rectifiedOn <= f.deadline);

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
  if (status === 'counted' && clause.disqualifies && points !== 0) reasons.push({ kind: 'disqualifies', disqualification: clause.disqualifies });

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
    repeatOf: earlier.map((e) => e.id),
    deadline: f.deadline,
    overdue,
    reasons,
  };
  if (f.value !== undefined && f.value !== null) result.value = f.value;
  if (f.level) result.level = f.level;
  if (shortfall !== undefined) result.shortfall = shortfall;
  if (supersededBy !== undefined) result.supersededBy = supersededBy;
  return result;
}

function unitStanding(rulebook: Rulebook, unit: string, group: string, findings: FindingResult[]): UnitStanding {
  const s = rulebook.settings;
  const sectionDeductions = new Map<string, number>();
  let deductions = 0, bonuses = 0;
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
