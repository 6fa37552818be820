import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { stateValue } from '../support/slack-requests.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { findingNoticeMessage } from '../../core/messages/findings.ts';
import { SlackMessenger, decodeSlackRef } from '../../adapters/messenger/slack/slack-messenger.adapter.ts';
import { RECTIFICATION_FORM } from '../../bot/handlers/rectification.ts';
import { type FindingView, systemActor } from '../../core/assessment-api.ts';
import { addMembers, bindPsbChannel, file, flatText, USERS, type Harness } from './myscore-support.ts';

// The rectification round trip in chat, end to end: the unit presses the notice's button, fills
// the modal, the filing inspector is notified privately with Verify / Send back, and every step
// updates the notice in the unit's channel — core state and audit rows checked in PostgreSQL.

const UNIT_CHANNEL = 'C0UNITPSB';

describe('rectification in chat', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
    await addMembers(h);
    await bindPsbChannel(h, UNIT_CHANNEL);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  /** A finding with its notice posted to the unit channel (as /finding does). */
  async function findingWithNotice(key: string): Promise<{ f: FindingView; ts: string }> {
    const f = await file(h, {
      unit: '市公安局',
      clause: '2.1.1a',
      count: 2,
      date: '2017-10-09',
      key,
      evidenceText: '网上受理未覆盖',
    });
    const posted = await new SlackMessenger(h.bot.app.client).postToChannel(
      UNIT_CHANNEL,
      findingNoticeMessage('zh-CN', f, { platform: 'slack', contacts: [USERS.contact] }),
    );
    const recorded = await h.fx.findings.recordNotice(systemActor('test'), { findingId: f.id, ref: posted.ref });
    if (!recorded.ok) throw recorded.error;
    return { f: { ...f, noticeRef: posted.ref }, ts: decodeSlackRef(posted.ref).ts };
  }

  async function press(
    actionId: string,
    value: string,
    userId: string,
    where: { channel: string; ts: string },
    triggerId: string,
  ) {
    const res = await h.send(
      h.requests.blockAction({
        actionId,
        value,
        userId,
        channelId: where.channel,
        messageTs: where.ts,
        triggerId,
        responseUrl: h.slack.responseUrl(triggerId),
      }),
    );
    expect(res.status).toBe(200);
  }

  async function submitView(
    callbackId: string,
    privateMetadata: string,
    userId: string,
    viewId: string,
    values: Record<string, string>,
  ) {
    const res = await h.send(
      h.requests.viewSubmission({
        callbackId,
        privateMetadata,
        userId,
        viewId,
        values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { [k]: stateValue.text(v) }])),
      }),
    );
    expect(res.status).toBe(200);
    return res;
  }

  /** Calls to `method` after the call numbered `seq` (h.slack.calls.length at some earlier point). */
  const since = (seq: number, method: string) => h.slack.calls.slice(seq).filter((c) => c.method === method);
  const status = async (id: string) => (await h.fx.prisma.finding.findUniqueOrThrow({ where: { id } })).status;
  const audit = async (id: string) =>
    (await h.fx.prisma.auditLog.findMany({ where: { entity: 'finding', entityId: id }, orderBy: { id: 'asc' } })).map(
      (a) => a.action,
    );

  it('submit → the inspector is notified privately → verify: finding verified, notice updated at each step, audited', async () => {
    const { f, ts } = await findingWithNotice('r-verify');

    // 1. the unit presses the notice's button: a modal opens
    await press(ACTION.submitRectification, f.id, USERS.contact, { channel: UNIT_CHANNEL, ts }, 'trig-1');
    const open = h.slack.lastCall('views.open')!;
    expect(open.args.trigger_id).toBe('trig-1');
    const modal = open.args.view;
    expect(modal).toMatchObject({
      type: 'modal',
      callback_id: RECTIFICATION_FORM.submit,
      title: { text: '提交整改情况' },
    });
    expect(modal.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.block_id)).toEqual([
      'evidence_text',
      'evidence_links',
    ]);
    expect(flatText(modal.blocks)).toContain(`市公安局：事项 #${f.seq} 的整改情况`);

    // 2. a bad link: the error lands on the links field, nothing changes
    const bad = await submitView(RECTIFICATION_FORM.submit, modal.private_metadata, USERS.contact, 'V0RECT1', {
      evidence_text: '已整改',
      evidence_links: 'not a link',
    });
    expect(bad.json).toEqual({
      response_action: 'errors',
      errors: { evidence_links: expect.stringContaining('“not”不是有效的链接') },
    });
    expect(await status(f.id)).toBe('filed');

    // 3. the evidence is submitted (twice: a double click), the modal closes
    const good = {
      evidence_text: '已开通网上受理，见附件',
      evidence_links: 'https://example.gov.cn/evidence/1\nhttps://example.gov.cn/evidence/2',
    };
    const ok = await submitView(RECTIFICATION_FORM.submit, modal.private_metadata, USERS.contact, 'V0RECT1', good);
    expect(ok.text).toBe('');
    await submitView(RECTIFICATION_FORM.submit, modal.private_metadata, USERS.contact, 'V0RECT1', good);
    expect(await status(f.id)).toBe('submitted');
    expect(await h.fx.prisma.rectificationEvent.count({ where: { findingId: f.id, kind: 'submitted' } })).toBe(1);

    // the filing inspector gets one private message with Verify / Send back and the evidence
    const dms = since(0, 'chat.postMessage').filter((c) => c.args.channel === USERS.inspector);
    expect(dms).toHaveLength(1);
    const dmText = flatText(dms[0]!.args.blocks);
    expect(dmText).toContain('整改待核验：市公安局');
    expect(dmText).toContain('已开通网上受理，见附件');
    expect(dmText).toContain('https://example.gov.cn/evidence/2');
    const dmButtons = dms[0]!.args.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements);
    expect(dmButtons.map((b: any) => [b.action_id, b.value])).toEqual([
      [ACTION.verify, f.id],
      [ACTION.reject, f.id],
    ]);

    // the notice in the unit channel now says "submitted" and has no submit button
    const notice = h.slack.messages.get(`${UNIT_CHANNEL}/${ts}`)!;
    expect(notice.history).toHaveLength(2);
    expect(flatText(notice.blocks)).toContain('整改待核验');
    expect(flatText(notice.blocks)).toContain(`<@${USERS.contact}> 于 2017-10-09 提交了整改情况，等待核验`);
    expect(notice.blocks!.some((b: any) => b.type === 'actions')).toBe(false);

    // 4. the inspector presses Verify in the DM
    const dm = h.slack.messagesIn(h.slack.dmChannelFor(USERS.inspector))[0]!;
    const mark = h.slack.calls.length;
    await press(ACTION.verify, f.id, USERS.inspector, { channel: dm.channel, ts: dm.ts }, 'trig-2');
    const row = await h.fx.prisma.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(row.status).toBe('verified');
    expect(row.rectifiedOn?.toISOString().slice(0, 10)).toBe('2017-10-09');

    const updates = since(mark, 'chat.update');
    expect(updates.map((u) => `${u.args.channel}/${u.args.ts}`).sort()).toEqual(
      [`${dm.channel}/${dm.ts}`, `${UNIT_CHANNEL}/${ts}`].sort(),
    );
    expect(flatText(h.slack.messages.get(`${dm.channel}/${dm.ts}`)!.blocks)).toContain('已核验通过，事项已销号');
    // the reviewed message still names the contact who submitted, not the inspector who pressed
    const reviewed = flatText(h.slack.messages.get(`${dm.channel}/${dm.ts}`)!.blocks);
    expect(reviewed).toContain(`<@${USERS.contact}> 提交了事项`);
    expect(reviewed).not.toContain('请核验'); // reviewed: nothing is asked any more
    expect(reviewed).toContain('整改已核验：市公安局');
    expect(reviewed).not.toContain('整改待核验');
    expect(reviewed).not.toContain(`<@${USERS.inspector}> 提交了`);
    expect(h.slack.messages.get(`${dm.channel}/${dm.ts}`)!.blocks!.some((b: any) => b.type === 'actions')).toBe(false);
    expect(flatText(h.slack.messages.get(`${UNIT_CHANNEL}/${ts}`)!.blocks)).toContain('已销号');
    // and the unit channel is told
    expect(
      flatText(since(mark, 'chat.postMessage').find((c) => c.args.channel === UNIT_CHANNEL)!.args.blocks),
    ).toContain('事项已销号：市公安局');

    expect(await audit(f.id)).toEqual(['finding.filed', 'rectification.submitted', 'rectification.verified']);

    // verifying again changes nothing and says so
    await press(ACTION.verify, f.id, USERS.inspector, { channel: dm.channel, ts: dm.ts }, 'trig-3');
    expect(flatText(h.slack.lastCall('response_url')!.args.blocks)).toContain('此前已核验销号');
    expect(await audit(f.id)).toHaveLength(3);
  });

  it('reject: reason modal (empty reason refused) → back to filed, notice shows the submit button again, unit told why, audited', async () => {
    const { f, ts } = await findingWithNotice('r-reject');
    await press(ACTION.submitRectification, f.id, USERS.contact, { channel: UNIT_CHANNEL, ts }, 'trig-10');
    const meta = h.slack.lastCall('views.open')!.args.view.private_metadata;
    await submitView(RECTIFICATION_FORM.submit, meta, USERS.contact, 'V0RECT10', {
      evidence_text: '已整改',
      evidence_links: '',
    });
    const dm = h.slack.messagesIn(h.slack.dmChannelFor(USERS.inspector)).at(-1)!;
    const mark = h.slack.calls.length;

    await press(ACTION.reject, f.id, USERS.inspector, { channel: dm.channel, ts: dm.ts }, 'trig-11');
    const reasonModal = h.slack.lastCall('views.open')!.args.view;
    expect(reasonModal).toMatchObject({ callback_id: RECTIFICATION_FORM.reject, title: { text: '退回整改' } });

    const empty = await submitView(RECTIFICATION_FORM.reject, reasonModal.private_metadata, USERS.inspector, 'V0REJ1', {
      reason: '   ',
    });
    expect(empty.json).toEqual({
      response_action: 'errors',
      errors: { reason: expect.stringContaining('请填写退回理由') },
    });
    expect(await status(f.id)).toBe('submitted');

    await submitView(RECTIFICATION_FORM.reject, reasonModal.private_metadata, USERS.inspector, 'V0REJ1', {
      reason: '缺少网上受理截图',
    });
    expect(await status(f.id)).toBe('filed');
    const notice = h.slack.messages.get(`${UNIT_CHANNEL}/${ts}`)!;
    expect(flatText(notice.blocks)).toContain(`<@${USERS.inspector}> 退回了整改：缺少网上受理截图`);
    expect(
      notice
        .blocks!.filter((b: any) => b.type === 'actions')
        .flatMap((b: any) => b.elements)
        .map((e: any) => e.action_id),
    ).toEqual([ACTION.submitRectification]);
    const toUnit = since(mark, 'chat.postMessage').find((c) => c.args.channel === UNIT_CHANNEL)!;
    expect(flatText(toUnit.args.blocks)).toContain('整改被退回：市公安局');
    expect(flatText(toUnit.args.blocks)).toContain('缺少网上受理截图');
    expect(flatText(toUnit.args.blocks)).toContain(`<@${USERS.contact}>`);
    const sentBack = flatText(h.slack.messages.get(`${dm.channel}/${dm.ts}`)!.blocks);
    expect(sentBack).toContain('退回了整改');
    expect(sentBack).toContain('整改已退回：市公安局');
    expect(sentBack).not.toContain('整改待核验');

    const rejected = await h.fx.prisma.auditLog.findFirstOrThrow({
      where: { entity: 'finding', entityId: f.id, action: 'rectification.rejected' },
    });
    expect(rejected.reason).toBe('缺少网上受理截图');
    expect(await audit(f.id)).toEqual(['finding.filed', 'rectification.submitted', 'rectification.rejected']);
  });

  it("another unit's contact pressing the button is refused privately and no modal opens", async () => {
    const { f, ts } = await findingWithNotice('r-other');
    await press(ACTION.submitRectification, f.id, USERS.otherContact, { channel: UNIT_CHANNEL, ts }, 'trig-20');
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
    expect(flatText(h.slack.lastCall('response_url')!.args.blocks)).toContain('只能为本单位的事项提交整改');
  });

  it('a unit contact cannot verify, an inspector cannot submit', async () => {
    const { f, ts } = await findingWithNotice('r-roles');
    await press(ACTION.verify, f.id, USERS.contact, { channel: UNIT_CHANNEL, ts }, 'trig-30');
    expect(flatText(h.slack.lastCall('response_url')!.args.blocks)).toContain('您没有权限执行此操作');
    await press(ACTION.submitRectification, f.id, USERS.inspector, { channel: UNIT_CHANNEL, ts }, 'trig-31');
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
    expect(await status(f.id)).toBe('filed');
  });
});
