import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/assessment-api.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { robotSign } from '../../bot/dingtalk/signature.ts';
import { createDingTalkBot } from '../../bot/dingtalk/create-dingtalk-bot.ts';
import { registerActions } from '../../bot/slack/listeners/actions/index.ts';
import { FINDING_FORM_ACTION } from '../../bot/slack/views/finding-modal.ts';
import type { SlackDeps } from '../../bot/slack/form-seal.ts';
import type { App } from '@slack/bolt';
import { t } from '../../core/i18n/t.ts';
import { startDingTalkHarness } from '../support/dingtalk-bot-harness.ts';
import { cardPress, directMessage, groupMessage, robotHeaders, sample } from '../support/dingtalk-requests.ts';

// The DingTalk bot end to end: signed robot callbacks built from DingTalk's published samples
// into the real HTTP endpoint on loopback, a fake DingTalk API recording every call, PostgreSQL.

const PSB_GROUP = 'cidPSBgroup==';
const ORG_GROUP = 'cidOrganisers==';
const U = {
  inspector: 'dt-inspector',
  organiser: 'dt-organiser',
  contact: 'dt-contact-1',
  contact2: 'dt-contact-2',
  stranger: 'dt-stranger',
} as const;

type H = Awaited<ReturnType<typeof startDingTalkHarness>>;

