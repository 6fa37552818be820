import type { Actor, AppealView } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { reasonSchema } from '../../inputs.schema.ts';
import type { AppealRecord } from '../../ports/assessment-store.port.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { changeFinding, type FindingChange } from '../shared/change-finding.ts';
import { closedMonthError } from '../shared/closed-month.ts';
import { appealView } from './appeal-view.ts';

/**
 * An organiser reopens a ruled appeal, with a reason: the appeal is pending again and the finding
 * goes back to the facts it had before the ruling (a withdrawal ruling is undone), to be ruled anew.
 */
export async function reopenAppeal(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { findingId: string; reason: string },
): Promise<Result<AppealView>> {
  if (!may(actor, 'appeal.rule')) return err(forbidden(actor, 'appeal.rule'));
  const reason = reasonSchema.safeParse(cmd.reason);
  if (!reason.success)
    return err(new AppError('FINDING.REASON_REQUIRED', 'reopening an appeal needs a reason', { field: 'reason' }));
  let appeal: AppealRecord | null = null;
  const change: FindingChange = {
    event: 'appeal.reopened',
    reason: reason.data,
    apply: async (tx, f, update) => {
      const a = await tx.lockAppeal(f.id);
      if (!a || a.state === 'pending' || !a.ruledFrom)
        return err(
          new AppError('APPEAL.NOT_RULED', `finding ${f.id} has no ruled appeal`, { params: { value: f.seq } }),
        );
      const from = a.ruledFrom;
      if (a.state !== 'upheld') {
        const closed = await closedMonthError(ctx, tx, f.date);
        if (closed) return err(closed);
      }
      appeal = await tx.updateAppeal(a.id, {
        state: 'pending',
        ruling: null,
        ruledById: null,
        ruledAt: null,
        ruledFrom: null,
      });
      if (a.state === 'withdrawn') change.alsoPublish = ['finding.filed'];
      return ok(
        await update({
          count: from.count,
          value: from.value,
          level: from.level,
          ...(a.state === 'withdrawn'
            ? { status: from.status, withdrawnAt: null, withdrawnById: null, withdrawReason: null }
            : {}),
        }),
      );
    },
  };
  const r = await changeFinding(ctx, actor, cmd.findingId, change);
  if (!r.ok) return r;
  return ok(appealView(appeal!, r.value));
}
