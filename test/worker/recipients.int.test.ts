// Who messages go to, asked both ways: core's one-at-a-time look-ups (membership.channelFor
// / unitContacts, what the bot mentions) and the worker's bulk loading (worker/recipients.ts, what
// reminders and month close mention). Both go through the recipient directory; these tests pin
// its definition and that the two answers never differ.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Role, systemActor } from '../../core/assessment-api.ts';
import { RecipientDirectoryRepository } from '../../prisma/repositories/recipient-directory.repository.ts';
import { ORGANISERS_SCOPE, Recipients } from '../../worker/recipients.ts';
import { createCoreFixture } from '../support/core-fixture.ts';

let fx: Awaited<ReturnType<typeof createCoreFixture>>;

async function add(platform: string, externalId: string, role: Role, opts: { unit?: string; locale?: string } = {}) {
  return fx.prisma.member.create({
    data: {
      identities: { create: { platform, externalId } },
      role,
      ...(opts.locale ? { locale: opts.locale } : {}),
      ...(opts.unit ? { unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: opts.unit } } } } : {}),
    },
  });
}

beforeAll(async () => {
  fx = await createCoreFixture();
  await add('slack', 'U-KW-2', 'unit_contact', { unit: '市科委' });
  await add('slack', 'U-KW-1', 'unit_contact', { unit: '市科委', locale: 'en' }); // created later: listed after U-KW-2
  await add('console', 'c-kw', 'unit_contact', { unit: '市科委' });
  await add('slack', 'U-KW-INSP', 'inspector', { unit: '市科委' }); // in the unit, not its contact
  const gone = await add('slack', 'U-KW-GONE', 'unit_contact', { unit: '市科委' });
  await fx.prisma.member.update({ where: { id: gone.id }, data: { active: false } });
  await add('slack', 'U-MZ', 'unit_contact', { unit: '市民政局' });
  await add('slack', 'U-INSP', 'inspector');
  await add('slack', 'U-ORG', 'organiser');
  await fx.prisma.channelBinding.createMany({
    data: [
      { platform: 'slack', scope: ORGANISERS_SCOPE, channelId: 'C-ORG' },
      { platform: 'slack', scope: '市科委', channelId: 'C-KW' },
      { platform: 'console', scope: '市科委', channelId: 'console-KW' },
    ],
  });
}, 60_000);
afterAll(async () => {
  await fx?.drop();
});

// What core answers the worker (the system), one unit or scope at a time.
const worker = systemActor('worker');
async function coreContacts(platform: string, unit: string): Promise<string[]> {
  const r = await fx.membership.unitContacts(worker, { platform, unit });
  if (!r.ok) throw r.error;
  return r.value;
}
async function coreChannel(platform: string, scope: string): Promise<string | null> {
  const r = await fx.membership.channelFor(worker, { platform, scope });
  if (!r.ok) throw r.error;
  return r.value;
}
const bulk = () =>
  new Recipients(
    { recipients: new RecipientDirectoryRepository(fx.prisma), locale: 'zh-CN', platforms: ['slack', 'console'] },
    fx.assessment,
  );

describe('a unit’s contacts', () => {
  it('are its active unit_contact members on the platform, oldest first', async () => {
    expect(await coreContacts('slack', '市科委')).toEqual(['U-KW-2', 'U-KW-1']);
    expect(await coreContacts('console', '市科委')).toEqual(['c-kw']);
    expect(await coreContacts('slack', '市财政局')).toEqual([]);
  });

  it('are found by an alias of the unit as well', async () => {
    expect(await coreContacts('slack', '市知识产权局')).toEqual(['U-KW-2', 'U-KW-1']);
    expect(await bulk().contacts('slack', '市知识产权局')).toEqual(['U-KW-2', 'U-KW-1']);
  });

  it('carry their own language in bulk, else the worker’s', async () => {
    expect(await bulk().contactMembers('slack', '市科委')).toEqual([
      { userId: 'U-KW-2', locale: 'zh-CN' },
      { userId: 'U-KW-1', locale: 'en' },
    ]);
  });

  it('loaded in bulk are exactly what core answers, for every unit and platform', async () => {
    const recipients = bulk();
    for (const platform of ['slack', 'console', 'dingtalk'])
      for (const unit of fx.rulebook.units.keys())
        expect(await recipients.contacts(platform, unit), `${platform} ${unit}`).toEqual(
          await coreContacts(platform, unit),
        );
  });
});

describe('a scope’s channel', () => {
  it('loaded in bulk is exactly what core answers, for every scope and platform', async () => {
    const recipients = bulk();
    expect(await recipients.channel('slack', '市科委')).toBe('C-KW');
    for (const platform of ['slack', 'console', 'dingtalk'])
      for (const scope of [ORGANISERS_SCOPE, ...fx.rulebook.units.keys()])
        expect(await recipients.channel(platform, scope), `${platform} ${scope}`).toBe(
          await coreChannel(platform, scope),
        );
  });
});

describe('inspectors', () => {
  it('are the active inspectors of the platform, with or without a unit', async () => {
    expect((await bulk().inspectors('slack')).map((c) => c.userId)).toEqual(['U-KW-INSP', 'U-INSP']);
    expect(await bulk().inspectors('console')).toEqual([]);
  });
});
