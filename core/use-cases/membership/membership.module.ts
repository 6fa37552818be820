import type { Actor, LinkedIdentity, LinkIdentityCommand } from '../../assessment-api.ts';
import type { Result } from '../../errors.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { type AddMemberCommand, addMember } from './add-member.use-case.ts';
import { bindChannel } from './bind-channel.use-case.ts';
import { linkIdentity } from './link-identity.use-case.ts';
import { channelFor, unitContacts } from './recipients.use-case.ts';
import { removeMember } from './remove-member.use-case.ts';
import { resolveActor } from './resolve-actor.use-case.ts';
import { setLocale } from './set-locale.use-case.ts';

/** Who is who, and where they are reached: members, their language, channels, unit contacts. */
export interface Membership {
  resolveActor(platform: string, externalId: string): Promise<Result<Actor>>;
  addMember(actor: Actor, cmd: AddMemberCommand): Promise<Result<{ memberId: number }>>;
  /** The same person's user id on another messenger (see link-identity.use-case.ts). */
  linkIdentity(actor: Actor, cmd: LinkIdentityCommand): Promise<Result<LinkedIdentity>>;
  /** Deactivates a member (nothing is deleted): from then on kaoping does not know them. */
  removeMember(actor: Actor, cmd: { platform: string; externalId: string }): Promise<Result<{ memberId: number }>>;
  bindChannel(
    actor: Actor,
    cmd: { platform: string; scope: string; channelId: string },
  ): Promise<Result<{ scope: string }>>;
  setLocale(actor: Actor, locale: Locale): Promise<Result<Actor>>;
  /** Where to post for a scope ('organisers' or a unit's canonical name) on a platform. */
  channelFor(actor: Actor, cmd: { platform: string; scope: string }): Promise<Result<string | null>>;
  /** Active contacts of a unit (for mentions), by platform user id. */
  unitContacts(actor: Actor, cmd: { platform: string; unit: string }): Promise<Result<string[]>>;
}

export function membershipModule(ctx: AssessmentContext): Membership {
  return {
    resolveActor: (platform, externalId) => resolveActor(ctx, platform, externalId),
    addMember: (actor, cmd) => addMember(ctx, actor, cmd),
    linkIdentity: (actor, cmd) => linkIdentity(ctx, actor, cmd),
    removeMember: (actor, cmd) => removeMember(ctx, actor, cmd),
    bindChannel: (actor, cmd) => bindChannel(ctx, actor, cmd),
    setLocale: (actor, locale) => setLocale(ctx, actor, locale),
    channelFor: (actor, cmd) => channelFor(ctx, actor, cmd),
    unitContacts: (actor, cmd) => unitContacts(ctx, actor, cmd),
  };
}
