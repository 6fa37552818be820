import type { Actor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { lastOrganiserRefusal } from './last-organiser.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { auditedActor } from '../shared/audit.ts';

/**
 * An organiser deactivates a member (nothing is deleted): from then on kaoping does not know them.
 * Nobody removes themselves, and the last active organiser is never removed (last-organiser.ts):
 * the system, which has no member row, could otherwise do it.
 */
export async function removeMember(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { platform: string; externalId: string },
): Promise<Result<{ memberId: number }>> {
  if (!may(actor, 'members.manage')) return err(forbidden(actor, 'members.manage'));
  // by member, not by user id: an organiser's user id on another messenger is still themselves
  const target = await ctx.store.findMember(cmd.platform, cmd.externalId);
  if ((cmd.platform === actor.platform && cmd.externalId === actor.externalId) || target?.id === actor.memberId)
    return err(new AppError('MEMBER.SELF_REMOVE', `${actor.externalId} may not remove themselves`, { field: 'user' }));
  return ctx.store.transaction(async (tx) => {
    const refused = await lastOrganiserRefusal(tx, cmd);
    if (refused) return err(refused);
    const changed = await tx.deactivateMember(cmd.platform, cmd.externalId);
    if (!changed)
      return err(
        new AppError('MEMBER.NOT_FOUND', `no active member ${cmd.platform}:${cmd.externalId}`, {
          field: 'user',
          params: { value: cmd.externalId },
        }),
      );
    await tx.appendAudit({
      ...auditedActor(actor),
      action: 'member.removed',
      entity: 'member',
      entityId: String(changed.member.id),
      before: changed.before,
      after: changed.member,
    });
    return ok({ memberId: changed.member.id });
  });
}
