import { AppError } from '../../errors.ts';
import type { StoreTx } from '../../ports/assessment-store.port.ts';

/**
 * No lock-out: the last active organiser (on any platform) may not be removed or given another
 * role, or nobody could manage members any more and recovery would need SQL. Called inside the
 * change's transaction: the organisers' rows stay locked until it ends, so two organisers demoting
 * each other at once cannot both succeed.
 */
export async function lastOrganiserRefusal(
  tx: StoreTx,
  who: { platform: string; externalId: string },
): Promise<AppError | null> {
  const organisers = await tx.lockActiveOrganisers();
  if (organisers.length > 1) return null;
  const member = await tx.memberByIdentity(who);
  if (!member?.active || !organisers.includes(member.id)) return null;
  return new AppError('MEMBER.LAST_ORGANISER', `${who.platform}:${who.externalId} is the last active organiser`, {
    field: 'user',
    params: { value: who.externalId },
  });
}
