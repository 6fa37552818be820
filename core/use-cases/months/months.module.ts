import type { Actor } from '../../assessment-api.ts';
import type { Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { type MonthState, setMonthState } from './set-month-state.use-case.ts';

/** The assessment months: close and reopen. */
export interface Months {
  setState(
    actor: Actor,
    cmd: { month: string; state: MonthState },
  ): Promise<Result<{ month: string; state: MonthState }>>;
}

export function monthsModule(ctx: AssessmentContext): Months {
  return { setState: (actor, cmd) => setMonthState(ctx, actor, cmd) };
}
