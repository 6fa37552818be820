import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { MYSCORE_WHY_ACTION } from '../../bot/handlers/myscore-message.ts';
import { addMembers, fileLedger, flatText, LEDGER, USERS, type Harness } from './myscore-support.ts';

// App Home end to end: a signed app_home_opened event (real sample) → views.publish at the fake.

describe('App Home', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
    await addMembers(h);
    await fileLedger(h);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  async function openHome(userId: string, tab: 'home' | 'messages' = 'home') {
    const res = await h.send(h.requests.appHomeOpened({ userId, tab, eventId: `Ev${userId}${Date.now()}` }));
    expect(res.status).toBe(200);
  }

  async function published(userId: string) {
    const call = await h.slack.waitFor((c) => c.method === 'views.publish' && c.args.user_id === userId);
    expect(call.args.view.type).toBe('home');
    expect(call.args.view.blocks.length).toBeLessThanOrEqual(100);
    return { view: call.args.view, text: flatText(call.args.view.blocks) };
  }

  it("a unit contact's home shows their unit's standing and open items, with buttons", async () => {
    await openHome(USERS.contact);
    const { view, text } = await published(USERS.contact);
    expect(text).toContain('市公安局 · 考评');
    expect(text).toContain('您是市公安局单位联系人 · 截至 2017-10-09');
    expect(text).toContain(`年度得分 ${LEDGER.total} 分`);
    // no live rank, no advanced line for a contact (lifecycle.md)
    expect(text).not.toMatch(/第 \d+ 名/);
    expect(text).not.toContain('先进线');
    expect(text).toContain('待整改事项（3 条）');
    expect(text).toContain('【已逾期】');
    const ids = view.blocks
      .filter((b: any) => b.type === 'actions')
      .flatMap((b: any) => b.elements.map((e: any) => e.action_id));
    expect(ids).toEqual([
      MYSCORE_WHY_ACTION,
      ACTION.submitRectification,
      ACTION.submitRectification,
      ACTION.submitRectification,
    ]);
  });

  it("an organiser's home shows the standings and the overdue list", async () => {
    await openHome(USERS.organiser);
    const { text } = await published(USERS.organiser);
    expect(text).toContain('考评 · 2017 年度各组排名');
    expect(text).toContain('市直有办事事项单位（43 个单位，先进名额 8 个）');
    expect(text).toContain('市直无办事事项单位（16 个单位，先进名额 3 个）');
    expect(text).toContain('逾期未整改事项（1 条）');
    expect(text).toMatch(/市公安局 · #\d+ · 条款 2\.1\.1a · 期限 2017-09-19/);
    expect(text).toContain('/kaoping');
  });

  it('an inspector gets the standings too', async () => {
    await openHome(USERS.inspector);
    const { text } = await published(USERS.inspector);
    expect(text).toContain('您是督查员');
    expect(text).toContain('逾期未整改事项（1 条）');
  });

  it('unknown people see how to get access', async () => {
    await openHome(USERS.stranger);
    const { text } = await published(USERS.stranger);
    expect(text).toContain('欢迎使用考评');
    expect(text).toContain('请联系市跑改办或市考评办');
    expect(text).toContain(`slack ${USERS.stranger}`);
  });

  it('the Messages tab publishes nothing', async () => {
    // The harness answers only after the handler has finished (processBeforeResponse), so a
    // publish would already be recorded: no waiting for one that might come later.
    const before = h.slack.callsTo('views.publish').length;
    await openHome(USERS.contact, 'messages');
    expect(h.slack.callsTo('views.publish')).toHaveLength(before);
  });
});
