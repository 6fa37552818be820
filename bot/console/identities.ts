import type { Actor, Role } from '../../core/assessment-api.ts';
import type { Membership } from '../../core/use-cases/membership/membership.module.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import type { Rulebook } from '../../rules/rulebook.ts';

// The people and channels of the console: platform 'console' members and channel bindings,
// created idempotently through the core (the first organiser is bootstrapped by the entry, as
// KAOPING_BOOTSTRAP_ORGANISER does for a messenger). Ids look like Slack's (U…, C…) so that the
// same /kaoping commands work here: /kaoping member add @UGUEST1A2B inspector.

export const CONSOLE_PLATFORM = 'console';
export const ORGANISER_ID = 'UORGANISER';
export const INSPECTOR_ID = 'UINSPECTOR';
export const ORGANISERS_CHANNEL = 'CORGANISERS';

export interface ConsoleIdentity {
  userId: string;
  /** What the prompt and mentions show. */
  name: string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A stable guest id for any other name (the person kaoping does not know yet). */
export function guestId(name: string): string {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  return `UGUEST${h.toString(36).toUpperCase()}`;
}

export class ConsoleDirectory {
  readonly #units: string[];
  readonly #guests = new Map<string, string>();

  constructor(
    private readonly rulebook: Rulebook,
    private readonly membership: Membership,
    private readonly locale: Locale,
  ) {
    this.#units = rulebook.data.units.map((u) => u.name);
  }

  contactId(unit: string): string {
    const i = this.#units.indexOf(unit);
    if (i < 0) throw new Error(`not an assessed unit: ${unit}`);
    return `UCONTACT${pad(i + 1)}`;
  }

  unitChannel(unit: string): string {
    const i = this.#units.indexOf(unit);
    if (i < 0) throw new Error(`not an assessed unit: ${unit}`);
    return `CUNIT${pad(i + 1)}`;
  }

  /** Display name of a console user id (mentions, prompt). */
  userName(userId: string): string {
    if (userId === ORGANISER_ID) return t(this.locale, 'bot.console.name.organiser');
    if (userId === INSPECTOR_ID) return t(this.locale, 'bot.console.name.inspector');
    const m = /^UCONTACT(\d+)$/.exec(userId);
    const unit = m ? this.#units[Number(m[1]) - 1] : undefined;
    if (unit) return t(this.locale, 'bot.console.name.contact', { unit });
    return this.#guests.get(userId) ?? userId;
  }

  /** Display name of a console channel id. */
  channelName(channelId: string): string {
    if (channelId === ORGANISERS_CHANNEL) return t(this.locale, 'bot.console.channel.organisers');
    const m = /^CUNIT(\d+)$/.exec(channelId);
    const unit = m ? this.#units[Number(m[1]) - 1] : undefined;
    return unit ? t(this.locale, 'bot.console.channel.unit', { unit }) : channelId;
  }

  async actor(userId: string): Promise<Actor | null> {
    const r = await this.membership.resolveActor(CONSOLE_PLATFORM, userId);
    return r.ok ? r.value : null;
  }

  async organiser(): Promise<Actor> {
    const a = await this.actor(ORGANISER_ID);
    if (a?.role !== 'organiser') throw new Error(`console organiser ${ORGANISER_ID} is missing: bootstrap it first`);
    return a;
  }

  /** A member with this role (and unit), added by the console organiser when missing. */
  async ensureMember(userId: string, role: Role, unit?: string, displayName?: string): Promise<Actor> {
    const have = await this.actor(userId);
    if (have && have.role === role && (role !== 'unit_contact' || have.unit === unit)) return have;
    const r = await this.membership.addMember(await this.organiser(), {
      platform: CONSOLE_PLATFORM,
      externalId: userId,
      role,
      ...(unit ? { unit } : {}),
      ...(displayName ? { displayName } : {}),
    });
    if (!r.ok) throw r.error;
    const a = await this.actor(userId);
    if (!a) throw new Error(`member ${userId} not resolvable after adding`);
    return a;
  }

  ensureInspector(): Promise<Actor> {
    return this.ensureMember(INSPECTOR_ID, 'inspector', undefined, this.userName(INSPECTOR_ID));
  }

  ensureContact(unit: string): Promise<Actor> {
    return this.ensureMember(this.contactId(unit), 'unit_contact', unit, this.userName(this.contactId(unit)));
  }

  /** Every unit's group channel and the organisers' channel, bound once. */
  async ensureChannels(): Promise<number> {
    let bound = 0;
    const scopes: Array<[string, string]> = [
      ['organisers', ORGANISERS_CHANNEL],
      ...this.#units.map((u): [string, string] => [u, this.unitChannel(u)]),
    ];
    // Bound in this order, so when the first and the last are there, so is everything between.
    const last = scopes.at(-1)!;
    const org = await this.organiser();
    const isBound = async (scope: string) => {
      const r = await this.membership.channelFor(org, { platform: CONSOLE_PLATFORM, scope });
      if (!r.ok) throw r.error;
      return r.value !== null;
    };
    if ((await isBound('organisers')) && (await isBound(last[0]))) return 0;
    for (const [scope, channelId] of scopes) {
      if (await isBound(scope)) continue;
      const r = await this.membership.bindChannel(org, { platform: CONSOLE_PLATFORM, scope, channelId });
      if (!r.ok) throw r.error;
      bound++;
    }
    return bound;
  }

  /**
   * `/as …`: organiser, inspector, a unit (canonical name or alias) → its contact, created when
   * missing; anything else → a guest kaoping does not know.
   */
  async resolveAs(word: string): Promise<ConsoleIdentity> {
    const w = word.trim();
    const lower = w.toLowerCase();
    if (
      ['organiser', 'organizer', 'org', 'admin', '考核办', '组织单位', '考核组织单位', '考评办', '跑改办'].includes(
        lower,
      )
    ) {
      return { userId: ORGANISER_ID, name: this.userName(ORGANISER_ID) };
    }
    if (['inspector', '督查员', '督查'].includes(lower)) {
      await this.ensureInspector();
      return { userId: INSPECTOR_ID, name: this.userName(INSPECTOR_ID) };
    }
    const unit = this.rulebook.resolveUnit(w);
    if (unit) {
      await this.ensureContact(unit);
      const id = this.contactId(unit);
      return { userId: id, name: this.userName(id) };
    }
    const id = /^[UW][A-Z0-9]{2,}$/.test(w) ? w : guestId(w);
    if (id !== w) this.#guests.set(id, w);
    return { userId: id, name: this.userName(id) };
  }
}
