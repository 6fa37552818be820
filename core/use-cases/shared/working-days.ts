import { CalendarMissingError } from '../../../rules/calendar.ts';
import { dayNumber, isoFromDay, weekday } from '../../../rules/dates.ts';
import type { Rulebook } from '../../../rules/rulebook.ts';

/**
 * The n-th working day after `date` by the rulebook's official calendar. A window that runs past
 * the calendar's last year (an appeal filed in late December) counts Monday to Friday there: the
 * next year's holidays are not in this rulebook, and refusing the appeal for that would be wrong.
 */
export function addWorkingDays(rulebook: Rulebook, date: string, n: number): string {
  try {
    return rulebook.calendar.addWorkingDays(date, n);
  } catch (e) {
    if (!(e instanceof CalendarMissingError)) throw e;
    let day = dayNumber(date);
    for (let left = n; left > 0; ) {
      day += 1;
      const wd = weekday(day);
      if (wd !== 0 && wd !== 6) left--;
    }
    return isoFromDay(day);
  }
}
