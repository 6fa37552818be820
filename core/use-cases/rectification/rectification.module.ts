import type { Actor, FindingView } from '../../assessment-api.ts';
import type { Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { rejectRectification, verifyRectification } from './review-rectification.use-case.ts';
import { type SubmitRectificationCommand, submitRectification } from './submit-rectification.use-case.ts';

/** A finding's rectification: the unit submits, an inspector or organiser verifies or rejects. */
export interface Rectification {
  submit(actor: Actor, cmd: SubmitRectificationCommand): Promise<Result<FindingView>>;
  verify(actor: Actor, cmd: { findingId: string }): Promise<Result<FindingView>>;
  reject(actor: Actor, cmd: { findingId: string; reason: string }): Promise<Result<FindingView>>;
}

export function rectificationModule(ctx: AssessmentContext): Rectification {
  return {
    submit: (actor, cmd) => submitRectification(ctx, actor, cmd),
    verify: (actor, cmd) => verifyRectification(ctx, actor, cmd),
    reject: (actor, cmd) => rejectRectification(ctx, actor, cmd),
  };
}
