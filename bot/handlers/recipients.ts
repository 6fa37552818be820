import type { Actor } from '../../core/assessment-api.ts';
import type { AppError, Result } from '../../core/errors.ts';
import type { BotDeps } from '../interaction.ts';

// Where the messages an action sends go, looked up in core for the person acting (a unit contact
// may look up only their own unit and the organisers' channel). The bot only asks for what the
// action concerns, so a refusal here is a bug: it is logged, and the message is not sent (the
// action itself is done and answered).

function allowed<T>(deps: BotDeps, r: Result<T, AppError>, what: string, fallback: T): T {
  if (r.ok) return r.value;
  deps.logger.warn({ code: r.error.code, err: r.error.message }, `${what} refused; not sending`);
  return fallback;
}

/** The channel bound to a scope ('organisers' or a unit), or null (none bound, or refused). */
export async function channelOf(deps: BotDeps, actor: Actor, platform: string, scope: string): Promise<string | null> {
  return allowed(deps, await deps.membership.channelFor(actor, { platform, scope }), 'channel look-up', null);
}

/** The unit's contacts to mention (none when refused). */
export async function contactsOf(deps: BotDeps, actor: Actor, platform: string, unit: string): Promise<string[]> {
  return allowed(deps, await deps.membership.unitContacts(actor, { platform, unit }), 'contacts look-up', []);
}

/** Remember where the finding's notice now is (later changes update that message). */
export async function rememberNotice(deps: BotDeps, actor: Actor, findingId: string, ref: string): Promise<void> {
  allowed(deps, await deps.findings.recordNotice(actor, { findingId, ref }), 'notice record', undefined);
}
