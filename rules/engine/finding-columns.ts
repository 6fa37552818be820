import type { EngineFinding } from './types.ts';
import { type PreparedRulebook, shortfallOf } from './prepared-rulebook.ts';
import { assertNever } from '../exhaustive.ts';

// Findings as columns of typed arrays: what the scoring pass reads of each finding, copied in one
// pass in the order the findings lie in memory, into one set of columns per unit. Scoring then
// never touches a finding object, allocates nothing per finding and sorts by counting over days.

/** `flags` bits. */
export const WITHDRAWN = 1;
/** Not withdrawn, escalating clause, not rectified on time: a link in its clause's repeat chain. */
export const FAILING = 2;
/** Not withdrawn, threshold clause: one measurement per unit, clause and month counts. */
export const MEASURE = 4;
/** A deduction from an inspection source: doubled (settings.inspection). */
export const INSPECTED = 8;

/**
 * 'YYYY-MM-DD' → a number that orders like the date: (year × 12 + month − 1) × 31 + day − 1.
 * Not a day count (months have 31 slots), but monotone and injective on calendar dates, so dates
 * compare as their keys do, a year spans at most 372 keys, and key / 31 is the month.
 */
export function dayKey(d: string): number {
  const year =
    (d.charCodeAt(0) - 48) * 1000 + (d.charCodeAt(1) - 48) * 100 + (d.charCodeAt(2) - 48) * 10 + d.charCodeAt(3) - 48;
  const month = (d.charCodeAt(5) - 48) * 10 + d.charCodeAt(6) - 48;
  return (year * 12 + month - 1) * 31 + (d.charCodeAt(8) - 48) * 10 + d.charCodeAt(9) - 48 - 1;
}

export class FindingColumns {
  /** Findings held: positions [0, length). */
  length = 0;
  capacity = 0;
  /** Index of the finding in the array it came from. */
  src = new Int32Array(0);
  day = new Int32Array(0);
  clause = new Uint16Array(0);
  seq = new Float64Array(0);
  /** Signed amount before multipliers: amount × count, or amount × points below the threshold. */
  base = new Float64Array(0);
  /** dayKey of the deadline, for FAILING findings only. */
  deadline = new Int32Array(0);
  flags = new Uint8Array(0);

  /** Empty, with room for at least n findings. */
  reset(n: number): void {
    this.length = 0;
    if (n > this.capacity) this.resize(Math.max(n, 64), false);
  }

  private resize(c: number, keep: boolean): void {
    const grown = <T extends Int32Array | Uint16Array | Uint8Array | Float64Array>(a: T, b: T): T => {
      if (keep) b.set(a.subarray(0, this.length) as never);
      return b;
    };
    this.capacity = c;
    this.src = grown(this.src, new Int32Array(c));
    this.day = grown(this.day, new Int32Array(c));
    this.clause = grown(this.clause, new Uint16Array(c));
    this.seq = grown(this.seq, new Float64Array(c));
    this.base = grown(this.base, new Float64Array(c));
    this.deadline = grown(this.deadline, new Int32Array(c));
    this.flags = grown(this.flags, new Uint8Array(c));
  }

  /** Appends finding `f` (index `src` in its array, date key `day`). */
  push(rb: PreparedRulebook, f: EngineFinding, src: number, day: number): void {
    const c = rb.clauseIndex.get(f.clause);
    if (c === undefined) throw new Error(`engine received unvalidated clause ${f.clause}`);
    if (this.length === this.capacity) this.resize(Math.max(64, this.capacity * 2), true);
    const p = this.length++;
    this.src[p] = src;
    this.day[p] = day;
    this.clause[p] = c;
    this.seq[p] = f.filedSeq;
    this.base[p] = baseOf(rb, c, f);
    let flags = rb.deduction[c] === 1 && rb.inspectionSources.includes(f.source) ? INSPECTED : 0;
    if (f.withdrawn) flags |= WITHDRAWN;
    else {
      if (rb.measured[c] === 1) flags |= MEASURE;
      const deadline = f.deadline;
      if (rb.escalates[c] === 1 && deadline !== null && !(f.rectifiedOn !== null && f.rectifiedOn <= deadline)) {
        flags |= FAILING;
        this.deadline[p] = dayKey(deadline);
      }
    }
    this.flags[p] = flags;
  }
}

/** The finding's signed amount before multipliers, as the rulebook's clause kinds define it. */
export function baseOf(rb: PreparedRulebook, c: number, f: EngineFinding): number {
  const clause = rb.clauses[c]!;
  switch (clause.kind) {
    case 'per_item':
      return clause.amount * f.count;
    case 'flat':
      return clause.amount;
    case 'threshold':
      return clause.amount * shortfallOf(rb, c, clause.threshold, f.value ?? clause.threshold);
    case 'tiered': {
      const amount = f.level == null ? undefined : rb.levelAmounts[c]!.get(f.level);
      if (amount === undefined) throw new Error(`engine received unvalidated level ${f.level} for ${clause.id}`);
      return amount * (clause.perItem ? f.count : 1);
    }
    default:
      return assertNever(clause, 'clause kind');
  }
}
