// Appeals (申诉 → 复核) and extension requests (延期) typed in Slack, end to end against the real
// PostgreSQL and Redis: signed requests into the real Bolt receiver (Slack's Web API faked on
// loopback), core publishing its ledger events to BullMQ, and the worker recomputing the live
// standings and sending the reminders — clock injected. A reduced and a withdrawn appeal each
// recompute the standings and tell the unit; a late and a second appeal are refused; an extension
// approved before the deadline moves the reminders and keeps the overdue alert away; a request
// after the deadline is refused. In zh-CN and English, with the wrong roles refused.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessenger } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import { LIVE_LABEL } from '../../core/ports/standing-snapshots.port.ts';
import { standingsOf } from '../support/core-fixture.ts';
import { startSlackBot } from '../support/bot-harness.ts';
import { FakeSlackApi } from '../support/slack-fake-api.ts';
import { SlackRequests, sendSlackRequest } from '../support/slack-requests.ts';
import { flatText } from '../bot/myscore-support.ts';
import {
  ORG_CHANNEL,
  channelOf,
  consoleMessenger,
  createWorkerFixture,
  type WorkerFixture,
} from './support/worker-fixture.ts';

const SECRET = 'kaoping-office-cycle-secret';
const U = { contact: 'U0GAJ', other: 'U0KW', inspector: 'U0INSP', organiser: 'U0ORG' } as const;
const UNIT = '市公安局';
const UNIT_CHANNEL = 'C0GAJ';

let wf: WorkerFixture;
let messenger: ConsoleMessenger;
let slack: FakeSlackApi;
let bot: Awaited<ReturnType<typeof startSlackBot>>['bot'];
let url: string;
const requests = new SlackRequests({ signingSecret: SECRET });
let n = 0;
let mark = 0;

beforeAll(async () => {
  wf = await createWorkerFixture('officecycle', { now: '2017-06-15T10:00:00+08:00' });
  for (const [id, role, unit] of [
    [U.contact, 'unit_contact', UNIT],
    [U.other, 'unit_contact', '市科委'],
    [U.inspector, 'inspector', null],
    [U.organiser, 'organiser', null],
  ] as const)
    await wf.db.prisma.member.create({
      data: {
        identities: { create: { platform: 'slack', externalId: id } },
        role,
        ...(unit ? { unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: unit } } } } : {}),
      },
    });
  await wf.db.prisma.channelBinding.createMany({
    data: [
      { platform: 'slack', scope: UNIT, channelId: UNIT_CHANNEL },
      { platform: 'slack', scope: 'organisers', channelId: 'C0ORGS' },
    ],
  });
  await wf.bind([UNIT]); // the worker's reminders go to the console platform's channels
  slack = await FakeSlackApi.start();
  ({ bot, url } = await startSlackBot(wf.bot, slack, { signingSecret: SECRET, logger: pino({ level: 'silent' }) }));
  messenger = consoleMessenger([UNIT]);
  await wf.start(messenger);
});
afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await wf?.close();
});

/** `/finding …` typed in Slack: the private reply. */
async function slash(text: string, userId: string): Promise<string> {
  n += 1;
  mark = slack.calls.length;
  const res = await sendSlackRequest(
    url,
    requests.slashCommand({
      command: '/finding',
      text,
      userId,
      channelId: 'C0TYPED',
      triggerId: `${n}.1.cycle${n}`,
      responseUrl: slack.responseUrl(`T/${n}/cycle`),
    }),
  );
  expect(res.status).toBe(200);
  const c = slack.calls
    .slice(mark)
    .filter((x) => x.method === 'response_url')
    .at(-1);
  return c ? `${c.args.text ?? ''}\n${flatText(c.args.blocks)}` : '';
}
const toldUnit = () =>
  slack.calls
    .slice(mark)
    .filter((c) => c.method === 'chat.postMessage' && c.args.channel === UNIT_CHANNEL)
    .map((c) => `${c.args.text ?? ''}\n${flatText(c.args.blocks)}`)
    .join('\n');
const setLocale = (userId: string, locale: string | null) =>
  wf.db.prisma.member.updateMany({
    where: { identities: { some: { platform: 'slack', externalId: userId } } },
    data: { locale },
  });

