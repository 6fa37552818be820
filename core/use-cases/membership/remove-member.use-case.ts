import type { Actor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { auditedActor } from '../shared/audit.ts';

/**
 * An organiser deactivates a member (nothing is deleted): from then on kaoping does not know them.
 * Nobody removes themselves: the organiser acting stays, so a person never removes the last organiser.
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
