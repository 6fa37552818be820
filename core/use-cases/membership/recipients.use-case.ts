import type { Actor } from '../../assessment-api.ts';
import { forbidden, may, mayForUnit, otherUnit } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';

// Where a message goes and whom it mentions, looked up for the person whose action sends it (the
// bot) or for the system (systemActor('worker')), in the recipient directory that the worker's
// bulk loading shares (core/ports/recipient-directory.port.ts). Organisers, inspectors and the
// system may look up any scope; a unit contact only their own unit's channel and contacts, and the
// organisers' channel (their submissions are announced there).

export const ORGANISERS_SCOPE = 'organisers';

/** The channel bound to a scope ('organisers' or a unit's canonical name) on a platform, or null. */
export async function channelFor(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { platform: string; scope: string },
): Promise<Result<string | null>> {
  if (!may(actor, 'channels.look_up')) return err(forbidden(actor, 'channels.look_up'));
  if (cmd.scope !== ORGANISERS_SCOPE) {
    const unit = ctx.rulebook.resolveUnit(cmd.scope) ?? cmd.scope;
    if (!mayForUnit(actor, 'channels.look_up', unit)) return err(otherUnit(actor, unit));
  }
  const [binding] = await ctx.store.channelBindings({ platforms: [cmd.platform], scopes: [cmd.scope] });
  return ok(binding?.channelId ?? null);
}

/** A unit's active contacts on a platform (for mentions), by platform user id, oldest first. */
export async function unitContacts(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { platform: string; unit: string },
): Promise<Result<string[]>> {
  if (!may(actor, 'contacts.look_up')) return err(forbidden(actor, 'contacts.look_up'));
  const unit = ctx.rulebook.resolveUnit(cmd.unit) ?? cmd.unit;
  if (!mayForUnit(actor, 'contacts.look_up', unit)) return err(otherUnit(actor, unit));
  const contacts = await ctx.store.unitContacts({
    rulebookId: ctx.rulebookId,
    platforms: [cmd.platform],
    units: [unit],
  });
  return ok(contacts.map((c) => c.externalId));
}
