import type { Actor, Role } from '../../core/assessment-api.ts';
import type { Membership } from '../../core/use-cases/membership/membership.module.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import type { Rulebook } from '../../rules/rulebook.ts';

// The people and channels of the console: platform 'console' members and channel bindings,
// created idempotently through the core (the first organiser is bootstrapped by the entry, as
// KAOPING_BOOTSTRAP_ORGANISER does for a messenger). Ids look like Slack's (U…, C…) so that the
// same handlers work here, but people type names: `/kaoping member add @张三 inspector`,
// `/kaoping channel 市公安局 #gaj`, `/as 张三`. A name that is nobody built in becomes an id that
// spells it (UX/CX + its UTF-8 bytes in hex), so @张三, /as 张三 and the member an organiser adds
// are one person, and names read back after a restart.

export const CONSOLE_PLATFORM = 'console';
export const ORGANISER_ID = 'UORGANISER';
export const INSPECTOR_ID = 'UINSPECTOR';
export const ORGANISERS_CHANNEL = 'CORGANISERS';

export interface ConsoleIdentity {
  userId: string;
  /** What the prompt and mentions show. */
  name: string;
}

const ORGANISER_WORDS = new Set([
  'organiser',
  'organizer',
  'organisers',
  'organizers',
  'org',
  'admin',
  '考核办',
  '组织单位',
  '考核组织单位',
  '考评办',
  '跑改办',
]);
const INSPECTOR_WORDS = new Set(['inspector', '督查员', '督查']);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const hex = (name: string) => Buffer.from(name, 'utf8').toString('hex').toUpperCase();
const unhex = (code: string) => Buffer.from(code, 'hex').toString('utf8');

/** A stable id for any other person's name: the same name is always the same person. */
export function guestId(name: string): string {
  return `UX${hex(name)}`;
}

/** A stable id for a channel named at the console (`#gaj`). */
export function namedChannelId(name: string): string {
  return `CX${hex(name)}`;
}

/** The name inside a UX/CX id, or null. */
function spelled(id: string, prefix: 'UX' | 'CX'): string | null {
  const m = new RegExp(`^${prefix}((?:[0-9A-F]{2})+)$`).exec(id);
  return m ? unhex(m[1]!) : null;
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
    return this.#guests.get(userId) ?? spelled(userId, 'UX') ?? userId;
  }

  /** Display name of a console channel id. */
  channelName(channelId: string): string {
    if (channelId === ORGANISERS_CHANNEL) return t(this.locale, 'bot.console.channel.organisers');
    const m = /^CUNIT(\d+)$/.exec(channelId);
    const unit = m ? this.#units[Number(m[1]) - 1] : undefined;
    return unit ? t(this.locale, 'bot.console.channel.unit', { unit }) : (spelled(channelId, 'CX') ?? channelId);
  }

  /**
   * A person as typed after @ at the console: the built-in organiser and inspector by their
   * names, a unit's contact by the unit (name or alias), an id as is, anyone else by name.
   */
  userRef(word: string): { id: string; name: string } {
    const w = word.trim().replace(/^@/, '');
    const builtIn = this.#builtIn(w);
    if (builtIn) return { id: builtIn, name: this.userName(builtIn) };
    if (/^U[A-Z0-9]{2,}$/.test(w)) return { id: w, name: this.userName(w) };
    const unit = this.rulebook.resolveUnit(w);
    if (unit) return { id: this.contactId(unit), name: this.userName(this.contactId(unit)) };
    return { id: guestId(w), name: w };
  }

  /** A channel as typed after # at the console: 考核办群, a unit's group (市公安局群 or the unit), or any name. */
  channelRef(word: string): { id: string; name: string } {
    const w = word.trim().replace(/^#/, '');
    if (/^C[A-Z0-9]{2,}$/.test(w)) return { id: w, name: this.channelName(w) };
    if (w === this.channelName(ORGANISERS_CHANNEL) || ORGANISER_WORDS.has(w.toLowerCase()))
      return { id: ORGANISERS_CHANNEL, name: this.channelName(ORGANISERS_CHANNEL) };
    const unit = this.rulebook.resolveUnit(w) ?? this.#units.find((u) => this.channelName(this.unitChannel(u)) === w);
    if (unit) return { id: this.unitChannel(unit), name: this.channelName(this.unitChannel(unit)) };
    return { id: namedChannelId(w), name: w };
  }

  #builtIn(word: string): string | null {
    const lower = word.toLowerCase();
    if (ORGANISER_WORDS.has(lower) || word === this.userName(ORGANISER_ID)) return ORGANISER_ID;
    if (INSPECTOR_WORDS.has(lower) || word === this.userName(INSPECTOR_ID)) return INSPECTOR_ID;
    return null;
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
    if (ORGANISER_WORDS.has(lower)) {
      return { userId: ORGANISER_ID, name: this.userName(ORGANISER_ID) };
    }
    if (INSPECTOR_WORDS.has(lower)) {
      await this.ensureInspector();
      return { userId: INSPECTOR_ID, name: this.userName(INSPECTOR_ID) };
    }
    const unit = this.rulebook.resolveUnit(w);
    if (unit) {
      await this.ensureContact(unit);
      const id = this.contactId(unit);
      return { userId: id, name: this.userName(id) };
    }
    const id = /^[UW][A-Z0-9]{2,}$/.test(w) ? w : guestId(w.replace(/^@/, ''));
    if (id !== w) this.#guests.set(id, w);
    return { userId: id, name: this.userName(id) };
  }
}
