import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dingTalkMessenger } from '../../adapters/messenger/dingtalk/dingtalk-settings.ts';
import { userRecipient } from '../../core/ports/notification-key.ts';
import { FakeDingTalkApi } from '../support/dingtalk-fake-api.ts';
import { consoleMessenger, createWorkerFixture, type WorkerFixture } from './support/worker-fixture.ts';

// DINGTALK_AGENT_ID set: the worker's private detail (a unit's breakdown at month close) reaches
// the contact as a work notification (工作通知) under the app when it has nothing to press; a
// breakdown with an open item keeps its "submit rectification" button and so stays a card in the
// chat with the robot; the groups get their cards. The messenger is built from the settings as
// worker/main.ts builds it.

let wf: WorkerFixture;
let api: FakeDingTalkApi;

beforeAll(async () => {
  wf = await createWorkerFixture('dtnotice', { now: '2017-09-20T10:00:00+08:00' });
  api = await FakeDingTalkApi.start();
  await wf.db.prisma.channelBinding.createMany({
    data: [
      { platform: 'dingtalk', scope: 'organisers', channelId: 'cidOrg==' },
      { platform: 'dingtalk', scope: '市科委', channelId: 'cidKW==' },
      { platform: 'dingtalk', scope: '市教育局', channelId: 'cidJY==' },
    ],
  });
  // 市科委's finding is rectified and verified before the close (nothing open); 市教育局's is open
  for (const [unit, id] of [
    ['市科委', 'dt-kw'],
    ['市教育局', 'dt-jy'],
  ] as const)
    await wf.db.prisma.member.create({
      data: {
        role: 'unit_contact',
        unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: unit } } },
        identities: { create: { platform: 'dingtalk', externalId: id } },
      },
    });
  const file = async (unit: string, key: string) => {
    const r = await wf.bot.findings.file(wf.inspector, {
      unit,
      clause: '2.1.1a',
      date: '2017-09-07',
      count: 1,
      idempotencyKey: key,
      channel: 'test',
    });
    if (!r.ok) throw r.error;
    return r.value.finding;
  };
  const closed = await file('市科委', 'dtn-1');
  await file('市教育局', 'dtn-2');
  const kw = await wf.bot.membership.resolveActor('dingtalk', 'dt-kw');
  if (!kw.ok) throw kw.error;
  const submitted = await wf.bot.rectification.submit(kw.value, {
    findingId: closed.id,
    evidenceText: '已整改',
    idempotencyKey: 'dtn-rect-1',
  });
  if (!submitted.ok) throw submitted.error;
  const verified = await wf.bot.rectification.verify(wf.inspector, { findingId: closed.id });
  if (!verified.ok) throw verified.error;
  const dingtalk = dingTalkMessenger({
    appKey: api.appKey,
    appSecret: { reveal: () => api.appSecret },
    robotCode: api.appKey,
    cardTemplateId: 'kaoping-card.schema',
    mode: 'stream',
    cardCallbackRouteKey: undefined,
    apiBaseUrl: api.url,
    oapiBaseUrl: api.url,
    workNoticeAgentId: '3051234567',
  });
  const console_ = consoleMessenger();
  await wf.start(console_, { messengers: { console: console_, dingtalk }, limits: { dingtalk: [], console: [] } });
  await wf.settle();
  api.reset();
});
afterAll(async () => {
  await wf?.close();
  await api?.close();
});

describe('work notifications for private detail', () => {
  it('month close: the contact’s breakdown is a work notification, the group’s result a card; each sent once', async () => {
    wf.at('2017-09-30', '18:05');
    await wf.run('month', 'month-close', { rulebookId: 'hz-2017', year: 2017, month: '2017-09', cause: 'schedule' });
    await wf.settle();
    expect(api.workNotices).toHaveLength(1);
    expect(api.workNotices[0]).toMatchObject({ agentId: 3051234567, userIds: ['dt-kw'] });
    expect(api.workNotices[0]!.text).toContain('市科委');
    expect(api.cardsTo('dt-kw')).toHaveLength(0);
    expect(api.cardsTo('cidKW==').map((c) => c.params.markdown)).toEqual([expect.stringContaining('市科委年度得分')]);
    // an open item to rectify: its button stays pressable, so the breakdown stays a card
    const open = api.cardsTo('dt-jy');
    expect(open).toHaveLength(1);
    expect(JSON.parse(open[0]!.params.buttons!).map((b: { action: string }) => b.action)).toContain(
      'finding.submit_rectification',
    );

    const row = await wf.db.prisma.notification.findFirstOrThrow({
      where: { subjectId: 'hz-2017/2017-09', kind: 'month-close', recipient: userRecipient('dingtalk', 'dt-kw') },
    });
    expect(row.state).toBe('sent');
    const workNoticeCalls = api.callsOf('workNotice.send').length;

    // the close event arriving afterwards sends nothing more
    await wf.run('month', 'month-close', { rulebookId: 'hz-2017', year: 2017, month: '2017-09', cause: 'event' });
    await wf.settle();
    expect(api.callsOf('workNotice.send')).toHaveLength(workNoticeCalls);
  });
});
