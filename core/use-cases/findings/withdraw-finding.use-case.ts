import type { Actor, FindingView } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { reasonSchema } from '../../inputs.schema.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { changeFinding, wrongState } from '../shared/change-finding.ts';
import { closedMonthError } from '../shared/closed-month.ts';

/**
 * An organiser, or the inspector who filed it, withdraws a finding with a reason. Nothing is
 * deleted: the finding stops counting and the audit log keeps who, when and why.
 */
export async function withdrawFinding(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { findingId: string; reason: string },
): Promise<Result<FindingView>> {
  if (!may(actor, 'finding.withdraw')) return err(forbidden(actor, 'finding.withdraw'));
  const reason = reasonSchema.safeParse(cmd.reason);
  if (!reason.success)
    return err(new AppError('FINDING.REASON_REQUIRED', 'withdrawal needs a reason', { field: 'reason' }));
  return changeFinding(ctx, actor, cmd.findingId, {
    event: 'finding.withdrawn',
    reason: reason.data,
    apply: async (tx, f, update) => {
      if (f.status === 'withdrawn')
        return err(
          new AppError('FINDING.ALREADY_WITHDRAWN', `finding ${f.id} is withdrawn`, { params: { value: `#${f.seq}` } }),
        );
      if (actor.role === 'inspector' && f.filedBy.memberId !== actor.memberId)
        return err(new AppError('FINDING.NOT_WITHDRAWABLE', `inspector ${actor.memberId} did not file ${f.id}`));
      if (f.status === 'verified') return err(wrongState(f));
      const closed = await closedMonthError(ctx, tx, f.date);
      if (closed) return err(closed);
      return ok(
        await update({
          status: 'withdrawn',
          withdrawnAt: ctx.clock.now(),
          withdrawnById: actor.memberId,
          withdrawReason: reason.data,
        }),
      );
    },
  });
}