let k = 0;
async function file(count = 1, clause = '3.1.1a') {
  const r = await wf.bot.findings.file(wf.inspector, {
    unit: UNIT,
    clause,
    count,
    date: wf.bot.today(),
    idempotencyKey: `cycle-${++k}`,
    channel: 'test',
  });
  if (!r.ok) throw r.error;
  await wf.settle();
  return r.value.finding;
}
/** The worker's live snapshot of the unit, and whether it is computed at the ledger's version. */
async function live() {
  const row = await wf.db.prisma.standingSnapshot.findFirstOrThrow({
    where: { year: 2017, label: LIVE_LABEL, unit: { name: UNIT } },
  });
  const ledger = await wf.db.prisma.ledgerVersion.findFirstOrThrow({ where: { year: 2017 } });
  return { total: Number(row.total), current: ledger.computedVersion === ledger.version };
}
const engineTotal = async () => (await standingsOf(wf.bot, wf.bot.today())).units.find((u) => u.unit === UNIT)!.total;

describe('appeals through Slack, recomputed by the worker', () => {
  it('zh-CN: reduced — the wrong roles are refused, the worker recomputes the standings, the unit is told', async () => {
    wf.at('2017-06-15');
    const f = await file(3);
    const before = await live();
    expect(before).toEqual({ total: await engineTotal(), current: true });

    expect(await slash(`申诉 #${f.seq} 两项已在检查前整改`, U.inspector)).toContain(
      '您没有权限执行此操作（对事项提出申诉）',
    );
    expect(await slash(`申诉 #${f.seq} 不是我们单位的`, U.other)).toContain('单位联系人只能查看本单位的考核情况');
    expect(await slash(`申诉 #${f.seq} 两项已在检查前整改`, U.contact)).toContain('提出申诉，待复核');
    expect(toldUnit()).toContain('待复核');
    expect(await slash(`复核 #${f.seq} 核减 x1 核实两项已整改`, U.contact)).toContain(
      '您没有权限执行此操作（复核申诉）',
    );
    expect(await slash(`复核 #${f.seq} 核减 x1 核实两项已整改`, U.inspector)).toContain(
      '您没有权限执行此操作（复核申诉）',
    );

    const ruled = await slash(`复核 #${f.seq} 核减 x1 核实两项已整改`, U.organiser);
    expect(ruled).toContain('申诉复核结论：核减');
    expect(toldUnit()).toContain('复核意见：核实两项已整改');
    await wf.settle();
    // 3.1.1a deducts 1 per item: 3 → 1 gives back 2 points, in the worker's live standings
    expect(await live()).toEqual({ total: before.total + 2, current: true });
  });

  it('English: withdrawn — the finding stops counting, recomputed; reopened, it counts again', async () => {
    await setLocale(U.contact, 'en');
    await setLocale(U.organiser, 'en');
    try {
      const f = await file(2);
      const before = await live();
      expect(await slash(`appeal #${f.seq} both windows were merged before the inspection`, U.contact)).toContain(
        `${UNIT} appealed finding #${f.seq} (clause 3.1.1a); awaiting a ruling.`,
      );
      expect(await slash(`rule #${f.seq} withdraw the office confirms the merger`, U.contact)).toContain(
        'You are not allowed to do that (rule on appeals)',
      );
      const ruled = await slash(`rule #${f.seq} withdraw the office confirms the merger`, U.organiser);
      expect(ruled).toContain(
        `Appeal on finding #${f.seq} (${UNIT}) ruled: the finding is withdrawn and no longer counts.`,
      );
      expect(toldUnit()).toContain('the office confirms the merger'); // the unit's chat, in the office's language
      await wf.settle();
      expect(await live()).toEqual({ total: before.total + 2, current: true });

      const reopened = await slash(`reopen #${f.seq} new evidence from the unit`, U.organiser);
      expect(reopened).toContain(`The appeal on finding #${f.seq} (${UNIT}) was reopened and awaits a ruling.`);
      await wf.settle();
      expect(await live()).toEqual({ total: before.total, current: true });
    } finally {
      await setLocale(U.contact, null);
      await setLocale(U.organiser, null);
    }
  });

  it('an appeal after the window is refused with the day it closed; a second appeal is refused', async () => {
    wf.at('2017-06-15');
    const late = await file();
    const twice = await file();
    expect(await slash(`申诉 #${twice.seq} 已整改`, U.contact)).toContain('待复核');
    wf.at('2017-06-23'); // 5 working days after the 15th (the 22nd) have passed
    const r = await slash(`申诉 #${late.seq} 已整改`, U.contact);
    expect(r).toContain(`事项 #${late.seq} 的申诉期已于 2017-06-22 结束，不能再申诉。`);
    expect(await slash(`申诉 #${twice.seq} 再次申诉`, U.contact)).toContain('已申诉过，每个事项只能申诉一次');
    expect(await wf.db.prisma.appeal.count({ where: { findingId: { in: [late.id, twice.id] } } })).toBe(1);
    wf.at('2017-06-15');
  });
});

