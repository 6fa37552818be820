import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDingTalkBot, type DingTalkBot } from '../../bot/dingtalk/create-dingtalk-bot.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { OpenFormsRepository } from '../../prisma/repositories/open-forms.repository.ts';
import { startDingTalkHarness } from '../support/dingtalk-bot-harness.ts';
import {
  cardHeaders,
  cardPress,
  directMessage,
  groupMessage,
  post,
  robotHeaders,
} from '../support/dingtalk-requests.ts';

// DingTalk's guided forms live in PostgreSQL (open_form), not in a bot process: a button pressed
// on one bot process and answered on another — or after the first was stopped and a new one
// started — continues the same form; answers racing in two processes submit it once; a form left
// alone past its 30 minutes is gone.

const PSB_GROUP = 'cidPSB==';
const U = { inspector: 'dt-inspector', contact: 'dt-contact' } as const;

type H = Awaited<ReturnType<typeof startDingTalkHarness>>;
let h: H;
let n = 0;
/** Wall clock of the bots started here (form expiry), moved by the tests. */
let offsetMs = 0;
const clock = () => Date.now() + offsetMs;

/** Another bot process on the same database: its own forms, seen-message memory and port. */
async function anotherBot(): Promise<{ bot: DingTalkBot; base: string }> {
  const bot = createDingTalkBot(
    h.deps,
    { ...h.config, now: clock },
    { openForms: new OpenFormsRepository(h.fx.prisma) },
  );
  return { bot, base: (await bot.start(0, '127.0.0.1'))! };
}
const pressOn = (base: string, body: unknown) =>
  post(`${base}/dingtalk/card`, cardHeaders('kaoping-card-callback-secret'), body);
const answerOn = (base: string, from: string, text: string) =>
  post(
    `${base}/dingtalk/robot`,
    robotHeaders(h.api.appSecret),
    directMessage({ msgId: `msg-form-${++n}`, text, from, sessionWebhook: h.api.sessionWebhook(from) }),
  );
/** What the bots said to a person in their one-to-one chat (cards and sessionWebhook replies). */
const said = (userId: string) =>
  [
    ...h.api.cardsTo(userId).map((c) => c.params.markdown ?? ''),
    ...h.api.callsOf('sendBySession').map((c) => JSON.stringify(c.body)),
  ].join('\n');

async function fileFinding(): Promise<{ id: string; noticeTrackId: string }> {
  await h.send(
    groupMessage({
      msgId: `msg-form-${++n}`,
      text: '/finding 市公安局 2.1.1a 网上受理未覆盖',
      from: U.inspector,
      conversationId: 'cidInsp==',
      sessionWebhook: h.api.sessionWebhook('i'),
    }),
  );
  const f = await h.fx.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } });
  return { id: f.id, noticeTrackId: h.api.cardsTo(PSB_GROUP).at(-1)!.outTrackId };
}

beforeAll(async () => {
  h = await startDingTalkHarness({ now: '2017-10-09T10:00:00+08:00' });
  await h.member('dt-organiser', 'organiser');
  await h.member(U.inspector, 'inspector');
  await h.member(U.contact, 'unit_contact', '市公安局');
  const org = await h.fx.membership.resolveActor('dingtalk', 'dt-organiser');
  if (!org.ok) throw org.error;
  await h.fx.membership.bindChannel(org.value, { platform: 'dingtalk', scope: '市公安局', channelId: PSB_GROUP });
});
afterAll(async () => h?.close());
beforeEach(() => {
  offsetMs = 0;
});

