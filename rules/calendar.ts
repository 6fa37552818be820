import { dayNumber, isoFromDay, weekday, yearOf } from './dates.ts';

export class CalendarMissingError extends Error {
  constructor(readonly year: number) {
    super(`no official working-day calendar for ${year}`);
    this.name = 'CalendarMissingError';
  }
}

export interface CalendarYear {
  daysOff: ReadonlyArray<readonly [string, string]>;
  makeUpWorkdays: ReadonlyArray<string>;
}

/**
 * Official working days: Mon–Fri, minus public holidays, plus make-up working days (调休).
 * A year without official data is refused, never guessed.
 */
export class WorkingCalendar {
  private readonly off = new Set<number>();
  private readonly makeUp = new Set<number>();
  private readonly years: Set<number>;

  constructor(calendars: Record<string, CalendarYear>) {
    this.years = new Set(Object.keys(calendars).map(Number));
    for (const cal of Object.values(calendars)) {
      for (const [from, to] of cal.daysOff) {
        for (let d = dayNumber(from); d <= dayNumber(to); d++) this.off.add(d);
      }
      for (const d of cal.makeUpWorkdays) this.makeUp.add(dayNumber(d));
    }
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  isWorkingDay(date: string): boolean {
    return this.isWorkingDayNumber(dayNumber(date));
  }

  isWorkingDayNumber(day: number): boolean {
    // the year without formatting the day as text (this runs once per day stepped over)
    const year = new Date(day * 86_400_000).getUTCFullYear();
    if (!this.years.has(year)) throw new CalendarMissingError(year);
    if (this.makeUp.has(day)) return true;
    if (this.off.has(day)) return false;
    const wd = weekday(day);
    return wd !== 0 && wd !== 6;
  }

  /** The n-th working day after `date` (the date itself is day 0); n may be negative. */
  addWorkingDays(date: string, n: number): string {
    let day = dayNumber(date);
    const step = n >= 0 ? 1 : -1;
    let left = Math.abs(n);
    while (left > 0) {
      day += step;
      if (this.isWorkingDayNumber(day)) left--;
    }
    return isoFromDay(day);
  }

  /** Working days strictly after `from` up to and including `to` (negative when `to` is earlier). */
  workingDaysBetween(from: string, to: string): number {
    const a = dayNumber(from),
      b = dayNumber(to);
    if (a === b) return 0;
    const [lo, hi, sign] = a < b ? [a, b, 1] : [b, a, -1];
    // Every day counted must lie in a year with official data; the first missing year is refused.
    for (let y = yearOf(isoFromDay(lo + 1)), last = yearOf(isoFromDay(hi)); y <= last; y++)
      if (!this.years.has(y)) throw new CalendarMissingError(y);
    const p = this.prefix();
    return sign * (p.counts[hi - p.base]! - p.counts[lo - p.base]!);
  }

  /**
   * Working days counted from the day before the first covered year: counts[d − base] is the
   * number of working days in (base, d]. O(1) differences instead of a walk over every day
   * (breakdowns compute "working days left" for thousands of findings).
   */
  private prefixCache: { base: number; counts: Int32Array } | null = null;
  private prefix(): { base: number; counts: Int32Array } {
    if (this.prefixCache) return this.prefixCache;
    const years = [...this.years].sort((x, y) => x - y);
    const base = dayNumber(`${years[0]}-01-01`) - 1;
    const end = dayNumber(`${years.at(-1)}-12-31`);
    const counts = new Int32Array(end - base + 1);
    for (let d = base + 1; d <= end; d++) {
      const covered = this.years.has(yearOf(isoFromDay(d)));
      counts[d - base] = counts[d - base - 1]! + (covered && this.isWorkingDayNumber(d) ? 1 : 0);
    }
    this.prefixCache = { base, counts };
    return this.prefixCache;
  }

  lastWorkingDayOfMonth(yearMonth: string): string {
    const [y, m] = yearMonth.split('-').map(Number) as [number, number];
    let day = Date.UTC(y, m, 0) / 86_400_000;
    while (!this.isWorkingDayNumber(day)) day--;
    return isoFromDay(day);
  }
}
