import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { loadSlackJsonSample, stateValue, withRetry, type StateValues } from '../support/slack-requests.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { FINDING_FORM_ACTION, FINDING_MODAL_CALLBACK } from '../../bot/slack/views/finding-modal.ts';
import type { FakeSlackCall } from '../support/slack-fake-api.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import { poolOf } from '../../prisma/client.ts';

// /finding end to end: signed requests (built from Slack's real payload samples) into the real
// Bolt HTTP receiver, the real core over a fresh PostgreSQL database, Slack's Web API faked on
// loopback. Nothing of ours is mocked.

const TEAM = 'T111'; // the samples' team
const INSPECTOR = 'U0INSPECT';
const ORGANISER = 'U0ORGANISE';
const CONTACT = 'U0CONTACT';
const STRANGER = 'U0STRANGER';
const GONGAN_CHANNEL = 'C0GONGAN';
const TYPED_IN = 'C0INSPECTORS';

type Harness = Awaited<ReturnType<typeof startBotHarness>>;
let h: Harness;
let seq = 0;

const A = FINDING_FORM_ACTION;
const blocksText = (blocks: unknown): string => JSON.stringify(blocks ?? []);
// The amount per item of clause 2.1.1a is the rulebook's data (test/rules/rulebook.test.ts checks it);
// these tests check what the bot says about it: count × amount × inspection × repeat.
const PER_ITEM = (loadRulebook('hz-2017').clauses.get('2.1.1a') as { amount: number }).amount;

function slash(text: string, opts: { userId?: string; command?: string } = {}) {
  seq += 1;
  return h.requests.slashCommand({
    command: opts.command ?? '/finding',
    text,
    userId: opts.userId ?? INSPECTOR,
    channelId: TYPED_IN,
    triggerId: `${seq}.222.trigger${seq}`,
    responseUrl: h.slack.responseUrl(`${TEAM}/${seq}/finding`),
  });
}

/** The private answers (ephemeral via response_url) so far, as one text each. */
function privateReplies(): string[] {
  return h.slack.callsTo('response_url').map((c) => `${c.args.text}\n${blocksText(c.args.blocks)}`);
}

// Tests share one database and never delete: each test sees only the findings filed since it began,
// and uses its own unit or clause where scores could interact (repeat escalation).
let mark = 0;
async function findings() {
  return h.fx.prisma.finding.findMany({
    where: { seq: { gt: mark } },
    orderBy: { seq: 'asc' },
    include: { unit: true },
  });
}

/** The SQL the bot sent through its pg pool while `run` ran. */
async function statementsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const pool = poolOf(h.fx.prisma)!;
  const query = pool.query;
  const seen: string[] = [];
  pool.query = function (this: unknown, ...a: unknown[]) {
    const q = a[0] as string | { text: string };
    seen.push(typeof q === 'string' ? q : q.text);
    return (query as (...x: unknown[]) => unknown).apply(pool, a);
  } as typeof pool.query;
  try {
    await run();
  } finally {
    pool.query = query;
  }
  return seen;
}

/** The /finding form as the fake API received it in views.open. */
function openedView(): Record<string, any> {
  const call = h.slack.lastCall('views.open');
  expect(call, 'views.open was called').toBeDefined();
  return call!.args.view as Record<string, any>;
}

const goodValues = (over: StateValues = {}): StateValues => ({
  unit: { [A.unit]: stateValue.externalSelect('市公安局') },
  clause: { [A.clause]: stateValue.staticSelect('3.1.3b') },
  count: { [A.count]: stateValue.number('2') },
  source: { [A.source]: stateValue.staticSelect('routine') },
  date: { [A.date]: stateValue.date('2017-06-14') },
  deadline: { [A.deadline]: stateValue.date(null) },
  evidence: { [A.evidence]: stateValue.text('窗口未公示办事指南') },
  links: { [A.links]: stateValue.text('https://evidence.example/a\nhttps://evidence.example/b') },
  ...over,
});

function submitForm(view: Record<string, any>, values: StateValues, opts: { viewId?: string; userId?: string } = {}) {
  return h.requests.viewSubmission({
    callbackId: FINDING_MODAL_CALLBACK,
    privateMetadata: view.private_metadata,
    blocks: view.blocks,
    values,
    viewId: opts.viewId ?? `V0FORM${++seq}`,
    userId: opts.userId ?? INSPECTOR,
  });
}

