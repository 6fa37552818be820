// Who a message goes to, per platform. Loaded in bulk once per job — every channel binding of the
// worker's platforms in one query, every active unit contact of the rulebook in another — so a
// sweep over 5,000 findings or a month close for 59 units costs two queries, not hundreds.
// The rules are core's recipient directory (core/ports/recipient-directory.port.ts), the same
// methods core's channelFor / unitContacts use cases ask one scope or unit at a time.

import type { Locale } from '../core/i18n/locale.ts';
import type { Assessment, WorkerDeps } from './context.ts';

export const ORGANISERS_SCOPE = 'organisers';

export interface Contact {
  userId: string;
  locale: Locale;
}

const k = (platform: string, scope: string) => `${platform}\u0000${scope}`;

export class Recipients {
  #channels: Promise<Map<string, string>> | null = null;
  #contacts: Promise<Map<string, Contact[]>> | null = null;

  constructor(
    private readonly deps: Pick<WorkerDeps, 'recipients' | 'locale' | 'platforms'>,
    private readonly a: Assessment,
  ) {}

  /** The channel bound to a scope ('organisers' or a unit's canonical name), or null. */
  async channel(platform: string, scope: string): Promise<string | null> {
    this.#channels ??= this.deps.recipients
      .channelBindings({ platforms: this.deps.platforms })
      .then((rows) => new Map(rows.map((r) => [k(r.platform, r.scope), r.channelId])));
    return (await this.#channels).get(k(platform, scope)) ?? null;
  }

  /** The unit's active contacts on a platform, with their language (private messages). */
  async contactMembers(platform: string, unit: string): Promise<Contact[]> {
    this.#contacts ??= this.deps.recipients
      .unitContacts({ rulebookId: this.a.rulebook.id, platforms: this.deps.platforms })
      .then((rows) => {
        const m = new Map<string, Contact[]>();
        for (const r of rows) {
          const list = m.get(k(r.platform, r.unit)) ?? [];
          list.push({ userId: r.externalId, locale: r.locale ?? this.deps.locale });
          m.set(k(r.platform, r.unit), list);
        }
        return m;
      });
    return (await this.#contacts).get(k(platform, this.a.rulebook.resolveUnit(unit) ?? unit)) ?? [];
  }

  /** The unit's active contacts on a platform (user ids, for mentions). */
  async contacts(platform: string, unit: string): Promise<string[]> {
    return (await this.contactMembers(platform, unit)).map((c) => c.userId);
  }

  /** Active inspectors on a platform, with their language. */
  async inspectors(platform: string): Promise<Contact[]> {
    const rows = await this.deps.recipients.inspectors({ platforms: [platform] });
    return rows.map((m) => ({ userId: m.externalId, locale: m.locale ?? this.deps.locale }));
  }
}
