import type { EngineFinding, FindingResult } from './types.ts';
import type { PreparedRulebook } from './prepared-rulebook.ts';
import { FAILING, type FindingColumns, INSPECTED, MEASURE, WITHDRAWN } from './finding-columns.ts';
import { explainFinding } from './explain-finding.ts';
import { codePointCompare } from './code-point-order.ts';

// One unit's findings (a set of columns) scored in one compact pass:
//   1. order by date, then filing order, then id — a counting sort over the unit's days — and
//      copy the columns in that order, so that the steps below read them front to back;
//   2. threshold supersession — walking back, the last measurement of each clause and month wins;
//   3. repeat chains — per clause, the findings not rectified on time, sorted by deadline; the
//      date order makes each finding's "earlier overdue" count a pointer that only moves forward;
//   4. points, section deductions, bonuses and disqualifications, summed in date order.
// Totals only, unless `explain` is given: then each finding's FindingResult is built as well.
// Nothing is allocated per finding on the totals path; the work arrays are reused.

export interface UnitTotals {
  deductions: number;
  bonuses: number;
  /** Per section of the rulebook (PreparedRulebook.sectionIds). */
  sectionDeductions: Float64Array;
  /** Per disqualification of the rulebook (PreparedRulebook.disqualificationIds): 1 when incurred. */
  disqualified: Uint8Array;
}

export interface ExplainRequest {
  asOf: string;
  out: FindingResult[];
  /** explain only this finding (a filing's own result); every finding is still scored */
  onlyId?: string;
}

const NONE: readonly string[] = Object.freeze([]);

/** Work arrays, grown on demand and reused by every call (the engine is synchronous). */
class Scratch {
  order = new Int32Array(0);
  buckets = new Int32Array(0);
  /** The unit's columns in date order. */
  src = new Int32Array(0);
  day = new Int32Array(0);
  clause = new Uint16Array(0);
  base = new Float64Array(0);
  deadline = new Int32Array(0);
  flags = new Uint8Array(0);
  supersededBy = new Int32Array(0);
  chainKeys = new Float64Array(0);
  chainCount = new Int32Array(0);
  chainStart = new Int32Array(0);
  chainNext = new Int32Array(0);
  lastMonth = new Int32Array(0);
  winner = new Int32Array(0);
  totals: UnitTotals = {
    deductions: 0,
    bonuses: 0,
    sectionDeductions: new Float64Array(0),
    disqualified: new Uint8Array(0),
  };

  forRulebook(rb: PreparedRulebook): void {
    const nc = rb.clauses.length;
    if (this.chainCount.length !== nc) {
      this.chainCount = new Int32Array(nc);
      this.chainStart = new Int32Array(nc);
      this.chainNext = new Int32Array(nc);
      this.lastMonth = new Int32Array(nc);
      this.winner = new Int32Array(nc);
    }
    if (this.totals.sectionDeductions.length !== rb.sectionIds.length)
      this.totals.sectionDeductions = new Float64Array(rb.sectionIds.length);
    if (this.totals.disqualified.length !== rb.disqualificationIds.length)
      this.totals.disqualified = new Uint8Array(rb.disqualificationIds.length);
  }

  forFindings(n: number): void {
    if (this.order.length >= n) return;
    const c = Math.max(n, this.order.length * 2);
    this.order = new Int32Array(c);
    this.src = new Int32Array(c);
    this.day = new Int32Array(c);
    this.clause = new Uint16Array(c);
    this.base = new Float64Array(c);
    this.deadline = new Int32Array(c);
    this.flags = new Uint8Array(c);
    this.supersededBy = new Int32Array(c);
    this.chainKeys = new Float64Array(c);
  }

  forDays(n: number): Int32Array {
    if (this.buckets.length < n) this.buckets = new Int32Array(Math.max(n, this.buckets.length * 2));
    return this.buckets;
  }
}

const scratch = new Scratch();

/**
 * Scores the findings held in `cols` — one unit's, all dated on or before the as-of day.
 * `findings` is the array the columns' `src` indices point into. The returned totals are reused
 * by the next call: read them before scoring again.
 */