/** block_suggestion from the real sample, typed into the form's unit picker. */
function unitSuggestion(query: string, userId = INSPECTOR) {
  const p = loadSlackJsonSample('block_suggestion.bolt-python.json');
  p.user.id = userId;
  p.action_id = A.unit;
  p.block_id = 'unit';
  p.value = query;
  return h.requests.interactive(p);
}

/** block_actions from a view (the real sample, its container moved into the modal). */
function formAction(view: Record<string, any>, actionId: string, selected: Record<string, any>, values: StateValues) {
  const p = loadSlackJsonSample('block_actions.message_button_with_state.java.json');
  p.user.id = INSPECTOR;
  p.container = { type: 'view', view_id: 'V0OPEN0001' };
  delete p.channel;
  delete p.response_url;
  delete p.state;
  p.view = {
    id: 'V0OPEN0001',
    team_id: TEAM,
    type: 'modal',
    hash: '1700000000.abc',
    callback_id: FINDING_MODAL_CALLBACK,
    private_metadata: view.private_metadata,
    blocks: view.blocks,
    state: { values },
  };
  p.actions = [
    {
      type: selected.type,
      action_id: actionId,
      block_id: actionId.replace('finding_form.', ''),
      action_ts: '1700000000.1',
      ...selected,
    },
  ];
  return h.requests.interactive(p);
}

beforeAll(async () => {
  h = await startBotHarness({ now: '2017-06-15T10:00:00+08:00' });
  await h.slackMember(INSPECTOR, 'inspector');
  await h.slackMember(ORGANISER, 'organiser');
  await h.slackMember(CONTACT, 'unit_contact', '市公安局');
  const organiser = await h.fx.membership.resolveActor('slack', ORGANISER);
  if (!organiser.ok) throw organiser.error;
  const bound = await h.fx.membership.bindChannel(organiser.value, {
    platform: 'slack',
    scope: '市公安局',
    channelId: GONGAN_CHANNEL,
  });
  expect(bound.ok).toBe(true);
});

beforeEach(async () => {
  mark = (await h.fx.prisma.finding.aggregate({ _max: { seq: true } }))._max.seq ?? 0;
});

afterEach(() => {
  h.slack.reset();
});

afterAll(async () => {
  await h?.close();
});

