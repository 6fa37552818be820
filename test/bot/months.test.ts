import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { actorOf, addMembers, flatText, USERS, type Harness } from './myscore-support.ts';

// The month review cycle typed in /kaoping month|year …, end to end: signed requests into the
// real Bolt receiver, real core over PostgreSQL, Slack's Web API faked on loopback — in zh-CN and
// English, with the wrong roles refused; and the published versions retrieved with /standings.

let h: Harness;
let n = 0;
let mark = 0;
const lastReply = () => {
  const c = h.slack.calls
    .slice(mark)
    .filter((x) => x.method === 'response_url')
    .at(-1);
  return c ? `${c.args.text ?? ''}\n${flatText(c.args.blocks)}` : '';
};

beforeAll(async () => {
  h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
  await addMembers(h);
  const organiser = await actorOf(h, USERS.organiser);
  expect(
    (await h.fx.membership.bindChannel(organiser, { platform: 'slack', scope: 'organisers', channelId: 'C0ORGS' })).ok,
  ).toBe(true);
});
afterAll(async () => h?.close());
beforeEach(() => {
  mark = h.slack.calls.length;
});

async function slash(command: '/kaoping' | '/standings', text: string, userId: string) {
  n += 1;
  mark = h.slack.calls.length;
  const res = await h.send(
    h.requests.slashCommand({
      command,
      text,
      userId,
      channelId: 'C0SOMEWHERE',
      triggerId: `${n}.555.month${n}`,
      responseUrl: h.slack.responseUrl(`T111/${n}/month`),
    }),
  );
  expect(res.status).toBe(200);
  return lastReply();
}
const kaoping = (text: string, userId: string) => slash('/kaoping', text, userId);
const setLocale = (userId: string, locale: string | null) =>
  h.fx.prisma.member.updateMany({
    where: { identities: { some: { platform: 'slack', externalId: userId } } },
    data: { locale },
  });

/** Typed tie-breaks for every open tie: the first tied units, as many as places are left. */
async function breakTies(period: string, reason: string) {
  const d = await h.fx.months.draft(await actorOf(h, USERS.organiser), { period });
  if (!d.ok) throw d.error;
  for (const t of d.value.openTies)
    expect(
      await kaoping(
        `month tiebreak ${period} ${t.group} ${t.tied.slice(0, t.remaining).join('、')} ${reason}`,
        USERS.organiser,
      ),
    ).toContain(`确定 ${t.tied.slice(0, t.remaining).join('、')} 为先进`);
}

