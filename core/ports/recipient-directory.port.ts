// Who a message goes to: the one definition of "which channel is a scope's" and "who are a
// unit's contacts", used by core's look-ups (core/use-cases/membership/recipients.use-case.ts, one
// scope or unit at a time) and by the worker's bulk loading (worker/recipients.ts: every binding
// and every contact of its platforms in one query each) alike. The PostgreSQL implementation is
// prisma/repositories/recipient-directory.repository.ts.

import type { Locale } from '../i18n/locale.ts';

/** A scope ('organisers' or a unit's canonical name) bound to a channel on a platform. */
export interface ChannelBinding {
  platform: string;
  scope: string;
  channelId: string;
}

/** A member to address by platform user id, with their language (null: no preference). */
export interface DirectoryMember {
  platform: string;
  externalId: string;
  locale: Locale | null;
}

/** A unit's contact: an active member with the unit_contact role in that unit. */
export interface UnitContact extends DirectoryMember {
  /** The unit's canonical name. */
  unit: string;
}

export interface RecipientDirectoryPort {
  /** The channels bound on these platforms (only these scopes, when given). */
  channelBindings(q: { platforms: readonly string[]; scopes?: readonly string[] }): Promise<ChannelBinding[]>;
  /**
   * The contacts of a rulebook's units on these platforms (only these units, by canonical name,
   * when given): active members with the unit_contact role, oldest member first.
   */
  unitContacts(q: {
    rulebookId: string;
    platforms: readonly string[];
    units?: readonly string[];
  }): Promise<UnitContact[]>;
  /** Active inspectors on these platforms, oldest member first. */
  inspectors(q: { platforms: readonly string[] }): Promise<DirectoryMember[]>;
}