describe('/finding quick form', () => {
  it('files the finding, confirms privately with points and why, and posts the notice with the rectification button', async () => {
    const req = slash('市公安局 2.1.1a x3 省督查 网上受理未覆盖 https://evidence.example/photo/1');
    const res = await h.send(req);
    expect(res.status).toBe(200);

    const rows = await findings();
    expect(rows).toHaveLength(1);
    const f = rows[0]!;
    expect(f).toMatchObject({
      clauseId: '2.1.1a',
      count: 3,
      source: 'provincial_inspection',
      evidenceText: '网上受理未覆盖',
      evidenceLinks: ['https://evidence.example/photo/1'],
    });
    expect(f.unit.name).toBe('市公安局');
    expect(f.idempotencyKey).toBe(`slack:cmd:${TEAM}:${req.payload.trigger_id}`);
    expect(f.date.toISOString().slice(0, 10)).toBe('2017-06-15');

    // the notice in the unit's group channel, with the contact mentioned and the button
    const posts = h.slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    const notice = posts[0]!.args;
    expect(notice.channel).toBe(GONGAN_CHANNEL);
    expect(notice.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '考评事项通知：市公安局', emoji: true },
    });
    expect(blocksText(notice.blocks)).toContain(`<@${CONTACT}>`);
    expect(blocksText(notice.blocks)).toContain(`<@${INSPECTOR}>`);
    const actions = notice.blocks.find((b: any) => b.type === 'actions');
    expect(actions.elements).toEqual([
      expect.objectContaining({ type: 'button', action_id: ACTION.submitRectification, value: f.id, style: 'primary' }),
    ]);
    expect(blocksText(notice.blocks)).toContain('2017-06-29'); // 10 working days after 06-15

    // its ref is stored for later updates
    const message = [...h.slack.messages.values()][0]!;
    expect(f.noticeRef).toBe(`${GONGAN_CHANNEL}/${message.ts}`);

    // the private confirmation: amount × 3 × 2, and why
    const replies = h.slack.callsTo('response_url');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.args.response_type).toBe('ephemeral');
    const reply = privateReplies()[0]!;
    expect(reply).toContain(`本条计分 ${PER_ITEM * 6} 分`);
    expect(reply).toContain(`条款 2.1.1a 每项 ${PER_ITEM} 分 × 3 项 = ${PER_ITEM * 3} 分`);
    expect(reply).toContain('省级督查发现，加倍扣分 ×2');
    expect(reply).toContain(`合计 ${PER_ITEM * 3} × 2 = ${PER_ITEM * 6} 分`);
    expect(reply).toContain('已在市公安局的群聊发出通知');
    // the filer may withdraw it from here (bot/handlers/withdraw.ts takes the button)
    expect(replies[0]!.args.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements)).toEqual([
      expect.objectContaining({ type: 'button', action_id: ACTION.withdraw, value: f.id, style: 'danger' }),
    ]);
  });

  it('explains repeat escalation with the earlier overdue finding (named from the ledger, not read again)', async () => {
    await h.send(slash('市民政局 2.1.1a date=2017-05-02 第一次'));
    h.slack.reset();
    const statements = await statementsDuring(() => h.send(slash('市民政局 2.1.1a 第二次')));
    expect(statements.filter((s) => /finding f\b.*WHERE f\.id = ANY/s.test(s))).toEqual([]);
    expect(await findings()).toHaveLength(2);
    const reply = privateReplies()[0]!;
    expect(reply).toContain(`本条计分 ${PER_ITEM * 2} 分`);
    expect(reply).toContain('同类问题逾期未整改被重复发现（此前 1 次：2017-05-02）');
    expect(reply).toContain('• 此前事项：2017-05-02 记录，期限 2017-05-16，逾期未整改');
    expect(reply).toContain(`合计 ${PER_ITEM} × 2 = ${PER_ITEM * 2} 分`);
  });

  it('a threshold finding by alias, with value=82.4', async () => {
    await h.send(slash('市地震局 1.1.1a value=82.4'));
    const [f] = await findings();
    expect(f!.unit.name).toBe('市科委');
    expect(Number(f!.value)).toBe(82.4);
    const reply = privateReplies()[0]!;
    expect(reply).toContain('本条计分 -2 分');
    expect(reply).toContain('82.4% 低于 85%，差 2 个百分点');
  });

  it('a unit without a group channel: filed, and the filer is told no notice went out', async () => {
    await h.send(slash('市教育局 2.1.1a'));
    expect(await findings()).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(privateReplies()[0]).toContain('市教育局还没有绑定群聊频道，通知没有发出');
  });

  it('a channel the app cannot post in: filed, and the filer is told why the notice failed', async () => {
    h.slack.fail('chat.postMessage', { error: 'not_in_channel' }, { channel: GONGAN_CHANNEL });
    await h.send(slash('市公安局 2.1.2a'));
    const [f] = await findings();
    expect(f!.noticeRef).toBeNull();
    expect(privateReplies()[0]).toContain('没能在市公安局的群聊发出通知（not_in_channel）');
  });

  it('a parse error answers privately with what was wrong and the correct form; nothing is written', async () => {
    const res = await h.send(slash('市公安局 2.1.1a x0 date=2017-02-30'));
    expect(res.status).toBe(200);
    expect(await findings()).toHaveLength(0);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
    const reply = privateReplies();
    expect(reply).toHaveLength(1);
    expect(reply[0]).toContain('这条 /finding 命令有问题，没有记录任何内容');
    expect(reply[0]).toContain('数量“0”无效');
    expect(reply[0]).toContain('发现日期“2017-02-30”不是有效日期');
    expect(reply[0]).toContain('用法：/finding &lt;单位&gt; &lt;条款编号&gt;');
    expect(h.slack.callsTo('response_url')[0]!.args.response_type).toBe('ephemeral');
  });

  it('an unknown unit and clause are named', async () => {
    await h.send(slash('公安 9.9.9z x3'));
    expect(await findings()).toHaveLength(0);
    expect(privateReplies()[0]).toContain('找不到单位“公安”');
    expect(privateReplies()[0]).toContain('没有编号为“9.9.9z”的考核条款');
  });

  it('a refusal from core (a date in the future) answers with its message and the correct form', async () => {
    await h.send(slash('市公安局 2.1.1a date=2017-07-01'));
    expect(await findings()).toHaveLength(0);
    expect(privateReplies()[0]).toContain('日期 2017-07-01 晚于今天');
    expect(privateReplies()[0]).toContain('用法：/finding');
  });

  it('help', async () => {
    await h.send(slash('help'));
    expect(privateReplies()[0]).toContain('/finding：记录考评事项');
  });

  it('a Slack retry of the same command (X-Slack-Retry-Num) files one finding', async () => {
    const req = slash('市公安局 2.1.3a x2');
    expect((await h.send(req)).status).toBe(200);
    expect((await h.send(withRetry(req, 1, 'http_timeout'))).status).toBe(200);
    expect((await h.send(withRetry(req, 2, 'http_timeout'))).status).toBe(200);
    expect(await findings()).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1); // one notice
    const replies = privateReplies();
    expect(replies).toHaveLength(3);
    expect(replies[1]).toContain('该事项此前已经记录');
  });

  it('a wrongly signed request gets 401 and writes nothing', async () => {
    seq += 1;
    const req = h.requests.slashCommand(
      {
        command: '/finding',
        text: '市公安局 2.1.1a x3',
        userId: INSPECTOR,
        channelId: TYPED_IN,
        triggerId: `${seq}.x`,
        responseUrl: h.slack.responseUrl(),
      },
      { signature: 'wrong' },
    );
    const res = await h.send(req);
    expect(res.status).toBe(401);
    expect(await findings()).toHaveLength(0);
    expect(h.slack.calls).toHaveLength(0);
  });

  it('an unknown user gets the polite unknown-member message, never a stack trace', async () => {
    const res = await h.send(slash('市公安局 2.1.1a x3', { userId: STRANGER }));
    expect(res.status).toBe(200);
    expect(await findings()).toHaveLength(0);
    const reply = privateReplies()[0]!;
    expect(reply).toContain('您尚未登记为考评系统用户。请联系市跑改办或市考评办为您开通。');
    expect(reply).not.toMatch(/Error|at .*\.ts/);
  });

  it('a unit contact may not file (quick form or form)', async () => {
    await h.send(slash('市公安局 2.1.1a x3', { userId: CONTACT }));
    await h.send(slash('', { userId: CONTACT }));
    expect(await findings()).toHaveLength(0);
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
    const replies = privateReplies();
    expect(replies).toHaveLength(2);
    for (const r of replies) expect(r).toContain('您没有权限执行此操作');
  });

  it('an organiser may file', async () => {
    await h.send(slash('市公安局 2.2.1b', { userId: ORGANISER }));
    expect(await findings()).toHaveLength(1);
  });
});