describe('DingTalk robot, HTTP callback mode', () => {
  let h: H;
  let n = 0;
  const msgId = () => `msg-test-${++n}`;

  beforeAll(async () => {
    h = await startDingTalkHarness({ now: '2017-10-09T10:00:00+08:00' });
    await h.member(U.organiser, 'organiser');
    await h.member(U.inspector, 'inspector');
    await h.member(U.contact, 'unit_contact', '市公安局');
    await h.member(U.contact2, 'unit_contact', '市公安局');
    const org = await h.fx.membership.resolveActor('dingtalk', U.organiser);
    if (!org.ok) throw org.error;
    expect(
      (await h.fx.membership.bindChannel(org.value, { platform: 'dingtalk', scope: '市公安局', channelId: PSB_GROUP }))
        .ok,
    ).toBe(true);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.api.reset());

  const findings = () => h.fx.prisma.finding.findMany({ orderBy: { seq: 'asc' } });
  const FILE = '/finding 市公安局 2.1.1a x3 省督查 网上受理未覆盖 https://example.gov.cn/e/1';

  it('signs as DingTalk documents it (the sample’s worked example)', () => {
    const ex = sample('http_callback.signature_example.json');
    expect(robotSign(ex.timestamp, ex.appSecret)).toBe(ex.sign);
  });

  it('/finding quick form in a group: one finding, and the notice @-mentions the unit’s contacts in its group', async () => {
    const before = (await findings()).length;
    const body = groupMessage({
      msgId: msgId(),
      text: FILE,
      from: U.inspector,
      conversationId: 'cidInspectors==',
      sessionWebhook: h.api.sessionWebhook('insp'),
    });
    const res = await h.send(body);
    expect(res.status).toBe(200);
    const after = await findings();
    expect(after).toHaveLength(before + 1);
    const f = after.at(-1)!;
    expect(f).toMatchObject({
      clauseId: '2.1.1a',
      count: 3,
      source: 'provincial_inspection',
      idempotencyKey: `dingtalk:msg:${body.msgId}`,
    });
    const notice = h.api.cardsTo(PSB_GROUP);
    expect(notice).toHaveLength(1);
    expect(notice[0]!.atUserIds).toMatchObject({ [U.contact]: U.contact, [U.contact2]: U.contact2 });
    expect(notice[0]!.params.markdown).toContain(`@${U.contact}`);
    expect(JSON.parse(notice[0]!.params.buttons!).map((b: { action: string }) => b.action)).toContain(
      ACTION.submitRectification,
    );
    expect(f.noticeRef).toBe(`dingtalk:${notice[0]!.outTrackId}`);
    // the filer's confirmation is private: a card in the inspector's chat with the robot
    const mine = h.api.cardsTo(U.inspector);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.space).toBe('robot');
  });

  it('the same message delivered twice files one finding and posts one notice', async () => {
    const body = groupMessage({
      msgId: msgId(),
      text: FILE.replace('x3', 'x2'),
      from: U.inspector,
      conversationId: 'cidInspectors==',
      sessionWebhook: h.api.sessionWebhook('insp'),
    });
    const before = (await findings()).length;
    expect((await h.send(body)).status).toBe(200);
    expect((await h.send(body)).status).toBe(200);
    // and once more to a second bot process (its own memory of seen messages): the database decides
    const other = createDingTalkBot(h.deps, h.config, h.ports);
    const otherBase = (await other.start(0, '127.0.0.1'))!;
    try {
      const res = await fetch(`${otherBase}/dingtalk/robot`, {
        method: 'POST',
        headers: robotHeaders(h.api.appSecret),
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    } finally {
      await other.stop();
    }
    expect(await findings()).toHaveLength(before + 1);
    expect(h.api.cardsTo(PSB_GROUP)).toHaveLength(1);
  });

  it.each([
    ['wrongly signed', () => ({ ...robotHeaders('not the app secret') })],
    ['stale (over an hour old)', () => robotHeaders(sampleSecret(), Date.now() - 61 * 60_000)],
    ['unsigned', () => ({ 'content-type': 'application/json' })],
    [
      'signed by DingTalk’s documented example for another secret',
      () => {
        const ex = sample('http_callback.signature_example.json');
        return { 'content-type': 'application/json', timestamp: ex.timestamp, sign: ex.sign };
      },
    ],
  ])('a %s request is refused and writes nothing', async (_what, headers) => {
    const before = await h.fx.prisma.finding.count();
    const audit = await h.fx.prisma.auditLog.count();
    const res = await h.send(
      groupMessage({
        msgId: msgId(),
        text: FILE,
        from: U.inspector,
        conversationId: 'cidX==',
        sessionWebhook: h.api.sessionWebhook('x'),
      }),
      headers(),
    );
    expect(res.status).toBe(401);
    expect(await h.fx.prisma.finding.count()).toBe(before);
    expect(await h.fx.prisma.auditLog.count()).toBe(audit);
    expect(h.api.calls).toHaveLength(0);
  });
  const sampleSecret = () => h.api.appSecret;

  it('/myscore one to one is answered through the sessionWebhook with the unit’s breakdown', async () => {
    const res = await h.send(
      directMessage({ msgId: msgId(), text: '/myscore', from: U.contact, sessionWebhook: h.api.sessionWebhook('c1') }),
    );
    expect(res.status).toBe(200);
    const replies = h.api.callsOf('sendBySession');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.query.session).toBe('c1');
    const text = JSON.stringify(replies[0]!.body);
    expect(text).toContain('市公安局');
    expect(h.api.callsOf('card.createAndDeliver')).toHaveLength(0);
  });

  it('a sessionWebhook that has expired is not used: the reply goes through the robot API', async () => {
    const body = directMessage({
      msgId: msgId(),
      text: '/help',
      from: U.contact,
      sessionWebhook: h.api.sessionWebhook('old'),
    });
    body.sessionWebhookExpiredTime = Date.now() - 1000;
    expect((await h.send(body)).status).toBe(200);
    expect(h.api.callsOf('sendBySession')).toHaveLength(0);
    expect(h.api.cardsTo(U.contact)).toHaveLength(1);
  });

  it('rectification: the contact presses the card, answers in one-to-one chat; the inspector verifies on the card', async () => {
    await h.send(
      groupMessage({
        msgId: msgId(),
        text: FILE.replace('x3', 'x1'),
        from: U.inspector,
        conversationId: 'cidI==',
        sessionWebhook: h.api.sessionWebhook('i'),
      }),
    );
    const f = (await findings()).at(-1)!;
    const notice = h.api.cardsTo(PSB_GROUP).at(-1)!;
    h.api.reset();
    // 1. press "submit rectification" on the notice card in the group
    let res = await h.press(
      cardPress({ outTrackId: notice.outTrackId, userId: U.contact, action: ACTION.submitRectification, value: f.id }),
    );
    expect(res.status).toBe(200);
    const prompt = h.api.cardsTo(U.contact);
    expect(prompt).toHaveLength(1);
    // 2. answer the two items one to one: the evidence text, then the links
    const dm = (text: string) =>
      h.send(directMessage({ msgId: msgId(), text, from: U.contact, sessionWebhook: h.api.sessionWebhook('c') }));
    expect((await dm('已完成网上受理全覆盖')).status).toBe(200);
    expect((await dm('https://example.gov.cn/fix/1')).status).toBe(200);
    let row = await h.fx.prisma.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(row.status).toBe('submitted');
    const events = await h.fx.prisma.rectificationEvent.findMany({ where: { findingId: f.id } });
    expect(events).toMatchObject([
      { kind: 'submitted', evidenceText: '已完成网上受理全覆盖', evidenceLinks: ['https://example.gov.cn/fix/1'] },
    ]);
    // the inspector got a card with Verify / Send back; the notice card was updated in place
    const review = h.api.cardsTo(U.inspector).at(-1)!;
    const buttons = JSON.parse(review.params.buttons!) as Array<{ action: string; value: string }>;
    expect(buttons.map((b) => b.action)).toEqual(expect.arrayContaining([ACTION.verify, ACTION.reject]));
    expect(h.api.callsOf('card.update').map((c) => c.body.outTrackId)).toContain(notice.outTrackId);
    // 3. the inspector presses Verify on that card
    res = await h.press(
      cardPress({ outTrackId: review.outTrackId, userId: U.inspector, action: ACTION.verify, value: f.id }),
    );
    expect(res.status).toBe(200);
    row = await h.fx.prisma.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(row.status).toBe('verified');
  });

  it('a card press that is not signed with the callback secret is refused and changes nothing', async () => {
    const f = (await findings()).at(0)!;
    const res = await h.press(
      cardPress({ outTrackId: 'kp-x', userId: U.inspector, action: ACTION.verify, value: f.id }),
      {
        'content-type': 'application/json',
        'x-ddpaas-signature-timestamp': String(Date.now()),
        'x-ddpaas-signature': 'AAAA',
      },
    );
    expect(res.status).toBe(401);
    expect(h.api.calls).toHaveLength(0);
  });

  it('an access token DingTalk no longer accepts is refreshed once and the notice still goes out', async () => {
    await h.send(
      groupMessage({
        msgId: msgId(),
        text: FILE,
        from: U.inspector,
        conversationId: 'cidI==',
        sessionWebhook: h.api.sessionWebhook('i'),
      }),
    );
    const tokensBefore = h.api.callsOf('oauth2.accessToken').length;
    h.api.reset();
    h.api.expireTokens();
    await h.send(
      groupMessage({
        msgId: msgId(),
        text: FILE.replace('x3', 'x4'),
        from: U.inspector,
        conversationId: 'cidI==',
        sessionWebhook: h.api.sessionWebhook('i'),
      }),
    );
    expect(tokensBefore).toBeGreaterThanOrEqual(0);
    expect(h.api.callsOf('oauth2.accessToken')).toHaveLength(1);
    const delivers = h.api.callsOf('card.createAndDeliver');
    expect(delivers[0]!.status).toBe(401);
    expect(delivers.slice(1).every((c) => c.status === 200)).toBe(true);
    expect(h.api.cardsTo(PSB_GROUP)).toHaveLength(1);
  });

  it('/kaoping member add @someone in a group registers the mentioned DingTalk user; /kaoping channel binds that group', async () => {
    const add = groupMessage({
      msgId: msgId(),
      text: '/kaoping member add contact 市科委',
      from: U.organiser,
      conversationId: ORG_GROUP,
      mentions: ['dt-new-contact'],
      sessionWebhook: h.api.sessionWebhook('o'),
    });
    expect((await h.send(add)).status).toBe(200);
    const m = await h.fx.prisma.member.findFirst({
      where: { identities: { some: { platform: 'dingtalk', externalId: 'dt-new-contact' } } },
      include: { unit: true },
    });
    expect(m).toMatchObject({ role: 'unit_contact', unit: { name: '市科委' } });
    const bind = groupMessage({
      msgId: msgId(),
      text: '/kaoping channel 市科委',
      from: U.organiser,
      conversationId: 'cidKW==',
      sessionWebhook: h.api.sessionWebhook('o'),
    });
    expect((await h.send(bind)).status).toBe(200);
    expect(await h.fx.membership.channelFor(systemActor('test'), { platform: 'dingtalk', scope: '市科委' })).toEqual({
      ok: true,
      value: 'cidKW==',
    });
  });

  it('someone kaoping does not know is told so, privately', async () => {
    const before = await h.fx.prisma.finding.count();
    await h.send(
      directMessage({ msgId: msgId(), text: FILE, from: U.stranger, sessionWebhook: h.api.sessionWebhook('s') }),
    );
    const replies = h.api.callsOf('sendBySession');
    expect(replies).toHaveLength(1);
    expect(await h.fx.prisma.finding.count()).toBe(before);
  });

  it('non-text messages (a picture) get the help pointer, not an error', async () => {
    const pic = {
      ...sample('robot_message.one_to_one.picture.json'),
      msgId: msgId(),
      senderStaffId: U.contact,
      sessionWebhook: h.api.sessionWebhook('p'),
      sessionWebhookExpiredTime: Date.now() + 3_600_000,
    };
    expect((await h.send(pic)).status).toBe(200);
    expect(JSON.stringify(h.api.callsOf('sendBySession')[0]!.body)).toContain('/help');
  });

  it('a rich-text message (text, a picture, text) files from its text parts; headers as DingTalk sends them', async () => {
    const before = await h.fx.prisma.finding.count();
    const rich = sample('robot_message.one_to_one.richText.json');
    const [first, picture, last] = rich.content.richText;
    const body = {
      ...rich,
      msgId: msgId(),
      senderStaffId: U.inspector,
      sessionWebhook: h.api.sessionWebhook('rich'),
      sessionWebhookExpiredTime: Date.now() + 3_600_000,
      content: {
        richText: [
          { ...first, text: '/finding 市公安局 2.1.1a x2 省督查' },
          picture, // a screenshot of the evidence: not text, left out
          { ...last, text: '窗口仍未开通网上预审 https://example.gov.cn/e/rich' },
        ],
      },
    };
    const ts = String(Date.now());
    const headers = {
      ...sample('http_callback.group_at.headers.json'),
      timestamp: ts,
      sign: robotSign(ts, h.api.appSecret),
    };
    expect((await h.send(body, headers)).status).toBe(200);
    expect(await h.fx.prisma.finding.count()).toBe(before + 1);
    const f = (await findings()).at(-1)!;
    expect(f).toMatchObject({
      clauseId: '2.1.1a',
      count: 2,
      source: 'provincial_inspection',
      evidenceText: '窗口仍未开通网上预审',
      evidenceLinks: ['https://example.gov.cn/e/rich'],
    });
    // answered one to one through the message's sessionWebhook; the notice went to the unit's group
    expect(h.api.callsOf('sendBySession').map((c) => c.query.session)).toEqual(['rich']);
    expect(h.api.cardsTo(PSB_GROUP)).toHaveLength(1);
  });

  it('a card press in the documented `value` variant (params beside cardPrivateData) is handled like `content`', async () => {
    await h.send(
      groupMessage({
        msgId: msgId(),
        text: FILE.replace('x3', 'x1'),
        from: U.inspector,
        conversationId: 'cidI==',
        sessionWebhook: h.api.sessionWebhook('i'),
      }),
    );
    const f = (await findings()).at(-1)!;
    const notice = h.api.cardsTo(PSB_GROUP).at(-1)!;
    h.api.reset();
    const variant = sample('card_callback.http.body.value-variant.json');
    const press = {
      ...variant,
      outTrackId: notice.outTrackId,
      userId: U.inspector,
      value: JSON.stringify({
        ...JSON.parse(variant.value),
        params: { action: ACTION.withdraw, value: f.id },
      }),
    };
    expect((await h.press(press)).status).toBe(200);
    // the withdrawal form opens in the inspector's chat with the robot
    const prompt = h.api.cardsTo(U.inspector);
    expect(prompt).toHaveLength(1);
    expect(prompt[0]!.params.markdown).toContain(`#${f.seq}`);
  });

  it('every button the Slack app answers is answered on a DingTalk card too (the filing modal’s own controls aside)', async () => {
    // the action ids the Slack app registers, read from its listeners
    const slackActions: string[] = [];
    const recorder = {
      action: (c: string | { action_id: string }) => slackActions.push(typeof c === 'string' ? c : c.action_id),
    };
    registerActions(recorder as unknown as App, {} as SlackDeps);
    const modalControls = new Set<string>(Object.values(FINDING_FORM_ACTION));
    const buttons = slackActions.filter((a) => !modalControls.has(a));
    expect(buttons).toEqual(expect.arrayContaining([ACTION.submitRectification, ACTION.verify, ACTION.withdraw]));

    const f = (await findings()).at(-1)!;
    for (const action of buttons) {
      h.api.reset();
      const value = action.startsWith('unit.') ? '市公安局' : f.id;
      const res = await h.press(cardPress({ outTrackId: 'kp-any', userId: U.organiser, action, value }));
      expect(res.status).toBe(200);
      const answered = h.api.calls.filter((c) => c.status === 200 && c.operation !== 'oauth2.accessToken');
      expect(answered.length, action).toBeGreaterThan(0);
      const said = JSON.stringify(answered.map((c) => c.body));
      expect(said, action).not.toContain(t('zh-CN', 'bot.dingtalk.noButton', { action }).slice(0, 6));
    }
  });
});