describe('/kaoping month (zh-CN)', () => {
  it('close, draft, tie-breaks, publish, reopen, republish; the wrong roles are refused and nothing changes', async () => {
    for (const who of [USERS.inspector, USERS.contact])
      for (const cmd of [
        'month close 2017-09',
        'month draft 2017-09',
        'month publish 2017-09',
        'month reopen 2017-09 因为',
      ])
        expect(await kaoping(cmd, who)).toContain('您没有权限执行此操作（结账、重新开启或公布考核月份和年度结果）');
    const september = () =>
      h.fx.prisma.assessmentMonth.findUnique({
        where: { rulebookId_month: { rulebookId: 'hz-2017', month: '2017-09' } },
      });
    expect((await september())?.state ?? 'open').toBe('open');
    expect(await h.fx.prisma.auditLog.count({ where: { entityId: 'hz-2017/2017-09' } })).toBe(0);

    expect(await kaoping('month publish 2017-09', USERS.organiser)).toContain('2017-09 尚未结账');
    expect(await kaoping('month close 2017-09', USERS.organiser)).toContain('2017-09 已结账。');
    const draft = await kaoping('month draft 2017-09', USERS.organiser);
    expect(draft).toContain('2017-09 考评结果草稿（未公布）');
    expect(draft).toContain('公布前请先确定同分名次');

    const refused = await kaoping('month publish 2017-09', USERS.organiser);
    expect(refused).toContain('2017-09 还不能公布：先进名额分界处有同分');
    expect(refused).toContain('市直无办事事项单位其余 3 个名额');
    expect(
      await kaoping('month tiebreak 2017-09 without_matters fewer-deductions 扣分少者优先', USERS.organiser),
    ).toContain('按扣分少者优先仍然同分');
    expect(await kaoping('month tiebreak 2017-09 without_matters 市总工会', USERS.organiser)).toContain('请写明理由');
    await breakTies('2017-09', '考核办会议决定');
    expect(await h.fx.prisma.publication.count()).toBe(0);

    expect(await kaoping('month publish 2017-09', USERS.organiser)).toContain(
      '已公布 2017-09（第 1 版），通报正在发送。',
    );
    expect(await kaoping('month publish 2017-09', USERS.organiser)).toContain('2017-09 已公布（v1）');

    // a contact sees the published version: their own unit and the advanced units, no ranks of others
    const seen = await slash('/standings', '2017-09 v1', USERS.contact);
    expect(seen).toContain('2017-09 考评结果（第 1 版）');
    expect(seen).toContain('市公安局年度得分');
    expect(seen).toContain('考核办会议决定');
    expect(seen).not.toContain('市科委年度得分');
    // and /standings says who the office advanced among the tied, and why
    const latest = await slash('/standings', '', USERS.contact);
    expect(latest).toContain('已公布的考评结果：2017-09');
    expect(latest).toContain('由考核办确定为');
    expect(latest).toContain('理由：考核办会议决定');

    expect(await kaoping('month reopen 2017-09', USERS.organiser)).toContain('请写明理由');
    expect(await kaoping('month reopen 2017-09 市公安局事项复核核减', USERS.organiser)).toContain(
      '已重新开启 2017-09（第 1 版保留可查，更正后重新公布）。原因：市公安局事项复核核减',
    );
    expect(await kaoping('month close 2017-09', USERS.organiser)).toContain('2017-09 已结账。');
    // the standings did not change: the recorded tie-breaks still hold
    expect(await kaoping('month publish 2017-09', USERS.organiser)).toContain(
      '已公布 2017-09 第 2 版（更正通报，0 个单位有变动，原因：市公安局事项复核核减）',
    );
    const v1 = await slash('/standings', '2017-09 v1', USERS.organiser);
    expect(v1).toContain('第 1 版已重新开启（原因：市公安局事项复核核减）；最新为第 2 版。');
    expect(await slash('/standings', '2017-09 v3', USERS.organiser)).toContain('2017-09 没有第 3 版已公布的考评结果。');
    const audit = await h.fx.prisma.auditLog.findMany({ where: { entity: 'period' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual([
      'period.tie_break',
      'period.tie_break',
      'period.published',
      'period.reopened',
      'period.published',
    ]);
  });

  it('bad input says what to fix and changes nothing', async () => {
    expect(await kaoping('month publish 2017-13', USERS.organiser)).toContain(
      '“2017-13”不是月份（YYYY-MM）或年度（YYYY）',
    );
    expect(await kaoping('month close 2017', USERS.organiser)).toContain('结账只针对月份');
    expect(await kaoping('month shout 2017-09', USERS.organiser)).toContain('不认识“shout”');
    // a year the deployment holds no rulebook for
    expect(await kaoping('month publish 2016-09', USERS.organiser)).toContain('2016 年没有考评细则');
    expect(await kaoping('month publish 2017', USERS.organiser)).toContain('2017-12 的考评结果尚未公布');
  });
});

describe('/kaoping month (English)', () => {
  it('the same cycle in English, with the refusals in English', async () => {
    await setLocale(USERS.organiser, 'en');
    await setLocale(USERS.inspector, 'en');
    expect(await kaoping('month publish 2017-10', USERS.inspector)).toContain(
      'You are not allowed to do that (close, reopen or publish months',
    );
    expect(await kaoping('month close 2017-10', USERS.organiser)).toContain('2017-10 is closed.');
    const draft = await kaoping('month draft 2017-10', USERS.organiser);
    expect(draft).toContain('Draft results for 2017-10 (not published)');
    // against September as published: its tie-break winners are not advanced until October's ties are resolved
    expect(draft).toContain('Units whose result changed since 2017-09 v2 (11)');
    expect(draft).toContain('8 place(s) undecided: 43 units tied on 100');
    const refused = await kaoping('month publish 2017-10', USERS.organiser);
    expect(refused).toContain('2017-10 cannot be published yet: there is a tie at the quota cut');
    expect(await kaoping('month tiebreak 2017-10 with_matters', USERS.organiser)).toContain(
      'Write fewer-deductions, or list the tied units',
    );
    expect(await kaoping('month reopen 2017-10 not yet', USERS.organiser)).toContain('2017-10 is open again.');
    expect(await kaoping('month reopen 2017-10', USERS.organiser)).toContain('2017-10 is already');
    await setLocale(USERS.organiser, null);
    await setLocale(USERS.inspector, null);
  });
});

describe('the Publish button on a draft', () => {
  function press(period: string, userId: string) {
    n += 1;
    mark = h.slack.calls.length;
    return h.send(
      h.requests.blockAction({
        sample: 'ephemeral_message_button.bolt-python',
        actionId: 'period.publish',
        value: period,
        userId,
        channelId: 'C0ORGS',
        triggerId: `${n}.555.press${n}`,
        responseUrl: h.slack.responseUrl(`T111/${n}/press`),
      }),
    );
  }

  it('shows once the month is closed and its ties resolved; organisers only; a second press publishes nothing more', async () => {
    await kaoping('month close 2017-11', USERS.organiser);
    const buttonOf = () => {
      const c = h.slack.calls
        .slice(mark)
        .filter((x) => x.method === 'response_url')
        .at(-1);
      return JSON.stringify(c?.args.blocks ?? []).includes('"action_id":"period.publish"');
    };
    await kaoping('month draft 2017-11', USERS.organiser);
    expect(buttonOf()).toBe(false); // ties at the cut still open
    await breakTies('2017-11', '会议决定');
    expect(await kaoping('month draft 2017-11', USERS.organiser)).toContain('核对无误后公布');
    expect(buttonOf()).toBe(true);

    expect((await press('2017-11', USERS.inspector)).status).toBe(200);
    expect(lastReply()).toContain('您没有权限执行此操作');
    expect(await h.fx.prisma.publication.count({ where: { period: '2017-11' } })).toBe(0);
    expect((await press('2017-11', USERS.organiser)).status).toBe(200);
    expect(lastReply()).toContain('已公布 2017-11（第 1 版），通报正在发送。');
    expect((await press('2017-11', USERS.organiser)).status).toBe(200);
    expect(lastReply()).toContain('2017-11 已公布（v1）');
    expect(await h.fx.prisma.publication.count({ where: { period: '2017-11' } })).toBe(1);
  });
});
