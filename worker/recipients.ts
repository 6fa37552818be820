// Who a message goes to, per platform, looked up once per job (a sweep over 5,000 findings asks
// about 59 units, not 5,000 times).

import { toLocale, type Locale } from '../core/i18n/locale.ts';
import type { MemberRecord } from '../core/ports/assessment-store.port.ts';
import type { Assessment, WorkerDeps } from './context.ts';

export const ORGANISERS_SCOPE = 'organisers';

export class Recipients {
  readonly #channels = new Map<string, Promise<string | null>>();
  readonly #contacts = new Map<string, Promise<string[]>>();
  readonly #members = new Map<string, Promise<MemberRecord[]>>();

  constructor(
    private readonly deps: Pick<WorkerDeps, 'prisma' | 'store' | 'locale'>,
    private readonly a: Assessment,
  ) {}

  /** The channel bound to a scope ('organisers' or a unit's canonical name), or null. */
  channel(platform: string, scope: string): Promise<string | null> {
    const k = `${platform}\u0000${scope}`;
    let p = this.#channels.get(k);
    if (!p) this.#channels.set(k, (p = this.a.service.channelFor(platform, scope)));
    return p;
  }

  /** The unit's active contacts on a platform (user ids, for mentions). */
  contacts(platform: string, unit: string): Promise<string[]> {
    const k = `${platform}\u0000${unit}`;
    let p = this.#contacts.get(k);
    if (!p) this.#contacts.set(k, (p = this.a.service.unitContacts(platform, unit)));
    return p;
  }

  /** The unit's active contacts on a platform with their language (private messages). */
  async contactMembers(platform: string, unit: string): Promise<Array<{ userId: string; locale: Locale }>> {
    let p = this.#members.get(unit);
    if (!p) this.#members.set(unit, (p = this.deps.store.membersOfUnit(this.a.rulebook.id, unit)));
    return (await p)
      .filter((m) => m.active && m.platform === platform && m.role === 'unit_contact')
      .map((m) => ({ userId: m.externalId, locale: m.locale ?? this.deps.locale }));
  }

  /** Active inspectors on a platform, with their language. */
  async inspectors(platform: string): Promise<Array<{ userId: string; locale: Locale }>> {
    const rows = await this.deps.prisma.member.findMany({ where: { platform, role: 'inspector', active: true }, orderBy: { id: 'asc' }, select: { externalId: true, locale: true } });
    return rows.map((m) => ({ userId: m.externalId, locale: m.locale ? toLocale(m.locale) : this.deps.locale }));
  }
}
