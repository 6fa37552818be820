import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { parseMyScoreText } from '../../bot/handlers/myscore.ts';
import { MYSCORE_CHART_ACTION, MYSCORE_WHY_ACTION } from '../../bot/handlers/myscore-message.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { actorOf, addMembers, file, fileLedger, flatText, LEDGER, USERS, type Harness } from './myscore-support.ts';

// /myscore end to end: signed slash commands into the real Bolt receiver, the core over a fresh
// PostgreSQL database, the private answer recorded at the fake Slack's response_url.

describe('/myscore', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
    await addMembers(h);
    await fileLedger(h);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  async function myscore(userId: string, text: string) {
    const res = await h.send(
      h.requests.slashCommand({
        command: '/myscore',
        text,
        userId,
        channelId: 'C0SOMEWHERE',
        responseUrl: h.slack.responseUrl(`myscore/${userId}`),
      }),
    );
    expect(res.status).toBe(200);
    const replies = h.slack.callsTo('response_url');
    expect(replies).toHaveLength(1);
    const reply = replies[0]!.args;
    expect(reply.response_type).toBe('ephemeral');
    return { reply, text: flatText(reply.blocks) };
  }

  it('a unit contact sees their own unit: total, base, rank, month, sections, overflow-free, disqualification, open items with overdue marked', async () => {
    const { reply, text } = await myscore(USERS.contact, '');
    expect(text).toContain('市公安局考核情况（截至 2017-10-09）');
    expect(text).toContain(`年度得分 ${LEDGER.total} 分`);
    expect(text).toContain('基础分 100 分');
    // lifecycle.md: a contact sees no live rank and no advanced line (another unit's score);
    // ranks only from published months, and none is published yet
    expect(text).not.toMatch(/第 \d+ 名/);
    expect(text).not.toContain('先进线');
    expect(text).not.toContain('先进名额');
    expect(text).toContain('考核办尚未公布月度结果；排名在公布后可见。');
    expect(text).toMatch(new RegExp(`本月（2017-10）计分\\*?\\n${LEDGER.thisMonth} 分`));
    expect(text).toContain(
      `2.1 “三个全覆盖”实施情况：${LEDGER.section21.score} / 10（扣 ${LEDGER.section21.deducted} 分）`,
    );
    expect(text).toContain(
      `1.1 事项梳理公布、入库情况：${LEDGER.section11.score} / 15（扣 ${LEDGER.section11.deducted} 分）`,
    );
    expect(text).toContain('已被取消评优资格：取消年底评优资格');
    expect(text).toContain('待整改事项（3 条）');
    expect(text).toMatch(/条款 2\.1\.1a · 2017-09-05 · 待整改 · 期限 2017-09-19（已逾期 \d+ 个工作日）.*【已逾期】/);
    expect(text).toMatch(/期限 2017-10-23（还剩 10 个工作日）/);
    // buttons: why, charts, and submit for the contact's own open findings
    const buttons = (reply.blocks as any[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements);
    expect(buttons.map((b: any) => b.action_id)).toEqual([
      MYSCORE_WHY_ACTION,
      MYSCORE_CHART_ACTION,
      ACTION.submitRectification,
      ACTION.submitRectification,
      ACTION.submitRectification,
    ]);
    expect(buttons[0].value).toBe('市公安局');
    expect(reply.text).toContain(String(LEDGER.total));
  });

  it('"why" lists the findings behind each deduction with the multipliers explained', async () => {
    const { text } = await myscore(USERS.contact, 'why');
    expect(text).toContain('市公安局扣分明细（截至 2017-10-09）');
    expect(text).toContain(`累计扣分 ${LEDGER.deductions} 分，来自 3 条事项`);
    expect(text).toContain(
      `2.1 “三个全覆盖”实施情况：扣 ${LEDGER.section21.deducted} 分，得分 ${LEDGER.section21.score} / 10`,
    );
    expect(text).toMatch(
      new RegExp(`2017-09-05 条款 2\\.1\\.1a「[^」]+」3 处： \\*${LEDGER.a.base} × 2 = ${LEDGER.a.points} 分\\*`),
    );
    expect(text).toContain('省级督查发现，加倍扣分 ×2');
    expect(text).toMatch(/同类问题逾期未整改被重复发现（此前 1 次：#\d+），再加倍 ×2/);
    expect(text).toContain('取消评优资格：取消年底评优资格');
  });

  it('the "why" button answers the same way', async () => {
    const res = await h.send(
      h.requests.blockAction({
        actionId: MYSCORE_WHY_ACTION,
        value: '市公安局',
        userId: USERS.contact,
        responseUrl: h.slack.responseUrl('why'),
      }),
    );
    expect(res.status).toBe(200);
    expect(flatText(h.slack.lastCall('response_url')!.args.blocks)).toContain('市公安局扣分明细');
  });

  it('a unit contact asking for another unit is refused politely, and sees nothing of it', async () => {
    const { text } = await myscore(USERS.contact, '市地震局');
    expect(text).toContain('抱歉，单位联系人只能查看本单位（市公安局）的考核情况');
    expect(text).toContain('AUTH.OTHER_UNIT');
    expect(text).not.toContain('市科委');
  });

  it('organisers and inspectors may ask for any unit, by alias too', async () => {
    const org = await myscore(USERS.organiser, '市地震局');
    expect(org.text).toContain('市科委考核情况（截至 2017-10-09）');
    expect(org.text).toContain('年度得分 100 分');
    // no submit buttons for someone who is not the unit's contact
    expect(
      (org.reply.blocks as any[])
        .filter((b) => b.type === 'actions')
        .flatMap((b) => b.elements)
        .map((b: any) => b.action_id),
    ).toEqual([MYSCORE_WHY_ACTION, MYSCORE_CHART_ACTION]);
    h.slack.reset();
    const insp = await myscore(USERS.inspector, '市公安局 2017-09-30');
    expect(insp.text).toContain('市公安局考核情况（截至 2017-09-30）');
    expect(insp.text).toContain(`年度得分 ${LEDGER.totalSep30} 分`);
    // staff see the live rank (市公安局 is last of the 43 units with service matters)
    expect(insp.text).toMatch(/第 43 名 \/ 共 43 个单位（市直有办事事项单位）/);
  });

  it('an organiser without a unit is asked which one', async () => {
    const { text } = await myscore(USERS.organiser, '');
    expect(text).toContain('请指定要查看的单位');
  });

  it('bad input changes nothing and says what to fix', async () => {
    expect((await myscore(USERS.organiser, '市公安局 2017-13-45')).text).toContain('“2017-13-45”不是有效日期');
    h.slack.reset();
    expect((await myscore(USERS.organiser, '市公安局 市科委')).text).toContain('一次只能查看一个单位');
    h.slack.reset();
    expect((await myscore(USERS.organiser, '不存在的局')).text).toContain('找不到单位“不存在的局”');
    h.slack.reset();
    // a typo gets the closest unit name
    expect((await myscore(USERS.organiser, '市公按局')).text).toContain(
      '找不到单位“市公按局”。您是不是要找：市公安局？',
    );
  });

  it('unknown people get a clear message, never a stack trace', async () => {
    const { text } = await myscore(USERS.stranger, '');
    expect(text).toContain('您尚未登记为考评系统用户');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a wrongly signed /myscore is rejected and answers nothing', async () => {
    const res = await h.send(
      h.requests.slashCommand(
        { command: '/myscore', text: '', userId: USERS.contact, responseUrl: h.slack.responseUrl('x') },
        { signature: 'wrong' },
      ),
    );
    expect(res.status).toBe(401);
    expect(h.slack.calls).toHaveLength(0);
  });

  it('English for people who prefer it', async () => {
    await h.fx.prisma.member.updateMany({
      where: { identities: { some: { platform: 'slack', externalId: USERS.inspector } } },
      data: { locale: 'en' },
    });
    const { text } = await myscore(USERS.inspector, '市公安局');
    expect(text).toContain('市公安局 as of 2017-10-09');
    expect(text).toContain(`Score ${LEDGER.total}`);
    expect(text).toContain('[OVERDUE]');
  });
});

// The bot keeps breakdowns and rendered replies between requests: none of it may outlive a change.
describe('/myscore after a change', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
    await addMembers(h);
    await fileLedger(h);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  async function myscoreText(userId: string): Promise<string> {
    const res = await h.send(
      h.requests.slashCommand({
        command: '/myscore',
        text: '',
        userId,
        channelId: 'C0SOMEWHERE',
        responseUrl: h.slack.responseUrl(`myscore/${userId}`),
      }),
    );
    expect(res.status).toBe(200);
    const text = flatText(h.slack.callsTo('response_url').at(-1)!.args.blocks);
    h.slack.reset();
    return text;
  }

  it('a filing, then its withdrawal, then a new language are each on the next /myscore', async () => {
    expect(await myscoreText(USERS.contact)).toContain('待整改事项（3 条）');
    expect(await myscoreText(USERS.contact)).toContain(`年度得分 ${LEDGER.total} 分`); // the kept reply
    const d = await file(h, { unit: '市公安局', clause: '1.1.3a', count: 1, date: '2017-10-09', key: 'chg-d' });
    const afterFiling = await myscoreText(USERS.contact);
    expect(afterFiling).toContain('待整改事项（4 条）');
    expect(afterFiling).toContain(`年度得分 ${LEDGER.total + LEDGER.c.points} 分`);
    const w = await h.fx.findings.withdraw(await actorOf(h, USERS.organiser), { findingId: d.id, reason: 'test' });
    expect(w.ok).toBe(true);
    const afterWithdrawal = await myscoreText(USERS.contact);
    expect(afterWithdrawal).toContain('待整改事项（3 条）');
    expect(afterWithdrawal).toContain(`年度得分 ${LEDGER.total} 分`);
    await h.fx.prisma.member.updateMany({
      where: { identities: { some: { platform: 'slack', externalId: USERS.contact } } },
      data: { locale: 'en' },
    });
    expect(await myscoreText(USERS.contact)).toContain(`Score ${LEDGER.total}`);
  });
});

describe('parseMyScoreText', () => {
  it('accepts a unit, "why" and a date in any order', () => {
    expect(parseMyScoreText('')).toEqual({ ok: true, value: { why: false } });
    expect(parseMyScoreText(' why ')).toEqual({ ok: true, value: { why: true } });
    expect(parseMyScoreText('2017-09-30　市公安局 明细')).toEqual({
      ok: true,
      value: { why: true, unit: '市公安局', asOf: '2017-09-30' },
    });
    expect(parseMyScoreText('市公安局 x')).toMatchObject({ ok: false, problem: 'extra', value: 'x' });
    expect(parseMyScoreText('2017-9-1')).toMatchObject({ ok: false, problem: 'date' });
    expect(parseMyScoreText('x'.repeat(80))).toMatchObject({ ok: false, problem: 'invalid' });
  });
});
