import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessenger } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import { DingTalkApiClient } from '../../adapters/messenger/dingtalk/dingtalk-api.client.ts';
import { DingTalkMessenger } from '../../adapters/messenger/dingtalk/dingtalk-messenger.adapter.ts';
import { channelRecipient, userRecipient } from '../../core/ports/notification-key.ts';
import { FakeDingTalkApi } from '../support/dingtalk-fake-api.ts';
import { channelOf, consoleMessenger, createWorkerFixture, type WorkerFixture } from './support/worker-fixture.ts';

// Month close on DingTalk, beside a second platform (the console): the results go to the
// organisers' group and to each unit's bound group, the unit's detail privately to its contacts —
// on every platform where a contact has a user id (a contact on both gets it on both, in their
// language), nowhere they have none — each once, under the notification ledger's per-identity keys.

const ORG_GROUP = 'cidOrg==';
// 市教育局's only contact is on the console: its DingTalk group is still told the detail went privately
const GROUP: Record<string, string> = { 市公安局: 'cidPSB==', 市科委: 'cidKW==', 市教育局: 'cidJY==' };

let wf: WorkerFixture;
let api: FakeDingTalkApi;
let console_: ConsoleMessenger;

beforeAll(async () => {
  wf = await createWorkerFixture('dtmonth', { now: '2017-09-20T10:00:00+08:00' });
  api = await FakeDingTalkApi.start();
  await wf.bind(['市公安局', '市教育局']); // console channels
  await wf.db.prisma.channelBinding.createMany({
    data: [
      { platform: 'dingtalk', scope: 'organisers', channelId: ORG_GROUP },
      ...Object.entries(GROUP).map(([scope, channelId]) => ({ platform: 'dingtalk', scope, channelId })),
    ],
  });
  const contact = (unit: string, identities: { platform: string; externalId: string }[], locale?: string) =>
    wf.db.prisma.member.create({
      data: {
        role: 'unit_contact',
        ...(locale ? { locale } : {}),
        unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: unit } } },
        identities: { create: identities },
      },
    });
  // one person on both platforms, reading English; one on DingTalk only; one on the console only
  await contact(
    '市公安局',
    [
      { platform: 'console', externalId: 'c-psb' },
      { platform: 'dingtalk', externalId: 'dt-psb' },
    ],
    'en',
  );
  await contact('市科委', [{ platform: 'dingtalk', externalId: 'dt-kw' }]);
  await contact('市教育局', [{ platform: 'console', externalId: 'c-jy' }]);

  let k = 0;
  for (const [unit, count] of [
    ['市公安局', 2],
    ['市科委', 1],
  ] as const) {
    const r = await wf.bot.findings.file(wf.inspector, {
      unit,
      clause: '2.1.1a',
      date: '2017-09-07',
      count,
      idempotencyKey: `dtm-${++k}`,
      channel: 'test',
    });
    if (!r.ok) throw r.error;
  }
  const dingtalk = new DingTalkMessenger(
    new DingTalkApiClient({ appKey: api.appKey, appSecret: api.appSecret, apiBaseUrl: api.url, oapiBaseUrl: api.url }),
    { robotCode: api.appKey, cardTemplateId: 'kaoping-card.schema', callbackType: 'STREAM' },
  );
  console_ = consoleMessenger(['市公安局', '市教育局']);
  await wf.start(console_, { messengers: { console: console_, dingtalk }, limits: { dingtalk: [], console: [] } });
  await wf.settle();
  api.reset();
});
afterAll(async () => {
  await wf?.close();
  await api?.close();
});

const markdown = (target: string) => api.cardsTo(target).map((c) => c.params.markdown ?? '');

describe('month close on DingTalk', () => {
  it('results to the organisers’ group and each bound unit group; detail privately to every identity of the contacts', async () => {
    wf.at('2017-09-30', '18:05'); // after the close moment of September's last working day
    expect(
      await wf.run('month', 'month-close', { rulebookId: 'hz-2017', year: 2017, month: '2017-09', cause: 'schedule' }),
    ).toMatchObject({ month: '2017-09', closedNow: true });
    await wf.settle();

    // the organisers' group: the ranked summary
    const summary = markdown(ORG_GROUP);
    expect(summary).toHaveLength(1);
    expect(summary[0]).toContain('2017-09 已结账：各组得分排名');

    // each unit's group: only what is published, saying the detail went privately
    for (const unit of Object.keys(GROUP)) {
      const published = markdown(GROUP[unit]!);
      expect(published).toHaveLength(1);
      expect(published[0]).toContain('2017-09 结账：考评结果通报');
      expect(published[0]).toContain(`${unit}年度得分`);
      expect(published[0]).toContain('本单位的详细得分已私信发送给本单位联系人');
      for (const other of Object.keys(GROUP).filter((u) => u !== unit))
        expect(published[0]).not.toContain(`${other}年度得分`); // never another unit's result
    }

    // privately: the contact on both platforms gets the detail on both, in English
    const psbDingTalk = markdown('dt-psb');
    expect(psbDingTalk).toHaveLength(1);
    expect(psbDingTalk[0]).toContain('市公安局');
    expect(psbDingTalk[0]).toMatch(/2017-09 closed/);
    const onConsole = console_.sent.filter((s) => s.operation === 'postPrivate');
    expect(onConsole.map((s) => s.target).sort()).toEqual(['c-jy', 'c-psb']);
    expect(onConsole.find((s) => s.target === 'c-psb')!.message.text).toMatch(/2017-09 closed/);
    // DingTalk only, in the default language
    expect(markdown('dt-kw')).toHaveLength(1);
    expect(markdown('dt-kw')[0]).toContain('2017-09 结账：市科委考核情况');
    // a console-only contact gets nothing on DingTalk; an unbound unit no group card
    expect(markdown('c-jy')).toHaveLength(0);
    expect(console_.sent.filter((s) => s.target === channelOf('市科委'))).toHaveLength(0);

    // one ledger row per identity, keyed as before identities existed
    const rows = await wf.db.prisma.notification.findMany({
      where: { subjectId: 'hz-2017/2017-09', kind: 'month-close' },
    });
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    expect(
      rows
        .filter((r) => r.stage === 'unit-detail')
        .map((r) => r.recipient)
        .sort(),
    ).toEqual(
      [
        userRecipient('console', 'c-jy'),
        userRecipient('console', 'c-psb'),
        userRecipient('dingtalk', 'dt-kw'),
        userRecipient('dingtalk', 'dt-psb'),
      ].sort(),
    );
    expect(rows.filter((r) => r.stage === 'published').map((r) => r.recipient)).toEqual(
      expect.arrayContaining(Object.keys(GROUP).map((u) => channelRecipient('dingtalk', u))),
    );
  });

  it('the close event arriving afterwards sends nothing more', async () => {
    const cards = api.cards.size;
    const consoleSent = console_.sent.length;
    await wf.run('month', 'month-close', { rulebookId: 'hz-2017', year: 2017, month: '2017-09', cause: 'event' });
    await wf.settle();
    expect(api.cards.size).toBe(cards);
    expect(console_.sent.length).toBe(consoleSent);
  });
});
