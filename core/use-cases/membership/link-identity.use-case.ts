import type { Actor, LinkedIdentity, LinkIdentityCommand } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { linkIdentitySchema } from '../../inputs.schema.ts';
import type { MemberRecord } from '../../ports/assessment-store.port.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { auditedActor } from '../shared/audit.ts';

const view = (m: MemberRecord): LinkedIdentity['member'] => ({
  id: m.id,
  role: m.role,
  unit: m.unit,
  identities: m.identities,
});

/**
 * An organiser says two user ids on different messengers are the same person. Of the two, the one
 * that is an active member keeps their role, unit and language and the other id becomes theirs too
 * (taken from an inactive member that held it; replacing the member's previous id on that
 * platform). Refused, writing nothing, when both are different active members — merging two
 * people's records is not a link — or neither is a member.
 */
export async function linkIdentity(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: LinkIdentityCommand,
): Promise<Result<LinkedIdentity>> {
  if (!may(actor, 'members.manage')) return err(forbidden(actor, 'members.manage'));
  const parsed = linkIdentitySchema.safeParse(cmd);
  if (!parsed.success)
    return err(new AppError('MEMBER.INVALID', 'bad identity', { field: 'user', params: { detail: 'user' } }));
  const { member: known, identity: other } = parsed.data;
  if (known.platform === other.platform)
    return err(
      new AppError('MEMBER.SAME_PLATFORM', `${known.platform}:${known.externalId} and ${other.externalId}`, {
        field: 'identity',
        params: { value: other.platform },
      }),
    );
  return ctx.store.transaction(async (tx) => {
    const [a, b] = [await tx.memberByIdentity(known), await tx.memberByIdentity(other)];
    const [activeA, activeB] = [a?.active ? a : null, b?.active ? b : null];
    if (activeA && activeB) {
      if (activeA.id === activeB.id)
        return ok({ member: view(activeA), linked: other, replaced: null, changed: false });
      return err(
        new AppError('MEMBER.IDENTITY_TAKEN', `${other.platform}:${other.externalId} is member ${activeB.id}`, {
          field: 'identity',
          params: { value: `${other.platform}:${other.externalId}` },
        }),
      );
    }
    const target = activeA ?? activeB;
    if (!target)
      return err(
        new AppError('MEMBER.NOT_FOUND', `neither ${known.platform}:${known.externalId} nor the other is a member`, {
          field: 'user',
          params: { value: known.externalId },
        }),
      );
    const linked = activeA ? other : known;
    const { member, before, replaced } = await tx.attachIdentity(target.id, linked);
    await tx.appendAudit({
      ...auditedActor(actor),
      action: 'member.identity_linked',
      entity: 'member',
      entityId: String(member.id),
      before,
      after: member,
    });
    return ok({ member: view(member), linked, replaced, changed: true });
  });
}
