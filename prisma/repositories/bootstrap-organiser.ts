// The first organiser of a deployment (KAOPING_BOOTSTRAP_ORGANISER at seed time, the console's
// built-in organiser): nobody can add members before someone is an organiser.
import type { Member, PrismaClient } from '../client.ts';

export function parseBootstrapOrganiser(spec: string): { platform: string; externalId: string } {
  const i = spec.indexOf(':');
  const platform = i > 0 ? spec.slice(0, i).trim() : '';
  const externalId = i > 0 ? spec.slice(i + 1).trim() : '';
  if (!platform || !externalId) {
    throw new Error(
      `KAOPING_BOOTSTRAP_ORGANISER must look like "platform:externalId" (e.g. slack:U123), got ${JSON.stringify(spec)}`,
    );
  }
  return { platform, externalId };
}

/** What the audit log keeps of a member row. */
function auditedMember(m: Member, identity: { platform: string; externalId: string }) {
  return { id: m.id, identities: [identity], role: m.role, unitId: m.unitId, active: m.active };
}

/**
 * Make the given messenger user an active organiser (creating the member if needed). Audited
 * like any membership change, as `system:seed` (no person behind it); a run that changes nothing
 * writes nothing.
 */
export async function seedBootstrapOrganiser(
  prisma: PrismaClient,
  spec: string,
): Promise<{ member: Member; created: boolean }> {
  const { platform, externalId } = parseBootstrapOrganiser(spec);
  return prisma.$transaction(async (tx) => {
    const identity = await tx.memberIdentity.findUnique({
      where: { platform_externalId: { platform, externalId } },
      select: { memberId: true },
    });
    const before = identity ? await tx.member.findUnique({ where: { id: identity.memberId } }) : null;
    const organiser = { role: 'organiser', unitId: null, active: true } as const;
    const member = identity
      ? await tx.member.update({ where: { id: identity.memberId }, data: organiser })
      : await tx.member.create({ data: { ...organiser, identities: { create: { platform, externalId } } } });
    const changed =
      before === null || before.role !== member.role || before.active !== member.active || before.unitId !== null;
    if (changed)
      await tx.auditLog.create({
        data: {
          actorId: null,
          actorLabel: 'system:seed',
          action: before ? 'member.changed' : 'member.added',
          entity: 'member',
          entityId: String(member.id),
          ...(before ? { before: auditedMember(before, { platform, externalId }) } : {}),
          after: auditedMember(member, { platform, externalId }),
          reason: 'KAOPING_BOOTSTRAP_ORGANISER',
        },
      });
    return { member, created: identity === null };
  });
}
