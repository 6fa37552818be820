import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { stateValue, withRetry } from '../support/slack-requests.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { WITHDRAW_FORM } from '../../bot/handlers/withdraw.ts';
import { actorOf, addMembers, bindPsbChannel, flatText, USERS, type Harness } from './myscore-support.ts';

// Withdrawing a finding in chat, end to end: signed requests (from Slack's real payload samples)
// into the real Bolt HTTP receiver, the real core over a fresh PostgreSQL database, Slack's Web API
// faked on loopback. The finding is filed with /finding as an inspector would, so its notice and
// the filer's confirmation (with the Withdraw button) are the real ones.

const UNIT_CHANNEL = 'C0GONGAN';
const TYPED_IN = 'C0INSPECTORS';
const INSPECTOR2 = 'U0INSPECT2';
const ENGLISH_INSPECTOR = 'U0INSPECTEN';

let h: Harness;
let n = 0;

beforeAll(async () => {
  h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
  await addMembers(h);
  await h.slackMember(INSPECTOR2, 'inspector');
  await h.slackMember(ENGLISH_INSPECTOR, 'inspector');
  await h.fx.prisma.member.updateMany({
    where: { identities: { some: { platform: 'slack', externalId: ENGLISH_INSPECTOR } } },
    data: { locale: 'en' },
  });
  await bindPsbChannel(h, UNIT_CHANNEL);
});
afterAll(async () => h?.close());
beforeEach(() => {
  mark = h.slack.calls.length;
});

function slash(text: string, userId: string = USERS.inspector) {
  n += 1;
  return h.requests.slashCommand({
    command: '/finding',
    text,
    userId,
    channelId: TYPED_IN,
    triggerId: `${n}.333.withdraw${n}`,
    responseUrl: h.slack.responseUrl(`T111/${n}/withdraw`),
  });
}

async function send(req: ReturnType<typeof slash>) {
  const res = await h.send(req);
  expect(res.status).toBe(200);
  return res;
}

// h.slack.reset() would forget the notices too (then an update finds no message); instead each
// test reads only the calls made after `mark`.
let mark = 0;
const since = (method: string) => h.slack.calls.slice(mark).filter((c) => c.method === method);

/** The private answers (ephemeral via response_url) since `mark`, as text. */
const replies = () => since('response_url').map((c) => `${c.args.text ?? ''}\n${flatText(c.args.blocks)}`);
const lastReply = () => replies().at(-1) ?? '';

/** File through /finding as the inspector: the notice goes to the unit channel, the confirmation to the filer. */
async function fileByCommand(text: string, userId: string = USERS.inspector) {
  await send(slash(text, userId));
  const row = await h.fx.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } });
  const noticeTs = row.noticeRef!.split('/')[1]!;
  const confirmation = since('response_url').at(-1)!.args;
  mark = h.slack.calls.length;
  return { id: row.id, seq: row.seq, noticeKey: `${UNIT_CHANNEL}/${noticeTs}`, confirmation };
}

const row = (id: string) => h.fx.prisma.finding.findUniqueOrThrow({ where: { id } });
const auditActions = async (id: string) =>
  (await h.fx.prisma.auditLog.findMany({ where: { entity: 'finding', entityId: id }, orderBy: { id: 'asc' } })).map(
    (a) => a.action,
  );
const toUnit = () => since('chat.postMessage').filter((c) => c.args.channel === UNIT_CHANNEL);

