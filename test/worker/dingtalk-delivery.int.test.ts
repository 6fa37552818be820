import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DingTalkApiClient } from '../../adapters/messenger/dingtalk/dingtalk-api.client.ts';
import { DingTalkMessenger } from '../../adapters/messenger/dingtalk/dingtalk-messenger.adapter.ts';
import { message, paragraph } from '../../core/messages/message.ts';
import { channelRecipient } from '../../core/ports/notification-key.ts';
import { FakeDingTalkApi } from '../support/dingtalk-fake-api.ts';
import { consoleMessenger, createWorkerFixture, type WorkerFixture } from './support/worker-fixture.ts';

// The worker sending on DingTalk through the fake DingTalk API: overdue alerts reach the unit's
// group as cards that @-mention its contacts by DingTalk user id, paced by the per-group rate
// limit; a message DingTalk refuses for good is recorded as failed in the notification ledger
// and the organisers' group is told.

const UNITS = ['市公安局', '市科委', '市教育局'] as const;
const GROUP: Record<string, string> = { 市公安局: 'cidPSB==', 市科委: 'cidKW==', 市教育局: 'cidJY==' };
const ORG_GROUP = 'cidOrg==';

let wf: WorkerFixture;
let api: FakeDingTalkApi;
let rt: Awaited<ReturnType<WorkerFixture['start']>>;

beforeAll(async () => {
  wf = await createWorkerFixture('dingtalk', { now: '2017-09-22T10:00:00+08:00' });
  api = await FakeDingTalkApi.start();
  await wf.db.prisma.channelBinding.createMany({
    data: [
      { platform: 'dingtalk', scope: 'organisers', channelId: ORG_GROUP },
      ...UNITS.map((u) => ({ platform: 'dingtalk', scope: u, channelId: GROUP[u]! })),
    ],
  });
  for (const [id, unit] of [
    ['dt-psb-1', '市公安局'],
    ['dt-psb-2', '市公安局'],
    ['dt-kw-1', '市科委'],
    ['dt-jy-1', '市教育局'],
  ] as const)
    await wf.db.prisma.member.create({
      data: {
        identities: { create: { platform: 'dingtalk', externalId: id } },
        role: 'unit_contact',
        unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: unit } } },
      },
    });
  const dingtalk = new DingTalkMessenger(
    new DingTalkApiClient({ appKey: api.appKey, appSecret: api.appSecret, apiBaseUrl: api.url, oapiBaseUrl: api.url }),
    { robotCode: api.appKey, cardTemplateId: 'kaoping-card.schema', callbackType: 'STREAM' },
  );
  // the token is fetched once up front, so the sends below are timed by the limiter alone
  await dingtalk.postPrivate('dt-warm-up', message([paragraph('warm-up')]));
  // 2 messages a minute per group here (DingTalk: 19), so the third is visibly held back
  rt = await wf.start(consoleMessenger(), {
    messengers: { console: consoleMessenger(), dingtalk },
    limits: { dingtalk: [{ limit: 2, windowMs: 60_000 }], console: [] },
  });
});
afterAll(async () => {
  await wf?.close();
  await api?.close();
});

async function until(cond: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 25));
  }
}

let n = 0;
async function overdueFinding(unit: string): Promise<string> {
  const r = await wf.bot.findings.file(wf.inspector, {
    unit,
    clause: '2.1.1a',
    date: '2017-09-04',
    deadline: '2017-09-18',
    idempotencyKey: `dt-overdue-${++n}`,
    channel: 'test',
  });
  if (!r.ok) throw r.error;
  return r.value.finding.id;
}

describe('the worker on DingTalk', () => {
  it('overdue alerts reach each unit’s group, @-mention its contacts, and keep to the per-group rate limit', async () => {
    const ids = [await overdueFinding('市公安局'), await overdueFinding('市公安局'), await overdueFinding('市公安局')];
    await overdueFinding('市科委');
    await wf.run('reminders', 'reminder-sweep', { rulebookId: 'hz-2017' });
    // every job has run; what is left is sends the limiter put off (delayed, not retried)
    await wf.settle({ except: ['notify'] });
    await until(async () => {
      const c = await wf.queues.notify.getJobCounts('active', 'waiting', 'prioritized', 'delayed');
      return (c.active ?? 0) + (c.waiting ?? 0) + (c.prioritized ?? 0) === 0 && (c.delayed ?? 0) > 0;
    });
    const psb = api.cardsTo(GROUP.市公安局!);
    // three alerts are due for the group; its limit (2 per minute here, 19 on DingTalk) lets two through
    expect(psb).toHaveLength(2);
    for (const card of psb) {
      expect(card.atUserIds).toEqual({ 'dt-psb-1': 'dt-psb-1', 'dt-psb-2': 'dt-psb-2' });
      expect(card.params.markdown).toContain('@dt-psb-1');
    }
    // another group has its own allowance
    expect(api.cardsTo(GROUP.市科委!)).toHaveLength(1);
    expect(api.cardsTo(GROUP.市科委!)[0]!.atUserIds).toEqual({ 'dt-kw-1': 'dt-kw-1' });
    const rows = await wf.db.prisma.notification.findMany({
      where: { subjectId: { in: ids }, recipient: channelRecipient('dingtalk', '市公安局') },
    });
    const sent = rows.filter((r) => r.state === 'sent');
    expect(sent).toHaveLength(2);
    expect(sent.every((r) => r.messageRef?.startsWith('dingtalk:kp-'))).toBe(true);
    // the third waits for the window without holding a claim (nothing recorded as attempted)
    expect(rows.filter((r) => r.state !== 'sent').every((r) => r.attempts === 0)).toBe(true);
  });

  it('a message DingTalk refuses for good is recorded as failed, and the organisers’ group is told', async () => {
    api.reset();
    api.fail(
      'card.createAndDeliver',
      { status: 403, code: 'Forbidden.AccessDenied.RobotNotInGroup', message: 'robot is not in the group' },
      { target: GROUP.市教育局!, times: Infinity },
    );
    // the organisers' group used its allowance in the test above
    await rt.limiter.reset(`dingtalk/${ORG_GROUP}`);
    const id = await overdueFinding('市教育局');
    await wf.run('reminders', 'reminder-sweep', { rulebookId: 'hz-2017' });
    await until(async () => api.cardsTo(ORG_GROUP).some((c) => c.params.summary!.includes('未能送达')));
    const row = await wf.db.prisma.notification.findFirstOrThrow({
      where: { subjectId: id, recipient: channelRecipient('dingtalk', '市教育局') },
    });
    expect(row.state).toBe('failed');
    expect(row.lastError).toContain('Forbidden.AccessDenied.RobotNotInGroup');
    // one attempt: a permanent refusal is not retried
    expect(
      api
        .callsOf('card.createAndDeliver')
        .filter((c) => c.body.openSpaceId === `dtv1.card//IM_GROUP.${GROUP.市教育局}`),
    ).toHaveLength(1);
    const told = api.cardsTo(ORG_GROUP).find((c) => c.params.summary!.includes('未能送达'))!;
    expect(told.params.markdown).toContain('市教育局');
  });
});
