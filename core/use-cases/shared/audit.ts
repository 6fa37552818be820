import { type Actor, isSystemActor } from '../../assessment-api.ts';

/** Who an audit entry names: a member by id and label, or the system by name with no member id. */
export function auditedActor(actor: Actor): { actorId: number | null; actorLabel: string } {
  if (isSystemActor(actor)) return { actorId: null, actorLabel: `system:${actor.externalId}` };
  return { actorId: actor.memberId, actorLabel: `${actor.role}:${actor.platform}:${actor.externalId}` };
}