export function scoreRange(
  rb: PreparedRulebook,
  cols: FindingColumns,
  findings: readonly EngineFinding[],
  explain: ExplainRequest | null,
): UnitTotals {
  const w = scratch;
  w.forRulebook(rb);
  const totals = w.totals;
  totals.sectionDeductions.fill(0);
  totals.disqualified.fill(0);
  totals.deductions = 0;
  totals.bonuses = 0;
  const len = cols.length;
  if (len === 0) return totals;
  w.forFindings(len);

  // 1. Order, then the columns copied in that order.
  const order = w.order;
  sortByDateThenFiling(w, cols, findings, order);
  const { src, day, clause, base, deadline, flags } = w;
  let kinds = 0;
  for (let i = 0; i < len; i++) {
    const p = order[i]!;
    src[i] = cols.src[p]!;
    day[i] = cols.day[p]!;
    clause[i] = cols.clause[p]!;
    base[i] = cols.base[p]!;
    deadline[i] = cols.deadline[p]!;
    flags[i] = cols.flags[p]!;
    kinds |= flags[i]!;
  }

  // 2. Threshold supersession: supersededBy[i] = 1 + the winner's place, or 0.
  const supersededBy = w.supersededBy;
  const measures = (kinds & MEASURE) !== 0;
  if (measures) {
    const { lastMonth, winner } = w;
    supersededBy.fill(0, 0, len);
    lastMonth.fill(-1);
    for (let i = len - 1; i >= 0; i--) {
      if ((flags[i]! & MEASURE) === 0) continue;
      const c = clause[i]!;
      const month = (day[i]! / 31) | 0;
      if (lastMonth[c] === month) supersededBy[i] = winner[c]! + 1;
      else {
        lastMonth[c] = month;
        winner[c] = i;
      }
    }
  }

  // 3. Repeat chains: chainKeys[chainStart[c] ..] hold (deadline − firstDeadline) × len + place,
  // sorted, so a chain is in deadline order and, for equal deadlines, in date order.
  const chains = (kinds & FAILING) !== 0;
  const { chainCount, chainStart, chainNext } = w;
  const keys = w.chainKeys;
  let firstDeadline = 0;
  if (chains) {
    chainCount.fill(0);
    firstDeadline = 0x7fffffff;
    for (let i = 0; i < len; i++) {
      if ((flags[i]! & FAILING) === 0) continue;
      chainCount[clause[i]!]!++;
      if (deadline[i]! < firstDeadline) firstDeadline = deadline[i]!;
    }
    let at = 0;
    for (let c = 0; c < chainCount.length; c++) {
      chainStart[c] = at;
      chainNext[c] = at;
      at += chainCount[c]!;
    }
    for (let i = 0; i < len; i++)
      if ((flags[i]! & FAILING) !== 0) keys[chainNext[clause[i]!]!++] = (deadline[i]! - firstDeadline) * len + i;
    for (let c = 0; c < chainCount.length; c++) {
      const n = chainCount[c]!;
      if (n > 1) keys.subarray(chainStart[c]!, chainStart[c]! + n).sort();
      chainNext[c] = chainStart[c]!;
    }
  }

  // 4. Points and totals, in date order (the order the sums are taken in is part of the result).
  const { sectionDeductions, disqualified } = totals;
  const { sectionOf, sectionDisqualifies, clauseDisqualifies, repeatBase, inspectionMultiplier } = rb;
  const onDeadlineDay = rb.overdueOnDeadlineDay ? 1 : 0;
  const chainIds = explain ? new Map<number, Array<readonly string[] | undefined>>() : null;
  const idAt = (place: number) => findings[src[place]!]!.id;
  let deductions = 0,
    bonuses = 0;
  for (let i = 0; i < len; i++) {
    const c = clause[i]!;
    const fl = flags[i]!;
    let earlier = 0;
    if (chains && chainCount[c] !== 0) {
      // overdue on D ⇔ deadline < D (or ≤ D when the rulebook says the deadline day already counts)
      const limit = (day[i]! + onDeadlineDay - firstDeadline) * len;
      const last = chainStart[c]! + chainCount[c]!;
      let q = chainNext[c]!;
      while (q < last && keys[q]! < limit) q++;
      chainNext[c] = q;
      earlier = q - chainStart[c]!;
    }
    const winner = measures ? supersededBy[i]! : 0;
    const inspection = (fl & INSPECTED) !== 0 ? inspectionMultiplier : 1;
    let points = 0;
    if ((fl & WITHDRAWN) === 0 && winner === 0) {
      points = base[i]! * (inspection * (earlier === 0 ? 1 : repeatBase ** earlier)) + 0; // + 0 turns −0 into 0
      if (points < 0) {
        deductions -= points;
        sectionDeductions[sectionOf[c]!]! -= points;
        const sd = sectionDisqualifies[c]!;
        if (sd >= 0) disqualified[sd] = 1;
      } else if (points > 0) bonuses += points;
      const cd = clauseDisqualifies[c]!;
      if (cd >= 0 && points !== 0) disqualified[cd] = 1;
    }
    if (explain && (explain.onlyId === undefined || findings[src[i]!]!.id === explain.onlyId)) {
      let repeatOf = NONE;
      if (earlier > 0) {
        // Findings with the same count share one frozen array: memory stays linear in the findings.
        let prefixes = chainIds!.get(c);
        if (!prefixes) {
          prefixes = [];
          chainIds!.set(c, prefixes);
        }
        repeatOf = prefixes[earlier] ??= Object.freeze(
          Array.from({ length: earlier }, (_, j) => idAt(keys[chainStart[c]! + j]! % len)),
        );
      }
      explain.out.push(
        explainFinding(
          rb,
          findings[src[i]!]!,
          c,
          base[i]!,
          inspection,
          repeatOf,
          winner === 0 ? undefined : idAt(winner - 1),
          explain.asOf,
        ),
      );
    }
  }
  totals.deductions = deductions;
  totals.bonuses = bonuses;
  return totals;
}

