import type { Actor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { tAny } from '../../i18n/t.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { auditedActor } from '../shared/audit.ts';

export type MonthState = 'open' | 'closed';

/**
 * An organiser (or the worker, as the system, at month close) closes or reopens a month of the
 * assessment year. A closed month takes no new findings and no withdrawals.
 */
export async function setMonthState(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { month: string; state: MonthState },
): Promise<Result<{ month: string; state: MonthState }>> {
  if (!may(actor, 'month.manage')) return err(forbidden(actor, 'month.manage'));
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(cmd.month) || !cmd.month.startsWith(String(ctx.year)))
    return err(
      new AppError('MONTH.UNKNOWN', `bad month ${cmd.month}`, { field: 'month', params: { value: cmd.month } }),
    );
  if (cmd.state === 'open') {
    // A published month is reopened with a reason (reopenPeriod), never silently.
    const published = await ctx.store.publications.publication(ctx.rulebookId, cmd.month);
    if (published && !published.reopened)
      return err(
        new AppError('PERIOD.REASON_REQUIRED', `reopening ${cmd.month} v${published.version} needs a reason`, {
          field: 'reason',
          params: { month: cmd.month, value: `v${published.version}`, max: 1000 },
        }),
      );
  }
  const changed = await ctx.store.transaction(async (tx) => {
    const { before } = await tx.setMonthState(ctx.rulebookId, cmd.month, cmd.state, actor.memberId);
    if (before === cmd.state) return false;
    await tx.appendAudit({
      ...auditedActor(actor),
      action: cmd.state === 'closed' ? 'month.closed' : 'month.reopened',
      entity: 'month',
      entityId: `${ctx.rulebookId}/${cmd.month}`,
      before: { state: before },
      after: { state: cmd.state },
    });
    return true;
  });
  if (!changed)
    return err(
      new AppError('MONTH.ALREADY_IN_STATE', `${cmd.month} already ${cmd.state}`, {
        params: { month: cmd.month, state: tAny(actor.locale, `domain.month.${cmd.state}`) },
      }),
    );
  await ctx.publish({
    type: cmd.state === 'closed' ? 'month.closed' : 'month.reopened',
    rulebookId: ctx.rulebookId,
    year: ctx.year,
    month: cmd.month,
  });
  return ok({ month: cmd.month, state: cmd.state });
}
