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

/** Make the given messenger user an active organiser (creating the member if needed). */
export async function seedBootstrapOrganiser(
  prisma: PrismaClient,
  spec: string,
): Promise<{ member: Member; created: boolean }> {
  const { platform, externalId } = parseBootstrapOrganiser(spec);
  const identity = await prisma.memberIdentity.findUnique({
    where: { platform_externalId: { platform, externalId } },
    select: { memberId: true },
  });
  const organiser = { role: 'organiser', unitId: null, active: true } as const;
  const member = identity
    ? await prisma.member.update({ where: { id: identity.memberId }, data: organiser })
    : await prisma.member.create({ data: { ...organiser, identities: { create: { platform, externalId } } } });
  return { member, created: identity === null };
}
