import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { standingsOf } from '../support/core-fixture.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { addMembers, file, fileLedger, flatText, LEDGER, USERS, type Harness } from './myscore-support.ts';

// /standings end to end: organisers and inspectors see live standings; unit contacts see only
// what the office published at a month's close.

describe('/standings', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
    await addMembers(h);
    await fileLedger(h);
    // A bonus lifts 市总工会 (without service matters) above the rest of its group.
    await file(h, { unit: '市总工会', clause: '6.1.1a', level: 'province', date: '2017-09-12', key: 'st-bonus' });
    // A second overdue unit: 市科委 −1, deadline 2017-09-19.
    await file(h, { unit: '市科委', clause: '3.1.1b', count: 1, date: '2017-09-05', key: 'st-kewei' });
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  async function standings(userId: string, text = '') {
    const res = await h.send(
      h.requests.slashCommand({
        command: '/standings',
        text,
        userId,
        responseUrl: h.slack.responseUrl(`standings/${userId}`),
      }),
    );
    expect(res.status).toBe(200);
    const reply = h.slack.callsTo('response_url').at(-1)!.args;
    expect(reply.response_type).toBe('ephemeral');
    return { reply, text: flatText(reply.blocks) };
  }

  it('an organiser sees every group ranked, the quota line, advanced units, ties at the cut and the overdue list', async () => {
    const { reply, text } = await standings(USERS.organiser);
    expect(text).toContain('2017 年度考评排名（截至 2017-10-09）');
    expect(text).toContain('市直有办事事项单位（43 个单位，先进名额 8 个）');
    expect(text).toContain('市直无办事事项单位（16 个单位，先进名额 3 个）');
    // with_matters: 41 units at 100 are all tied at the cut, then 市科委 at 99, 市公安局 last (LEDGER.total)
    expect(text).toContain('先进线 100 分：已入选 41 个单位（名额 8 个）');
    expect(text).toContain(`43. 市公安局 ${LEDGER.total} 分（取消评先资格）`);
    expect(text).toMatch(
      /1\. \*杭州海关 100 分\* （先进） \*〔分界同分〕\*\n• ———— 以上为先进（名额 8 个）————\n• 42\. 市科委 99 分\n• 43\. 市公安局/,
    );
    // without_matters: 市总工会 alone at 22, not part of the tie at 20
    expect(text).toMatch(/• 1\. \*市总工会 22 分\* （先进）\n• 2\. \*/);
    expect(text).toContain('先进线 20 分：已入选 16 个单位（名额 3 个）');
    expect(text).toContain('先进名额分界处同分，需按规则另行确定。');
    expect(text).toContain('逾期未整改事项（2 条）');
    expect(text).toMatch(/市公安局 · #\d+ · 条款 2\.1\.1a · 期限 2017-09-19 【已逾期】/);
    expect(text).toMatch(/市科委 · #\d+ · 条款 3\.1\.1b · 期限 2017-09-19 【已逾期】/);
    // one "view unit" button per overdue unit, each in its own block (action ids unique per block)
    const blocks = (reply.blocks as any[]).filter((b) => b.type === 'actions');
    expect(blocks.map((b) => b.elements.map((e: any) => [e.action_id, e.value]))).toEqual([
      [[ACTION.viewUnit, '市公安局']],
      [[ACTION.viewUnit, '市科委']],
    ]);
  });

  it('the 市总工会 bonus puts it first of its group, alone above the tie', async () => {
    const { text } = await standings(USERS.organiser);
    const lines = text.split('\n');
    const group = lines.findIndex((l) => l.includes('市直无办事事项单位（16 个单位'));
    const list = lines.slice(group).find((l) => l.startsWith('• 1.'))!;
    expect(list).toContain('市总工会 22 分');
  });

  it('inspectors may look too, as of an earlier day', async () => {
    const { text } = await standings(USERS.inspector, '2017-09-15');
    expect(text).toContain('2017 年度考评排名（截至 2017-09-15）');
    expect(text).toContain('目前没有逾期未整改的事项');
  });

  it('"view unit" from the standings shows that unit privately', async () => {
    const res = await h.send(
      h.requests.blockAction({
        actionId: ACTION.viewUnit,
        value: '市公安局',
        userId: USERS.organiser,
        responseUrl: h.slack.responseUrl('view'),
      }),
    );
    expect(res.status).toBe(200);
    expect(flatText(h.slack.lastCall('response_url')!.args.blocks)).toContain('市公安局考核情况（截至 2017-10-09）');
  });

  it('before anything is published, unit contacts are told so and pointed to /myscore', async () => {
    const { text } = await standings(USERS.contact);
    expect(text).toContain('考核办尚未公布任何月份的考评结果');
    expect(text).toContain('/myscore');
    expect(text).not.toContain('市总工会');
  });

  it('after September is closed and published, a unit contact sees the advanced units and only their own result', async () => {
    // What the worker's month close does with auto-publish: the month is closed, then published
    // as it stands (ties at the cut announced as ties).
    const organiser = await h.fx.membership.resolveActor('slack', USERS.organiser);
    if (!organiser.ok) throw organiser.error;
    const september = await standingsOf(h.fx, '2017-09-30');
    expect((await h.fx.months.setState(organiser.value, { month: '2017-09', state: 'closed' })).ok).toBe(true);
    expect((await h.fx.months.publish(organiser.value, { period: '2017-09', announceTies: true })).ok).toBe(true);
    const own = september.units.find((u) => u.unit === '市公安局')!;
    const advancedWithout = september.groups.without_matters!.advanced;

    const { text } = await standings(USERS.contact);
    expect(text).toContain('已公布的考评结果：2017-09（截至 2017-09-30）');
    expect(text).toContain(`本单位 市公安局：${own.total} 分，组内第 ${own.rank} 名 / 共 43 个`);
    // Units without service matters: 市总工会 leads, the other 15 tie at the cut for the remaining
    // 2 places. The contact is told it is a tie for the office to resolve — never that 16 units are
    // advanced — and the tied units are listed in the /standings order (rank, then name).
    expect(advancedWithout).toHaveLength(16);
    expect(text).toContain('市直无办事事项单位（16 个单位）先进单位：市总工会');
    expect(text).toContain(
      '市直无办事事项单位其余 2 个先进名额待定：15 个单位同为 20 分，在名额分界处同分，由考核办按规则确定后另行公布。',
    );
    expect(text).toContain(
      `同分单位：${september.units
        .filter((u) => u.group === 'without_matters' && u.unit !== '市总工会')
        .sort((a, b) => a.rank - b.rank || (a.unit < b.unit ? -1 : 1))
        .map((u) => u.unit)
        .join('、')}`,
    );
    // no other unit's score or breakdown
    expect(text).not.toMatch(/市科委[^、\n]*分/);
    expect(text).not.toContain('逾期');

    // Another unit's contact sees their own result; a reopened month stays what was announced until republished.
    const other = await standings(USERS.otherContact);
    expect(other.text).toContain('本单位 市科委');
    expect(other.text).not.toContain('本单位 市公安局');
    expect((await h.fx.months.reopen(organiser.value, { period: '2017-09', reason: '更正' })).ok).toBe(true);
    expect((await standings(USERS.contact)).text).toContain('已公布的考评结果：2017-09（截至 2017-09-30）');
  });

  it('bad input says what to fix', async () => {
    expect((await standings(USERS.organiser, 'yesterday')).text).toContain('无法识别“yesterday”');
    // a day or a year the deployment has no rulebook for says which years it has
    expect((await standings(USERS.organiser, '2016-12-31')).text).toContain(
      '2016 年没有考评细则，不能记录或查看该年度的考评事项（现有考核年度：2017）',
    );
    expect((await standings(USERS.organiser, '2016')).text).toContain('2016 年没有考评细则');
    expect((await standings(USERS.organiser, '2017 2018')).text).toContain('无法识别“2017 2018”');
  });
});