/**
 * order[0, len) = the columns' positions by date, then filing order, then id (as the findings
 * came, for equal ones). Days are counted into buckets (a year has at most 372 day keys);
 * within a day the findings are usually already in filing order, and are sorted when not.
 */
function sortByDateThenFiling(
  w: Scratch,
  cols: FindingColumns,
  findings: readonly EngineFinding[],
  order: Int32Array,
): void {
  const { day, seq, src } = cols;
  const len = cols.length;
  let minDay = day[0]!,
    maxDay = minDay;
  for (let p = 1; p < len; p++) {
    const d = day[p]!;
    if (d < minDay) minDay = d;
    else if (d > maxDay) maxDay = d;
  }
  const span = maxDay - minDay + 1;
  if (span > 4 * len + 1024) {
    // Dates spread over many years: an ordinary comparison sort.
    for (let i = 0; i < len; i++) order[i] = i;
    sortPositions(order, 0, len, cols, findings);
    return;
  }
  const at = w.forDays(span + 1);
  at.fill(0, 0, span + 1);
  for (let p = 0; p < len; p++) at[day[p]! - minDay + 1]!++;
  for (let k = 1; k <= span; k++) at[k]! += at[k - 1]!;
  for (let p = 0; p < len; p++) order[at[day[p]! - minDay]!++] = p;
  for (let i = 1; i < len; i++) {
    const a = order[i - 1]!,
      b = order[i]!;
    if (day[a] !== day[b] || seq[a]! < seq[b]!) continue;
    if (seq[a] === seq[b] && codePointCompare(findings[src[a]!]!.id, findings[src[b]!]!.id) <= 0) continue;
    let from = i - 1,
      to = i + 1;
    while (from > 0 && day[order[from - 1]!] === day[a]) from--;
    while (to < len && day[order[to]!] === day[a]) to++;
    sortPositions(order, from, to, cols, findings);
    i = to - 1;
  }
}

/** Sorts order[from, to) by date, filing order, then id (stable, as the findings came). */
function sortPositions(
  order: Int32Array,
  from: number,
  to: number,
  cols: FindingColumns,
  findings: readonly EngineFinding[],
): void {
  const { day, seq, src } = cols;
  const run = Array.from(order.subarray(from, to));
  run.sort(
    (a, b) => day[a]! - day[b]! || seq[a]! - seq[b]! || codePointCompare(findings[src[a]!]!.id, findings[src[b]!]!.id),
  );
  order.set(run, from);
}