describe('guided forms across bot processes', () => {
  it('pressed on one process, answered on another: one submission with both answers', async () => {
    const f = await fileFinding();
    const a = await anotherBot();
    const b = await anotherBot();
    try {
      h.api.reset();
      const pressed = await pressOn(
        a.base,
        cardPress({ outTrackId: f.noticeTrackId, userId: U.contact, action: ACTION.submitRectification, value: f.id }),
      );
      expect(pressed.status).toBe(200);
      expect(said(U.contact)).toContain('请在这里逐条回复');
      expect(await h.fx.prisma.openForm.count({ where: { userId: U.contact } })).toBe(1);

      expect((await answerOn(b.base, U.contact, '已完成网上受理全覆盖')).status).toBe(200); // process B
      expect((await answerOn(a.base, U.contact, 'https://example.gov.cn/fix/2')).status).toBe(200); // back on A

      const row = await h.fx.prisma.finding.findUniqueOrThrow({ where: { id: f.id } });
      expect(row.status).toBe('submitted');
      expect(await h.fx.prisma.rectificationEvent.findMany({ where: { findingId: f.id } })).toMatchObject([
        { kind: 'submitted', evidenceText: '已完成网上受理全覆盖', evidenceLinks: ['https://example.gov.cn/fix/2'] },
      ]);
      expect(await h.fx.prisma.openForm.count({ where: { userId: U.contact } })).toBe(0);
    } finally {
      await a.bot.stop();
      await b.bot.stop();
    }
  });

  it('the process that asked is stopped; a newly started one takes the answers', async () => {
    const f = await fileFinding();
    const first = await anotherBot();
    await pressOn(
      first.base,
      cardPress({ outTrackId: f.noticeTrackId, userId: U.contact, action: ACTION.submitRectification, value: f.id }),
    );
    await answerOn(first.base, U.contact, '整改说明：已上线');
    await first.bot.stop(); // a restart: nothing of the form is left in any process

    const restarted = await anotherBot();
    try {
      await answerOn(restarted.base, U.contact, '-'); // the optional links, skipped
      const row = await h.fx.prisma.finding.findUniqueOrThrow({ where: { id: f.id } });
      expect(row.status).toBe('submitted');
      expect(await h.fx.prisma.rectificationEvent.findMany({ where: { findingId: f.id } })).toMatchObject([
        { kind: 'submitted', evidenceText: '整改说明：已上线', evidenceLinks: [] },
      ]);
    } finally {
      await restarted.bot.stop();
    }
  });

  it('two answers racing in two processes submit a one-item form once', async () => {
    const f = await fileFinding();
    const a = await anotherBot();
    const b = await anotherBot();
    try {
      await pressOn(
        a.base,
        cardPress({ outTrackId: f.noticeTrackId, userId: U.inspector, action: ACTION.withdraw, value: f.id }),
      );
      const [ra, rb] = await Promise.all([
        answerOn(a.base, U.inspector, '重复录入（甲）'),
        answerOn(b.base, U.inspector, '重复录入（乙）'),
      ]);
      expect([ra.status, rb.status]).toEqual([200, 200]);
      const row = await h.fx.prisma.finding.findUniqueOrThrow({ where: { id: f.id } });
      expect(row.status).toBe('withdrawn');
      expect(['重复录入（甲）', '重复录入（乙）']).toContain(row.withdrawReason);
      expect(await h.fx.prisma.auditLog.count({ where: { entityId: f.id, action: 'finding.withdrawn' } })).toBe(1);
    } finally {
      await a.bot.stop();
      await b.bot.stop();
    }
  });

  it('a form left alone for more than 30 minutes is gone: the late answer submits nothing', async () => {
    const f = await fileFinding();
    const a = await anotherBot();
    try {
      await pressOn(
        a.base,
        cardPress({ outTrackId: f.noticeTrackId, userId: U.contact, action: ACTION.submitRectification, value: f.id }),
      );
      offsetMs = 31 * 60_000;
      h.api.reset();
      await answerOn(a.base, U.contact, '已完成整改');
      await answerOn(a.base, U.contact, '-');
      const row = await h.fx.prisma.finding.findUniqueOrThrow({ where: { id: f.id } });
      expect(row.status).toBe('filed');
      expect(await h.fx.prisma.rectificationEvent.count({ where: { findingId: f.id } })).toBe(0);
      expect(said(U.contact)).not.toContain('请填写');
    } finally {
      await a.bot.stop();
    }
  });
});