describe('extension requests through Slack, followed by the worker’s reminders', () => {
  it('approved before the deadline: the reminders move to the new date and no overdue alert goes out', async () => {
    wf.at('2017-06-15');
    const extended = await file(1, '3.1.1b');
    const control = await file(1, '3.1.1b'); // the same deadline, no extension
    expect([extended.deadline, control.deadline]).toEqual(['2017-06-29', '2017-06-29']);
    wf.at('2017-06-26');
    expect(await slash(`申请延期 #${extended.seq} 2017-07-07 需采购设备`, U.inspector)).toContain('您没有权限');
    expect(await slash(`申请延期 #${extended.seq} 2017-07-07 需采购设备`, U.contact)).toContain('2017-07-07');
    expect(await slash(`延期审批 #${extended.seq} 同意 2017-07-07`, U.inspector)).toContain('您没有权限');
    expect(await slash(`延期审批 #${extended.seq} 同意 2017-07-07 同意延期`, U.organiser)).toContain('2017-07-07');
    await wf.settle();

    const sweep = async (date: string) => {
      wf.at(date);
      await wf.run('reminders', 'reminder-sweep', { rulebookId: 'hz-2017' });
      await wf.settle();
    };
    const stages = async (id: string) =>
      (await wf.db.prisma.notification.findMany({ where: { subjectId: id, kind: 'reminder', state: 'sent' } })).map(
        (r) => `${r.stage}@${r.recipient}`,
      );
    await sweep('2017-06-30'); // the first working day after the old deadline
    expect((await stages(control.id)).filter((s) => s.startsWith('overdue'))).not.toEqual([]);
    expect((await stages(extended.id)).filter((s) => s.startsWith('overdue'))).toEqual([]);
    const alerts = messenger.sent.filter(
      (s) => s.target === ORG_CHANNEL && s.message.text.includes(`#${extended.seq}`),
    );
    expect(alerts).toEqual([]);
    await sweep('2017-07-04'); // 3 working days before the new deadline
    const dueSoon = messenger.sent.filter(
      (s) => s.target === channelOf(UNIT) && JSON.stringify(s.message).includes(`#${extended.seq}`),
    );
    expect(dueSoon.length).toBeGreaterThan(0);
    expect(JSON.stringify(dueSoon.at(-1)!.message)).toContain('2017-07-07');
  });

  it('a request after the deadline is refused, in zh-CN and English, and nothing is written', async () => {
    wf.at('2017-06-15');
    const f = await file(1, '3.1.1b');
    wf.at('2017-06-30');
    expect(await slash(`申请延期 #${f.seq} 2017-07-10 来不及`, U.contact)).toContain('不能再申请延期');
    await setLocale(U.contact, 'en');
    try {
      expect(await slash(`extend #${f.seq} 2017-07-10 too late`, U.contact)).toContain('before the deadline');
    } finally {
      await setLocale(U.contact, null);
    }
    expect(await wf.db.prisma.extensionRequest.count({ where: { findingId: f.id } })).toBe(0);
  });

  it('refused by an organiser: the deadline stays and the unit is told the reason', async () => {
    wf.at('2017-06-15');
    const f = await file(1, '3.1.1b');
    wf.at('2017-06-20');
    expect(await slash(`申请延期 #${f.seq} 2017-07-05 人手不足`, U.contact)).toContain('2017-07-05');
    expect(await slash(`延期审批 #${f.seq} 不同意 理由不充分`, U.organiser)).toContain('理由不充分');
    expect(toldUnit()).toContain('理由不充分');
    const row = await wf.db.prisma.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(row.deadline?.toISOString().slice(0, 10)).toBe('2017-06-29');
  });
});
