import type { Rulebook } from '../rulebook.ts';
import type { EngineFinding } from './types.ts';

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
