import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { stateValue, type SignedRequest } from '../support/slack-requests.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { findingNoticeMessage } from '../../core/messages/findings.ts';
import { SlackMessenger, decodeSlackRef } from '../../adapters/messenger/slack/slack-messenger.adapter.ts';
import { RECTIFICATION_FORM } from '../../bot/handlers/rectification.ts';
import { FINDING_FORM_ACTION, FINDING_MODAL_CALLBACK } from '../../bot/slack/views/finding-modal.ts';
import { systemActor } from '../../core/assessment-api.ts';
import { actorOf, addMembers, bindPsbChannel, file, flatText, USERS, type Harness } from './myscore-support.ts';

// End-to-end tests for the failures reproduced against `npm run bot` (issue "Production-grade
// operation"): signed requests into the real receiver, the real core over a fresh PostgreSQL
// database, Slack's Web API faked on loopback. Each failed on the code before the fix.

const UNIT_CHANNEL = 'C0HARDEN';
let h: Harness;
let n = 0;

beforeAll(async () => {
  h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
  await addMembers(h);
  await bindPsbChannel(h, UNIT_CHANNEL);
});
afterAll(async () => h?.close());

function slash(command: string, text: string, userId: string) {
  n += 1;
  return h.requests.slashCommand({
    command,
    text,
    userId,
    channelId: 'C0TYPEDIN',
    triggerId: `${n}.333.harden`,
    responseUrl: h.slack.responseUrl(`T111/${n}/harden`),
  });
}

/** The last private answer (response_url) as text. */
const lastReply = () => {
  const c = h.slack.callsTo('response_url').at(-1);
  return c ? `${c.args.text ?? ''}\n${flatText(c.args.blocks)}` : '';
};

/** Change the metadata inside a modal's private_metadata, keeping any seal around it as it was. */
function tamper(privateMetadata: string, change: (m: Record<string, unknown>) => Record<string, unknown>): string {
  const outer = JSON.parse(privateMetadata) as Record<string, unknown>;
  if (typeof outer.m === 'string') return JSON.stringify({ ...outer, m: JSON.stringify(change(JSON.parse(outer.m))) });
  return JSON.stringify(change(outer));
}

describe('1. malformed bodies are refused with 400 and the bot keeps serving', () => {
  const withType = (req: SignedRequest, type: string): SignedRequest => ({
    ...req,
    headers: { ...req.headers, 'content-type': type },
  });

  it('payload=null, a JSON null, non-object JSON and a wrong content type → 400; the next command is answered', async () => {
    const refused = [
      h.requests.sign('interactive', 'payload=null'),
      h.requests.sign('event', 'null'),
      h.requests.sign('event', '[1,2]'),
      h.requests.sign('event', '"text"'),
      h.requests.sign('interactive', `payload=${encodeURIComponent('42')}`),
      h.requests.sign('event', '{not json'),
      withType(h.requests.sign('event', JSON.stringify({ type: 'event_callback' })), 'text/plain'),
    ];
    for (const req of refused) expect((await h.send(req)).status, req.body).toBe(400);

    const res = await h.send(slash('/myscore', '市公安局', USERS.organiser));
    expect(res.status).toBe(200);
    expect(lastReply()).toContain('市公安局');
  });
});

describe('6. request timestamps must be within 5 minutes of the server clock, both ways', () => {
  it('6 minutes in the future or in the past → 401 and nothing runs; 4 minutes either way is served', async () => {
    const before = h.slack.callsTo('response_url').length;
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now + 360, now - 360]) {
      n += 1;
      const req = h.requests.slashCommand(
        {
          command: '/myscore',
          text: '市公安局',
          userId: USERS.organiser,
          responseUrl: h.slack.responseUrl(`T/${n}/t`),
        },
        { timestamp },
      );
      expect((await h.send(req)).status, String(timestamp - now)).toBe(401);
    }
    expect(h.slack.callsTo('response_url')).toHaveLength(before);
    for (const timestamp of [now + 240, now - 240]) {
      n += 1;
      const req = h.requests.slashCommand(
        {
          command: '/myscore',
          text: '市公安局',
          userId: USERS.organiser,
          responseUrl: h.slack.responseUrl(`T/${n}/t`),
        },
        { timestamp },
      );
      expect((await h.send(req)).status).toBe(200);
    }
    expect(h.slack.callsTo('response_url')).toHaveLength(before + 2);
  });
});

