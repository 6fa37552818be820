import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { actorOf, addMembers, flatText, USERS, type Harness } from './myscore-support.ts';
import {
  findingFields,
  findingNoticeMessage,
  overdueAlertMessage,
  reminderMessage,
} from '../../core/messages/findings.ts';
import { monthEndReminderForUnit } from '../../core/messages/standings.ts';
import { inlineToPlain } from '../../core/messages/message.ts';

// While an appeal is pending its finding still counts, and every view that shows its points marks
// them provisional (待复核, lifecycle.md "Appeals"): the unit's notice, /myscore and its "why",
// the inspector's and organisers' /standings, and what the worker sends (reminders, the overdue
// alert, month-end lists). Through the Slack receiver, Slack's Web API faked on loopback.

const UNIT_CHANNEL = 'C0GONGAN';
const ORGANISERS_CHANNEL = 'C0ORGS';
const MARK = '【待复核】';

let h: Harness;
let n = 0;
let appealed: { id: string; seq: number };
let overdue: { id: string; seq: number };

async function command(command: string, text: string, userId: string): Promise<string> {
  n += 1;
  const res = await h.send(
    h.requests.slashCommand({
      command,
      text,
      userId,
      channelId: 'C0SOMEWHERE',
      triggerId: `${n}.777.prov${n}`,
      responseUrl: h.slack.responseUrl(`T111/${n}/prov`),
    }),
  );
  expect(res.status).toBe(200);
  const c = h.slack.callsTo('response_url').at(-1)!;
  return `${c.args.text ?? ''}\n${flatText(c.args.blocks)}`;
}

beforeAll(async () => {
  h = await startBotHarness({ now: '2017-09-13T10:00:00+08:00' });
  await addMembers(h);
  const organiser = await actorOf(h, USERS.organiser);
  for (const [scope, channelId] of [
    ['市公安局', UNIT_CHANNEL],
    ['organisers', ORGANISERS_CHANNEL],
  ] as const)
    expect((await h.fx.membership.bindChannel(organiser, { platform: 'slack', scope, channelId })).ok).toBe(true);
  // one from September, appealed then and overdue by October; one filed in October with its notice
  const appeal = async (f: { seq: number }) =>
    expect(await command('/finding', `申诉 #${f.seq} 已在检查前整改`, USERS.contact)).toContain('待复核');
  await command('/finding', '市公安局 3.1.1b date=2017-09-11 综合受理未实现', USERS.inspector);
  const b = await h.fx.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } });
  overdue = { id: b.id, seq: b.seq };
  await appeal(overdue);
  h.fx.clock.set('2017-10-09T10:00:00+08:00');
  await command('/finding', '市公安局 2.1.1a x2 网上受理未覆盖', USERS.inspector);
  const a = await h.fx.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } });
  appealed = { id: a.id, seq: a.seq };
  h.slack.reset();
  await appeal(appealed);
});
afterAll(async () => h?.close());

describe('points under a pending appeal are marked provisional', () => {
  it('the unit’s notice is updated to say so', async () => {
    const updates = h.slack.callsTo('chat.update').filter((c) => c.args.channel === UNIT_CHANNEL);
    expect(updates.length).toBeGreaterThan(0);
    const notice = flatText(updates.at(-1)!.args.blocks);
    expect(notice).toContain(`#${appealed.seq}`);
    expect(notice).toContain(`待整改 ${MARK}`);
  });

  it('/myscore: the total says how many points are provisional; open items and "why" mark them', async () => {
    const mine = await command('/myscore', '', USERS.contact);
    expect(mine).toContain(`其中 2 条事项（-3 分）正在申诉复核，复核前暂按原结果计分${MARK}`);
    expect(mine).toContain(`#${appealed.seq} · 条款 2.1.1a · 2017-10-09 · 待整改 ${MARK}`);
    const why = await command('/myscore', 'why', USERS.contact);
    expect(why.split('\n').filter((l) => l.includes(MARK)).length).toBe(2);
  });

  it('the inspector’s and the organisers’ views mark them: a unit’s breakdown, the overdue list', async () => {
    const unit = await command('/myscore', '市公安局', USERS.inspector);
    expect(unit).toContain(`#${overdue.seq} · 条款 3.1.1b · 2017-09-11 · 待整改 ${MARK}`);
    const standings = await command('/standings', '', USERS.organiser);
    expect(standings).toMatch(
      new RegExp(`市公安局 · #${overdue.seq} · 条款 3\\.1\\.1b · 期限 2017-09-25 【已逾期】 ${MARK}`),
    );
  });

  it('what the worker sends marks them too: reminders, the overdue alert, the month-end list', async () => {
    const r = await h.fx.queries.getFinding(await actorOf(h, USERS.organiser), overdue.id);
    if (!r.ok) throw r.error;
    const f = r.value;
    expect(f.underAppeal).toBe(true);
    for (const m of [
      reminderMessage('zh-CN', 'overdue', f),
      overdueAlertMessage('zh-CN', f),
      monthEndReminderForUnit('zh-CN', { month: '2017-10', closeDate: '2017-10-31', unit: '市公安局', open: [f] }),
      findingNoticeMessage('zh-CN', f),
    ])
      expect(JSON.stringify(m)).toContain(MARK);
    const points = findingFields('en', f, {
      result: { id: f.id, points: -2, multiplier: 1, status: 'counted' } as never,
    });
    expect(points.map((x) => `${x.label}: ${inlineToPlain(x.value)}`)).toEqual(
      expect.arrayContaining([
        'Status: awaiting rectification [provisional: under appeal]',
        'Points: -2 pts [provisional: under appeal]',
      ]),
    );
    expect(JSON.stringify(reminderMessage('en', 'overdue', f))).toContain('[provisional: under appeal]');
  });

  it('once ruled, the mark is gone', async () => {
    expect(await command('/finding', `复核 #${appealed.seq} 维持 核实未整改`, USERS.organiser)).toContain('维持');
    const mine = await command('/myscore', '', USERS.contact);
    expect(mine).toContain(`其中 1 条事项（-1 分）正在申诉复核`);
    expect(mine).not.toContain(`#${appealed.seq} · 条款 2.1.1a · 2017-10-09 · 待整改 ${MARK}`);
    const notice = flatText(
      h.slack
        .callsTo('chat.update')
        .filter((c) => c.args.channel === UNIT_CHANNEL)
        .at(-1)!.args.blocks,
    );
    expect(notice).not.toContain(MARK);
  });
});
