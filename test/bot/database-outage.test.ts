import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { stateValue, type SignedRequest } from '../support/slack-requests.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { WITHDRAW_FORM } from '../../bot/handlers/withdraw.ts';
import { Metrics } from '../../adapters/observability/metrics.ts';
import { addMembers, flatText, USERS, type Harness } from './myscore-support.ts';

// Issue 2 and the fault test: PostgreSQL becomes unreachable while the bot serves (the bot's
// store reaches the database through a TCP proxy on loopback that the test cuts). Every command,
// button and form is acknowledged within Slack's 3 seconds and the person is told — in their
// language, with an error code — that the service is unavailable; when the database is back,
// service resumes by itself. The bot answers Slack before its listeners finish, as in production
// (processBeforeResponse: false).

const ACK_LIMIT_MS = 3_000;
const UNAVAILABLE = '考评服务暂时无法访问数据库';

let h: Harness;
let proxy: TcpProxy;
let n = 0;
const metrics = new Metrics({ process: 'bot', defaultMetrics: false });

beforeAll(async () => {
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: 5432 });
  h = await startBotHarness({
    now: '2017-10-09T10:00:00+08:00',
    processBeforeResponse: false,
    metrics,
    serviceUrl: (url) => {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(proxy.port);
      return u.toString();
    },
  });
  await addMembers(h);
});
afterAll(async () => {
  await h?.close();
  await proxy?.close();
});

function slash(command: string, text: string, userId: string): SignedRequest {
  n += 1;
  return h.requests.slashCommand({
    command,
    text,
    userId,
    channelId: 'C0OUTAGE',
    triggerId: `${n}.333.outage`,
    responseUrl: h.slack.responseUrl(`T111/${n}/outage`),
  });
}

function button(actionId: string, value: string, userId: string): SignedRequest {
  n += 1;
  return h.requests.blockAction({
    actionId,
    value,
    userId,
    triggerId: `${n}.333.outage`,
    responseUrl: h.slack.responseUrl(`T111/${n}/outage`),
  });
}

async function timed(req: SignedRequest) {
  const started = performance.now();
  const res = await h.send(req);
  return { res, ms: performance.now() - started };
}

/** The private answer sent to a request's response_url, waited for. */
async function replyTo(req: SignedRequest): Promise<string> {
  const path = new URL(String(req.payload.response_url ?? '')).pathname;
  const call = await h.slack.waitFor((c) => c.method === 'response_url' && c.path === path, { timeoutMs: 10_000 });
  return `${call.args.text ?? ''}\n${flatText(call.args.blocks)}`;
}

describe('PostgreSQL unreachable while the bot serves', () => {
  it('every command and button is acknowledged within 3 s and answered "unavailable"; forms too; then service resumes', async () => {
    // served normally first (warms the pool)
    const warm = slash('/myscore', '市公安局', USERS.organiser);
    expect((await timed(warm)).res.status).toBe(200);
    expect(await replyTo(warm)).toContain('市公安局');

    proxy.cut();
    const requests = [
      slash('/myscore', '市公安局', USERS.organiser),
      slash('/standings', '', USERS.inspector),
      slash('/finding', '市公安局 2.1.1a', USERS.inspector),
      slash('/kaoping', 'help', USERS.organiser),
      button(ACTION.viewUnit, '市公安局', USERS.organiser),
      button(ACTION.withdraw, '00000000-0000-0000-0000-000000000000', USERS.inspector),
    ];
    const results = await Promise.all(requests.map(timed));
    for (const [i, r] of results.entries()) {
      expect(r.res.status, `request ${i}`).toBe(200);
      expect(r.ms, `request ${i} acknowledged in ${Math.round(r.ms)} ms`).toBeLessThan(ACK_LIMIT_MS);
    }
    for (const req of requests) {
      const reply = await replyTo(req);
      expect(reply).toContain(UNAVAILABLE);
      expect(reply).toContain('SERVICE.UNAVAILABLE');
    }

    // a form submission: answered on the form within 3 s, the person's input kept
    const form = await timed(
      h.requests.viewSubmission({
        callbackId: WITHDRAW_FORM,
        privateMetadata: h.seal.seal(USERS.inspector, JSON.stringify({ f: '00000000-0000-0000-0000-000000000000' })),
        userId: USERS.inspector,
        viewId: 'V0OUTAGE01',
        values: { reason: { reason: stateValue.text('重复记录') } },
      }),
    );
    expect(form.ms).toBeLessThan(ACK_LIMIT_MS);
    expect(form.res.json).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.stringContaining(UNAVAILABLE) },
    });

    const counted = await metrics.registry.getSingleMetricAsString('kaoping_requests_total');
    expect(counted).toMatch(/command="\/myscore",outcome="unavailable"[^\n]* 1/);

    // the database is back: the next request is served, with nobody restarting anything
    proxy.restore();
    const again = slash('/myscore', '市公安局', USERS.organiser);
    expect((await timed(again)).res.status).toBe(200);
    const reply = await replyTo(again);
    expect(reply).not.toContain(UNAVAILABLE);
    expect(reply).toContain('市公安局');
  });
});