describe('/finding form (modal)', () => {
  it('bare /finding opens the form with the trigger_id: unit picker, clause groups, source, date today, deadline hint', async () => {
    const req = slash('');
    expect((await h.send(req)).status).toBe(200);
    const open = h.slack.lastCall('views.open')!;
    expect(open.args.trigger_id).toBe(req.payload.trigger_id);
    const view = open.args.view;
    expect(view.callback_id).toBe(FINDING_MODAL_CALLBACK);
    expect(view.title.text).toBe('记录考评事项');
    const byId = Object.fromEntries(view.blocks.filter((b: any) => b.block_id).map((b: any) => [b.block_id, b]));
    expect(byId.unit.element).toMatchObject({ type: 'external_select', action_id: A.unit });
    expect(byId.clause.dispatch_action).toBe(true);
    const groups = byId.clause.element.option_groups;
    expect(groups).toHaveLength(14);
    expect(groups[0].label.text).toBe('1 总体目标完成情况 › 1.1 事项梳理公布、入库情况');
    expect(groups.flatMap((g: any) => g.options.map((o: any) => o.value))).toHaveLength(48);
    const o = groups.flatMap((g: any) => g.options).find((x: any) => x.value === '2.1.1a');
    expect(o.text.text).toContain('2.1.1a 事项未实现网上受理');
    expect(o.description.text).toBe(`每项 ${PER_ITEM} 分`);
    expect(byId.source.element.initial_option.value).toBe('routine');
    expect(byId.date.element.initial_date).toBe('2017-06-15');
    expect(byId.deadline.optional).toBe(true);
    expect(byId.deadline.hint.text).toBe('不填则为 2017-06-29（发现日期后第 10 个工作日）。');
    expect(JSON.parse(h.seal.open(INSPECTOR, view.private_metadata)!)).toEqual({ channel: TYPED_IN });
    expect(await findings()).toHaveLength(0);
    expect(h.slack.callsTo('response_url')).toHaveLength(0);
  });

  it('a partial command pre-fills the form (alias → unit, clause, its fields)', async () => {
    await h.send(slash('市地震局 1.1.1a 省督查 公布率不足'));
    const view = openedView();
    const byId = Object.fromEntries(view.blocks.filter((b: any) => b.block_id).map((b: any) => [b.block_id, b]));
    expect(byId.unit.element.initial_option).toMatchObject({ value: '市科委' });
    expect(byId.clause.element.initial_option.value).toBe('1.1.1a');
    expect(byId.value.element).toMatchObject({ type: 'number_input', is_decimal_allowed: true });
    expect(byId.count).toBeUndefined();
    expect(byId.deadline).toBeUndefined(); // threshold findings have no rectification
    expect(byId.source.element.initial_option.value).toBe('provincial_inspection');
    expect(byId.evidence.element.initial_value).toBe('公布率不足');
  });

  it('the unit picker searches names and aliases (block_suggestion)', async () => {
    const res = await h.send(unitSuggestion('地震'));
    expect(res.status).toBe(200);
    expect(res.json.options).toEqual([
      { text: { type: 'plain_text', text: '市科委（市地震局）', emoji: true }, value: '市科委' },
    ]);
    const byName = await h.send(unitSuggestion('公安'));
    expect(byName.json.options.map((o: any) => o.value)).toEqual(['市公安局']);
    const all = await h.send(unitSuggestion(''));
    expect(all.json.options).toHaveLength(59);
  });

  it('the unit picker shows nothing to people who may not file', async () => {
    const res = await h.send(unitSuggestion('公安', CONTACT));
    expect(res.json.options).toEqual([]);
  });

  it('choosing a clause updates the form with that clause’s fields (views.update)', async () => {
    await h.send(slash('市公安局 x3'));
    const view = openedView();
    expect(view.blocks.some((b: any) => b.block_id === 'count')).toBe(false);
    const values: StateValues = {
      unit: { [A.unit]: stateValue.externalSelect('市公安局') },
      clause: { [A.clause]: stateValue.staticSelect('2.1.1a') },
      date: { [A.date]: stateValue.date('2017-06-15') },
    };
    const res = await h.send(
      formAction(
        view,
        A.clause,
        { type: 'static_select', selected_option: { text: { type: 'plain_text', text: '2.1.1a' }, value: '2.1.1a' } },
        values,
      ),
    );
    expect(res.status).toBe(200);
    const update = h.slack.lastCall('views.update')!;
    expect(update.args).toMatchObject({ view_id: 'V0OPEN0001', hash: '1700000000.abc' });
    const count = update.args.view.blocks.find((b: any) => b.block_id === 'count');
    expect(count.element).toMatchObject({ type: 'number_input', is_decimal_allowed: false, initial_value: '3' }); // x3 from the command

    // a tiered clause shows its levels instead
    const tiered = await h.send(
      formAction(
        view,
        A.clause,
        { type: 'static_select', selected_option: { text: { type: 'plain_text', text: '6.1.1a' }, value: '6.1.1a' } },
        { ...values, clause: { [A.clause]: stateValue.staticSelect('6.1.1a') } },
      ),
    );
    expect(tiered.status).toBe(200);
    const level = h.slack.lastCall('views.update')!.args.view.blocks.find((b: any) => b.block_id === 'level');
    expect(level.element.options.map((o: any) => o.value)).toEqual(['city', 'province', 'national']);
  });

  it('changing the date shows the default deadline for that date', async () => {
    await h.send(slash('市公安局'));
    const view = openedView();
    const values: StateValues = {
      clause: { [A.clause]: stateValue.staticSelect('2.1.1a') },
      date: { [A.date]: stateValue.date('2017-09-29') },
    };
    await h.send(formAction(view, A.date, { type: 'datepicker', selected_date: '2017-09-29' }, values));
    const deadline = h.slack.lastCall('views.update')!.args.view.blocks.find((b: any) => b.block_id === 'deadline');
    expect(deadline.hint.text).toBe('不填则为 2017-10-19（发现日期后第 10 个工作日）。'); // Sep 30 a make-up working day, Oct 1–8 off
  });

  it('a bad field comes back on that field (response_action: errors); nothing is written', async () => {
    await h.send(slash(''));
    const view = openedView();
    const res = await h.send(
      submitForm(
        view,
        goodValues({
          unit: { [A.unit]: stateValue.externalSelect(null) },
          links: { [A.links]: stateValue.text('not-a-link') },
        }),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { unit: '请填写单位。', links: '“not-a-link”不是有效的 http(s) 链接。' },
    });
    expect(await findings()).toHaveLength(0);
  });

  it('core’s refusal lands on the field it names (date in the future → date)', async () => {
    await h.send(slash(''));
    const view = openedView();
    const res = await h.send(submitForm(view, goodValues({ date: { [A.date]: stateValue.date('2017-07-03') } })));
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { date: '日期 2017-07-03 晚于今天，不能记录尚未发生的事项。' },
    });
    const notApplicable = await h.send(
      submitForm(view, goodValues({ unit: { [A.unit]: stateValue.externalSelect('市编委办') } })),
    );
    expect(notApplicable.json.response_action).toBe('errors');
    expect(Object.keys(notApplicable.json.errors)).toEqual(['clause']);
    expect(await findings()).toHaveLength(0);
  });

  it('a good submission files one finding, closes the form, confirms and posts the notice', async () => {
    await h.send(slash(''));
    const view = openedView();
    const res = await h.send(submitForm(view, goodValues(), { viewId: 'V0GOOD0001' }));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const rows = await findings();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      clauseId: '3.1.3b',
      count: 2,
      source: 'routine',
      evidenceText: '窗口未公示办事指南',
      evidenceLinks: ['https://evidence.example/a', 'https://evidence.example/b'],
      idempotencyKey: `slack:view:${TEAM}:V0GOOD0001`,
    });
    expect(rows[0]!.date.toISOString().slice(0, 10)).toBe('2017-06-14');
    const eph = h.slack.callsTo('chat.postEphemeral');
    expect(eph).toHaveLength(1);
    expect(eph[0]!.args).toMatchObject({ channel: TYPED_IN, user: INSPECTOR });
    expect(blocksText(eph[0]!.args.blocks)).toContain('本条计分 -2 分');
    const notice = h.slack.callsTo('chat.postMessage');
    expect(notice.map((c: FakeSlackCall) => c.args.channel)).toEqual([GONGAN_CHANNEL]);
  });

  it('the same view submitted twice (double click) is one finding', async () => {
    await h.send(slash(''));
    const view = openedView();
    const first = submitForm(view, goodValues(), { viewId: 'V0TWICE001' });
    const [a, b] = await Promise.all([h.send(first), h.send(submitForm(view, goodValues(), { viewId: 'V0TWICE001' }))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await findings()).toHaveLength(1);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    // and once more, later
    await h.send(submitForm(view, goodValues(), { viewId: 'V0TWICE001' }));
    expect(await findings()).toHaveLength(1);
  });

  it('when the app cannot answer in the channel, the confirmation comes as a DM', async () => {
    await h.send(slash(''));
    const view = openedView();
    h.slack.fail('chat.postEphemeral', { error: 'channel_not_found' });
    await h.send(submitForm(view, goodValues(), { viewId: 'V0DMFALL01' }));
    expect(await findings()).toHaveLength(1);
    const dm = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === INSPECTOR);
    expect(blocksText(dm?.args.blocks)).toContain('已记录事项');
  });

  it('a submission by someone who may not file is refused on the form', async () => {
    await h.send(slash(''));
    const view = openedView();
    // (the form's metadata sealed for the stranger, as if it had been opened for them)
    const theirs = { ...view, private_metadata: h.seal.seal(STRANGER, h.seal.open(INSPECTOR, view.private_metadata)!) };
    const res = await h.send(submitForm(theirs, goodValues(), { userId: STRANGER }));
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { unit: '您尚未登记为考评系统用户。请联系市跑改办或市考评办为您开通。' },
    });
    expect(await findings()).toHaveLength(0);
  });
});
