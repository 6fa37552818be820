import { AppError } from '../../errors.ts';
import type { StoreTx } from '../../ports/assessment-store.port.ts';
import { monthOf } from '../../../rules/dates.ts';
import type { AssessmentContext } from './assessment-context.ts';

/**
 * FINDING.MONTH_CLOSED when the month of `date` is closed, else null. Asked inside the writing
 * transaction, so a month closed meanwhile is seen. `field` names the input that chose the month.
 */
export async function closedMonthError(
  ctx: AssessmentContext,
  tx: StoreTx,
  date: string,
  field?: string,
): Promise<AppError | null> {
  const month = monthOf(date);
  if ((await tx.monthState(ctx.rulebookId, month)) !== 'closed') return null;
  return monthClosedError(date, field);
}

/** FINDING.MONTH_CLOSED for the month of `date`. */
export function monthClosedError(date: string, field?: string): AppError {
  const month = monthOf(date);
  return new AppError('FINDING.MONTH_CLOSED', `month ${month} is closed`, {
    ...(field ? { field } : {}),
    params: { month },
  });
}