describe('5. references in form metadata are checked server-side', () => {
  async function findingWithNotice(key: string) {
    const f = await file(h, { unit: '市公安局', clause: '2.1.1a', date: '2017-10-09', key });
    const posted = await new SlackMessenger(h.bot.app.client).postToChannel(
      UNIT_CHANNEL,
      findingNoticeMessage('zh-CN', f, { platform: 'slack', contacts: [USERS.contact] }),
    );
    const recorded = await h.fx.findings.recordNotice(systemActor('test'), { findingId: f.id, ref: posted.ref });
    expect(recorded.ok).toBe(true);
    return { f, ref: decodeSlackRef(posted.ref) };
  }

  it("a reject form whose metadata names another finding's notice is refused: no notice is edited, nothing rejected", async () => {
    const a = await findingWithNotice('tamper-a');
    const b = await findingWithNotice('tamper-b');
    const submitted = await h.fx.rectification.submit(await actorOf(h, USERS.contact), {
      findingId: a.f.id,
      evidenceText: '已整改',
      evidenceLinks: [],
      idempotencyKey: 'tamper-a-submit',
    });
    expect(submitted.ok).toBe(true);

    // the inspector presses "Send back" on the review request in their DM
    const dm = h.slack.dmChannelFor(USERS.inspector);
    await h.send(
      h.requests.blockAction({
        actionId: ACTION.reject,
        value: a.f.id,
        userId: USERS.inspector,
        channelId: dm,
        messageTs: '1507514400.000100',
        triggerId: 'trig-tamper',
        responseUrl: h.slack.responseUrl('trig-tamper'),
      }),
    );
    const modal = h.slack.lastCall('views.open')!.args.view;
    const forged = tamper(modal.private_metadata, (m) => ({ ...m, s: `${b.ref.channel}/${b.ref.ts}` }));
    const mark = h.slack.calls.length;
    const res = await h.send(
      h.requests.viewSubmission({
        callbackId: RECTIFICATION_FORM.reject,
        privateMetadata: forged,
        userId: USERS.inspector,
        viewId: 'V0TAMPER01',
        values: { reason: { reason: stateValue.text('缺少截图') } },
      }),
    );
    expect(res.status).toBe(200);
    const updates = h.slack.calls.slice(mark).filter((c) => c.method === 'chat.update');
    expect(updates.filter((c) => c.args.channel === b.ref.channel && c.args.ts === b.ref.ts)).toHaveLength(0);
    expect((await h.fx.prisma.finding.findUniqueOrThrow({ where: { id: a.f.id } })).status).toBe('submitted');
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.stringContaining('REQUEST.TAMPERED') },
    });
  });

  it('a /finding form whose metadata names another channel is refused: nothing filed, nothing posted there', async () => {
    await h.send(slash('/finding', '', USERS.inspector));
    const view = h.slack.lastCall('views.open')!.args.view;
    const forged = tamper(view.private_metadata, (m) => ({ ...m, channel: 'C0ELSEWHERE' }));
    const before = await h.fx.prisma.finding.count();
    const mark = h.slack.calls.length;
    const res = await h.send(
      h.requests.viewSubmission({
        callbackId: FINDING_MODAL_CALLBACK,
        privateMetadata: forged,
        blocks: view.blocks,
        userId: USERS.inspector,
        viewId: 'V0TAMPER02',
        values: {
          unit: { [FINDING_FORM_ACTION.unit]: stateValue.externalSelect('市公安局') },
          clause: { [FINDING_FORM_ACTION.clause]: stateValue.staticSelect('2.1.1a') },
          count: { [FINDING_FORM_ACTION.count]: stateValue.number('1') },
          source: { [FINDING_FORM_ACTION.source]: stateValue.staticSelect('routine') },
          date: { [FINDING_FORM_ACTION.date]: stateValue.date('2017-10-09') },
          deadline: { [FINDING_FORM_ACTION.deadline]: stateValue.date(null) },
          evidence: { [FINDING_FORM_ACTION.evidence]: stateValue.text('网上受理未覆盖') },
          links: { [FINDING_FORM_ACTION.links]: stateValue.text('') },
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(h.slack.calls.slice(mark).filter((c) => c.args.channel === 'C0ELSEWHERE')).toHaveLength(0);
    expect(await h.fx.prisma.finding.count()).toBe(before);
    expect(JSON.stringify(res.json ?? null)).toContain('REQUEST.TAMPERED');
  });
});

describe('7. no lock-out: the last active organiser cannot be demoted or removed', () => {
  const role = async (userId: string) =>
    (
      await h.fx.prisma.member.findFirstOrThrow({
        where: { identities: { some: { platform: 'slack', externalId: userId } } },
      })
    ).role;

  it('the only organiser demoting themselves is refused with a reason; with a second organiser it is allowed', async () => {
    await h.send(slash('/kaoping', `member add <@${USERS.organiser}> inspector`, USERS.organiser));
    expect(lastReply()).toContain('最后一位考核组织单位成员');
    expect(lastReply()).toContain('MEMBER.LAST_ORGANISER');
    expect(await role(USERS.organiser)).toBe('organiser');

    // removal by the system (no person behind it) is refused too
    const removed = await h.fx.membership.removeMember(systemActor('test'), {
      platform: 'slack',
      externalId: USERS.organiser,
    });
    expect(removed.ok ? null : removed.error.code).toBe('MEMBER.LAST_ORGANISER');

    await h.send(slash('/kaoping', 'member add <@U0SECONDORG> organiser', USERS.organiser));
    await h.send(slash('/kaoping', `member add <@${USERS.organiser}> inspector`, USERS.organiser));
    expect(await role(USERS.organiser)).toBe('inspector');
  });
});