describe('/finding withdraw (quick form)', () => {
  it('the filer withdraws by #number: withdrawn in the DB and audited, notice updated, unit told, filer told; a Slack retry changes nothing', async () => {
    const f = await fileByCommand('市公安局 2.1.1a x2 网上受理未覆盖');
    const inspector = await actorOf(h, USERS.inspector);

    const req = slash(`withdraw #${f.seq} 与上周事项重复记录`);
    await send(req);

    const after = await row(f.id);
    expect(after).toMatchObject({
      status: 'withdrawn',
      withdrawReason: '与上周事项重复记录',
      withdrawnById: inspector.memberId,
    });
    const audit = await h.fx.prisma.auditLog.findFirstOrThrow({
      where: { entity: 'finding', entityId: f.id, action: 'finding.withdrawn' },
    });
    expect(audit).toMatchObject({
      reason: '与上周事项重复记录',
      actorId: inspector.memberId,
      actorLabel: `inspector:slack:${USERS.inspector}`,
    });

    // the notice in the unit channel: status withdrawn, a line saying who and why, no button
    const notice = h.slack.messages.get(f.noticeKey)!;
    expect(notice.history).toHaveLength(2);
    const noticeText = flatText(notice.blocks);
    expect(noticeText).toContain('已撤销');
    expect(noticeText).toContain(`<@${USERS.inspector}> 于 2017-10-09 撤销了该事项。理由：与上周事项重复记录`);
    expect(notice.blocks!.some((b: any) => b.type === 'actions')).toBe(false);

    // the unit is told in its channel, with the reason
    expect(toUnit()).toHaveLength(1);
    const told = flatText(toUnit()[0]!.args.blocks);
    expect(told).toContain('事项已撤销：市公安局');
    expect(told).toContain(`事项 #${f.seq}（条款 2.1.1a）已由 <@${USERS.inspector}> 撤销，不再计分`);
    expect(told).toContain('与上周事项重复记录');

    // the filer, privately
    expect(replies()).toHaveLength(1);
    expect(lastReply()).toContain(`已撤销市公安局的事项 #${f.seq}（条款 2.1.1a），该事项不再计分。`);
    expect(lastReply()).toContain('已在市公安局的群聊发出通知。');
    expect(since('response_url')[0]!.args.response_type).toBe('ephemeral');

    // Slack redelivers the same command: success, nothing written or sent again
    mark = h.slack.calls.length;
    await send(withRetry(req, 1, 'http_timeout'));
    expect(lastReply()).toContain(`事项 #${f.seq} 已按这次请求撤销，重复提交没有再做更改。`);
    expect(since('chat.postMessage')).toHaveLength(0);
    expect(since('chat.update')).toHaveLength(0);
    expect(await auditActions(f.id)).toEqual(['finding.filed', 'finding.withdrawn']);
  });

  it('Chinese keyword; an organiser may withdraw any finding', async () => {
    const f = await fileByCommand('市公安局 2.1.2a');
    await send(slash(`撤销 ＃${f.seq} 督查组复核后认定不属实`, USERS.organiser));
    expect((await row(f.id)).status).toBe('withdrawn');
    expect(lastReply()).toContain(`已撤销市公安局的事项 #${f.seq}`);
  });

  it('refused for another inspector and for a unit contact; nothing changes', async () => {
    const f = await fileByCommand('市公安局 2.1.3a');
    await send(slash(`withdraw #${f.seq} 不是我记的`, INSPECTOR2));
    expect(lastReply()).toContain('只有填报该事项的督查员或考核组织单位可以撤销事项。');
    await send(slash(`withdraw #${f.seq} 我们已经整改了`, USERS.contact));
    expect(lastReply()).toContain('您没有权限执行此操作（撤销事项）');
    // even a malformed command by a contact gets the refusal, not the syntax lesson
    await send(slash('withdraw', USERS.contact));
    expect(lastReply()).toContain('您没有权限执行此操作（撤销事项）');

    expect((await row(f.id)).status).toBe('filed');
    expect(await auditActions(f.id)).toEqual(['finding.filed']);
    expect(since('chat.postMessage')).toHaveLength(0);
    expect(since('chat.update')).toHaveLength(0);
  });

  it('an unknown #number is named clearly, with the correct form; nothing changes', async () => {
    const before = await h.fx.prisma.auditLog.count();
    await send(slash('withdraw #999999 重复记录'));
    expect(lastReply()).toContain('找不到事项 #999999。请核对事项编号');
    expect(lastReply()).toContain('/finding withdraw #事项编号 理由');
    expect(await h.fx.prisma.auditLog.count()).toBe(before);
  });

  it('parse errors are answered privately in the person’s language with the correct form', async () => {
    await send(slash('withdraw #abc 重复记录'));
    expect(lastReply()).toContain('这条撤销事项的命令有问题，没有做任何更改');
    expect(lastReply()).toContain('“#abc”不是事项编号。事项编号形如 #123。');
    expect(lastReply()).toContain('正确格式：');
    expect(lastReply()).toContain('例如：/finding withdraw #123');

    await send(slash('withdraw #12', ENGLISH_INSPECTOR));
    expect(lastReply()).toContain('There is a problem with this withdrawal; nothing was changed:');
    expect(lastReply()).toContain('The reason is missing.');
    expect(lastReply()).toContain('The correct form:');
    expect(lastReply()).toContain('Example: /finding withdraw #123');
    expect(since('chat.postMessage')).toHaveLength(0);
  });

  it('a withdrawn finding cannot be withdrawn again with another reason', async () => {
    const f = await fileByCommand('市公安局 2.2.1a');
    await send(slash(`withdraw #${f.seq} 第一次`));
    await send(slash(`withdraw #${f.seq} 第二次`));
    expect(lastReply()).toContain(`事项 #${f.seq} 已撤销。`);
    expect((await row(f.id)).withdrawReason).toBe('第一次');
  });

  it('/finding help shows the withdraw and deadline forms', async () => {
    await send(slash('help'));
    expect(lastReply()).toContain('/finding withdraw #事项编号 理由');
    expect(lastReply()).toContain('/finding deadline #事项编号 YYYY-MM-DD 理由');
  });
});

