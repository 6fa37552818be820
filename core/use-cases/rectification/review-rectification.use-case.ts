import type { Actor, FindingView } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { reasonSchema } from '../../inputs.schema.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { changeFinding, wrongState } from '../shared/change-finding.ts';

/** An organiser or inspector verifies (销号) a submitted rectification. Verifying twice changes nothing. */
export async function verifyRectification(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { findingId: string },
): Promise<Result<FindingView>> {
  if (!may(actor, 'rectification.review')) return err(forbidden(actor, 'rectification.review'));
  return changeFinding(ctx, actor, cmd.findingId, {
    event: 'rectification.verified',
    reason: null,
    apply: async (tx, f, update) => {
      if (f.status === 'verified') return ok(null);
      if (f.status !== 'submitted') return err(wrongState(f));
      const submission = await tx.latestSubmission(f.id);
      if (!submission?.submittedOn) throw new Error(`finding ${f.id} is submitted without a submission event`);
      await tx.insertRectificationEvent({ findingId: f.id, kind: 'verified', actorId: actor.memberId });
      // The rectification date is the unit's submission day: a slow verifier never makes a unit late.
      return ok(await update({ status: 'verified', rectifiedOn: submission.submittedOn }));
    },
  });
}

/** An organiser or inspector rejects a submitted rectification with a reason; the finding is open again. */
export async function rejectRectification(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { findingId: string; reason: string },
): Promise<Result<FindingView>> {
  if (!may(actor, 'rectification.review')) return err(forbidden(actor, 'rectification.review'));
  const reason = reasonSchema.safeParse(cmd.reason);
  if (!reason.success)
    return err(new AppError('FINDING.REASON_REQUIRED', 'rejection needs a reason', { field: 'reason' }));
  return changeFinding(ctx, actor, cmd.findingId, {
    event: 'rectification.rejected',
    reason: reason.data,
    apply: async (tx, f, update) => {
      if (f.status !== 'submitted') return err(wrongState(f));
      await tx.insertRectificationEvent({
        findingId: f.id,
        kind: 'rejected',
        actorId: actor.memberId,
        reason: reason.data,
      });
      return ok(await update({ status: 'filed' }));
    },
  });
}
