import type { Actor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { localized } from '../../i18n/t.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { auditedActor } from '../shared/audit.ts';
import type { Reopened } from './months-api.ts';
import { periodOf } from './period.ts';

/**
 * An organiser reopens a period. A published one needs a reason: its latest version is marked
 * reopened (it stays retrievable and stays what unit contacts see until the next version), and a
 * month opens again for corrections. A month closed but not yet published simply opens again.
 */
export async function reopenPeriod(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { period: string; reason?: string },
): Promise<Result<Reopened>> {
  if (!may(actor, 'month.manage')) return err(forbidden(actor, 'month.manage'));
  const p = periodOf(ctx, cmd.period);
  if (!p.ok) return p;
  const period = p.value;
  const reason = cmd.reason?.trim() ?? '';
  if (reason.length > 1000)
    return err(new AppError('PERIOD.REASON_REQUIRED', 'reason too long', { field: 'reason', params: { max: 1000 } }));
  const entityId = `${ctx.rulebookId}/${period.id}`;
  const who = auditedActor(actor);
  const outcome = await ctx.store.transaction(async (tx): Promise<Result<Reopened>> => {
    await tx.publications.lockPeriod(ctx.rulebookId, period.id);
    const latest = await tx.publications.latestPublication(ctx.rulebookId, period.id);
    let reopenedVersion: number | null = null;
    if (latest && !latest.reopened) {
      if (!reason)
        return err(
          new AppError('PERIOD.REASON_REQUIRED', `reopening ${period.id} v${latest.version} needs a reason`, {
            field: 'reason',
            params: { month: period.id, value: `v${latest.version}`, max: 1000 },
          }),
        );
      await tx.publications.markReopened(latest.id, { byId: who.actorId, reason });
      await tx.appendAudit({
        ...who,
        action: 'period.reopened',
        entity: 'period',
        entityId,
        before: { version: latest.version, state: 'published' },
        after: { version: latest.version, state: 'reopened' },
        reason,
      });
      reopenedVersion = latest.version;
    }
    let monthReopened = false;
    if (period.kind === 'month') {
      const { before } = await tx.setMonthState(ctx.rulebookId, period.id, 'open', actor.memberId);
      if (before === 'closed') {
        await tx.appendAudit({
          ...who,
          action: 'month.reopened',
          entity: 'month',
          entityId,
          before: { state: before },
          after: { state: 'open' },
          reason: reason || null,
        });
        monthReopened = true;
      }
    }
    if (reopenedVersion === null && !monthReopened)
      return err(
        period.kind === 'month'
          ? new AppError('MONTH.ALREADY_IN_STATE', `${period.id} already open`, {
              params: { month: period.id, state: localized('domain.month.open') },
            })
          : new AppError('PERIOD.NOT_PUBLISHED', `${period.id} is not published`, { params: { month: period.id } }),
      );
    return ok({ period: period.id, reopenedVersion, monthReopened });
  });
  if (outcome.ok && outcome.value.monthReopened)
    await ctx.publish({ type: 'month.reopened', rulebookId: ctx.rulebookId, year: ctx.year, month: period.id });
  return outcome;
}