describe('Withdraw button → reason modal', () => {
  function press(value: string, userId: string, triggerId: string) {
    return h.send(
      h.requests.blockAction({
        sample: 'ephemeral_message_button.bolt-python',
        actionId: ACTION.withdraw,
        value,
        userId,
        channelId: TYPED_IN,
        triggerId,
        responseUrl: h.slack.responseUrl(`T111/${triggerId}/press`),
      }),
    );
  }

  function submit(privateMetadata: string, viewId: string, reason: string, userId: string = USERS.inspector) {
    return h.send(
      h.requests.viewSubmission({
        callbackId: WITHDRAW_FORM,
        privateMetadata,
        userId,
        viewId,
        values: { reason: { reason: stateValue.text(reason) } },
      }),
    );
  }

  it('the confirmation’s button opens the modal; an empty reason is refused on the field; submitted twice → one withdrawal', async () => {
    const f = await fileByCommand('市公安局 2.1.1a x3 窗口未公示');
    const button = f.confirmation.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements)[0];
    expect(button).toMatchObject({ action_id: ACTION.withdraw, value: f.id, text: { text: '撤销事项' } });

    expect((await press(button.value, USERS.inspector, 'trig-w1')).status).toBe(200);
    const open = since('views.open').at(-1)!;
    expect(open.args.trigger_id).toBe('trig-w1');
    const modal = open.args.view;
    expect(modal).toMatchObject({
      type: 'modal',
      callback_id: WITHDRAW_FORM,
      title: { text: '撤销事项' },
      submit: { text: '撤销' },
    });
    expect(modal.blocks.filter((b: any) => b.type === 'input').map((b: any) => [b.block_id, b.optional])).toEqual([
      ['reason', false],
    ]);
    expect(flatText(modal.blocks)).toContain(`撤销市公安局的事项 #${f.seq}（条款 2.1.1a）`);

    // an empty (blank) reason: the error lands on the field; nothing changes
    const empty = await submit(modal.private_metadata, 'V0WD1', '   ');
    expect(empty.json).toEqual({ response_action: 'errors', errors: { reason: '请填写撤销理由。' } });
    expect((await row(f.id)).status).toBe('filed');

    // the same view submitted twice (a double click): the modal closes both times, one withdrawal
    const first = await submit(modal.private_metadata, 'V0WD1', '记录有误，单位已提供证明');
    expect(first.status).toBe(200);
    expect(first.text).toBe('');
    const second = await submit(modal.private_metadata, 'V0WD1', '记录有误，单位已提供证明');
    expect(second.status).toBe(200);
    expect(second.text).toBe('');

    expect(await row(f.id)).toMatchObject({ status: 'withdrawn', withdrawReason: '记录有误，单位已提供证明' });
    expect(await auditActions(f.id)).toEqual(['finding.filed', 'finding.withdrawn']);
    expect(toUnit()).toHaveLength(1);
    expect(since('chat.update').filter((c) => `${c.args.channel}/${c.args.ts}` === f.noticeKey)).toHaveLength(1);
    expect(flatText(h.slack.messages.get(f.noticeKey)!.blocks)).toContain('理由：记录有误，单位已提供证明');
    // the filer's confirmation comes once, as a DM (a modal has no response_url)
    const dms = since('chat.postMessage').filter((c) => c.args.channel === USERS.inspector);
    expect(dms).toHaveLength(1);
    expect(flatText(dms[0]!.args.blocks)).toContain(`已撤销市公安局的事项 #${f.seq}`);

    // pressing the button again: told privately, no modal
    mark = h.slack.calls.length;
    await press(f.id, USERS.inspector, 'trig-w2');
    expect(since('views.open')).toHaveLength(0);
    expect(lastReply()).toContain(`事项 #${f.seq} 已撤销。`);
  });

  it('another inspector or a unit contact pressing it gets no modal', async () => {
    const f = await fileByCommand('市公安局 2.1.2a');
    await press(f.id, INSPECTOR2, 'trig-w3');
    expect(lastReply()).toContain('只有填报该事项的督查员或考核组织单位可以撤销事项。');
    await press(f.id, USERS.contact, 'trig-w4');
    expect(lastReply()).toContain('您没有权限执行此操作（撤销事项）');
    expect(since('views.open')).toHaveLength(0);
    // a forged submission by the other inspector (metadata not sealed for them) is refused on the field
    const forged = await submit(JSON.stringify({ f: f.id }), 'V0WD9', '不是我记的', INSPECTOR2);
    expect(forged.json.errors.reason).toContain('REQUEST.TAMPERED');
    // and one whose metadata is properly sealed for them is refused by core
    const sealed = await submit(
      h.seal.seal(INSPECTOR2, JSON.stringify({ f: f.id })),
      'V0WD8',
      '不是我记的',
      INSPECTOR2,
    );
    expect(sealed.json).toEqual({
      response_action: 'errors',
      errors: { reason: '只有填报该事项的督查员或考核组织单位可以撤销事项。' },
    });
    expect((await row(f.id)).status).toBe('filed');
  });

  it('a closed month refuses the withdrawal on the field', async () => {
    const f = await fileByCommand('市公安局 2.2.1b date=2017-09-20');
    const org = await actorOf(h, USERS.organiser);
    expect((await h.fx.months.setState(org, { month: '2017-09', state: 'closed' })).ok).toBe(true);
    try {
      await press(f.id, USERS.inspector, 'trig-w5');
      const modal = since('views.open').at(-1)!.args.view;
      const res = await submit(modal.private_metadata, 'V0WD5', '重复记录');
      expect(res.json).toEqual({
        response_action: 'errors',
        errors: { reason: expect.stringContaining('2017-09 已结账') },
      });
      expect((await row(f.id)).status).toBe('filed');
    } finally {
      await h.fx.months.setState(org, { month: '2017-09', state: 'open' });
    }
  });
});
