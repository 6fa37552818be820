// Channel bindings and the members messages are addressed to, on PostgreSQL (channel_binding,
// member, member_identity). A member is addressed on every asked platform where they have an
// identity: one row per identity, so a contact on Slack and DingTalk is two rows. The rules are core/ports/recipient-directory.port.ts; every method is one query
// whatever the number of platforms, scopes or units asked for.

import type { PrismaClient } from '../generated/client.ts';
import { toLocale } from '../../core/i18n/locale.ts';
import type {
  ChannelBinding,
  DirectoryMember,
  RecipientDirectoryPort,
  UnitContact,
} from '../../core/ports/recipient-directory.port.ts';

export type DirectoryDb = Pick<PrismaClient, 'channelBinding' | 'memberIdentity'>;

export class RecipientDirectoryRepository implements RecipientDirectoryPort {
  constructor(private readonly db: DirectoryDb) {}

  channelBindings(q: { platforms: readonly string[]; scopes?: readonly string[] }): Promise<ChannelBinding[]> {
    return this.db.channelBinding.findMany({
      where: { platform: { in: [...q.platforms] }, ...(q.scopes ? { scope: { in: [...q.scopes] } } : {}) },
      select: { platform: true, scope: true, channelId: true },
      orderBy: { id: 'asc' },
    });
  }

  async unitContacts(q: {
    rulebookId: string;
    platforms: readonly string[];
    units?: readonly string[];
  }): Promise<UnitContact[]> {
    const rows = await this.db.memberIdentity.findMany({
      where: {
        platform: { in: [...q.platforms] },
        member: {
          active: true,
          role: 'unit_contact',
          unit: { rulebookId: q.rulebookId, ...(q.units ? { name: { in: [...q.units] } } : {}) },
        },
      },
      orderBy: [{ memberId: 'asc' }, { id: 'asc' }],
      select: {
        platform: true,
        externalId: true,
        member: { select: { locale: true, unit: { select: { name: true } } } },
      },
    });
    return rows.flatMap((r) =>
      r.member.unit
        ? [
            {
              platform: r.platform,
              externalId: r.externalId,
              locale: r.member.locale ? toLocale(r.member.locale) : null,
              unit: r.member.unit.name,
            },
          ]
        : [],
    );
  }

  async inspectors(q: { platforms: readonly string[] }): Promise<DirectoryMember[]> {
    const rows = await this.db.memberIdentity.findMany({
      where: { platform: { in: [...q.platforms] }, member: { active: true, role: 'inspector' } },
      orderBy: [{ memberId: 'asc' }, { id: 'asc' }],
      select: { platform: true, externalId: true, member: { select: { locale: true } } },
    });
    return rows.map((r) => ({
      platform: r.platform,
      externalId: r.externalId,
      locale: r.member.locale ? toLocale(r.member.locale) : null,
    }));
  }
}
