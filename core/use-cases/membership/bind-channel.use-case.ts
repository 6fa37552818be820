import type { Actor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { didYouMean } from '../../issue-params.ts';
import { suggestUnits } from '../../suggest.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { auditedActor } from '../shared/audit.ts';

/** An organiser binds a channel to a scope: 'organisers' or a unit (canonical name or alias). */
export async function bindChannel(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { platform: string; scope: string; channelId: string },
): Promise<Result<{ scope: string }>> {
  if (!may(actor, 'members.manage')) return err(forbidden(actor, 'members.manage'));
  let scope = cmd.scope;
  if (scope !== 'organisers') {
    const unit = ctx.rulebook.resolveUnit(scope);
    if (!unit)
      return err(
        new AppError('UNIT.UNKNOWN', `unknown unit ${scope}`, {
          field: 'unit',
          params: { value: scope, suggestion: didYouMean(suggestUnits(ctx.rulebook, scope)) },
        }),
      );
    scope = unit;
  }
  return ctx.store.transaction(async (tx) => {
    const { before } = await tx.bindChannel(cmd.platform, scope, cmd.channelId);
    await tx.appendAudit({
      ...auditedActor(actor),
      action: 'channel.bound',
      entity: 'channel',
      entityId: `${cmd.platform}/${scope}`,
      before: before === null ? null : { channelId: before },
      after: { channelId: cmd.channelId },
    });
    return ok({ scope });
  });
}
