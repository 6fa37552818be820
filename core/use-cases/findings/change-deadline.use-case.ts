import type { Actor, FindingView } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { isoDateSchema, reasonSchema } from '../../inputs.schema.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { changeFinding, wrongState } from '../shared/change-finding.ts';

/** An organiser, or the inspector who filed it, moves an open finding's rectification deadline, with a reason. */
export async function changeDeadline(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { findingId: string; deadline: string; reason: string },
): Promise<Result<FindingView>> {
  if (!may(actor, 'finding.change_deadline')) return err(forbidden(actor, 'finding.change_deadline'));
  const deadline = isoDateSchema.safeParse(cmd.deadline);
  if (!deadline.success)
    return err(
      new AppError('FINDING.BAD_DATE', `bad deadline ${cmd.deadline}`, {
        field: 'deadline',
        params: { value: String(cmd.deadline) },
      }),
    );
  const reason = reasonSchema.safeParse(cmd.reason);
  if (!reason.success)
    return err(new AppError('FINDING.REASON_REQUIRED', 'deadline change needs a reason', { field: 'reason' }));
  return changeFinding(ctx, actor, cmd.findingId, {
    event: 'finding.deadline_changed',
    reason: reason.data,
    apply: async (_tx, f, update) => {
      if (f.deadline === null)
        return err(
          new AppError('FINDING.NOT_RECTIFIABLE', `finding ${f.id} has no deadline`, {
            params: { value: `#${f.seq}` },
          }),
        );
      // lifecycle.md: like withdrawal, only the filer or an organiser moves a deadline.
      if (actor.role === 'inspector' && f.filedBy.memberId !== actor.memberId)
        return err(new AppError('FINDING.NOT_DEADLINE_CHANGEABLE', `inspector ${actor.memberId} did not file ${f.id}`));
      if (f.status === 'withdrawn' || f.status === 'verified') return err(wrongState(f));
      if (deadline.data < f.date)
        return err(
          new AppError('FINDING.DEADLINE_BEFORE_DATE', `deadline before date`, {
            field: 'deadline',
            params: { value: deadline.data, date: f.date },
          }),
        );
      return ok(await update({ deadline: deadline.data, deadlineIsDefault: false }));
    },
  });
}
