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
    const year = yearOf(isoFromDay(day));
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
    const a = dayNumber(from), b = dayNumber(to);
    if (a === b) return 0;
    const [lo, hi, sign] = a < b ? [a, b, 1] : [b, a, -1];
    let count = 0;
    for (let d = lo + 1; d <= hi; d++) if (this.isWorkingDayNumber(d)) count++;
    return sign * count;
  }

  lastWorkingDayOfMonth(yearMonth: string): string {
    const [y, m] = yearMonth.split('-').map(Number) as [number, number];
    let day = Date.UTC(y, m, 0) / 86_400_000;
    while (!this.isWorkingDayNumber(day)) day--;
    return isoFromDay(day);
  }
}
