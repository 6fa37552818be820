import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdMixin } from '../../adapters/observability/request-context.ts';
import { REQUEST_ID_HEADER } from '../../bot/slack/http/slack-events-route.ts';
import { shortRef } from '../../bot/handlers/failure.ts';
import { startBotHarness } from '../support/bot-harness.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import type { SignedRequest } from '../support/slack-requests.ts';
import { addMembers, flatText, USERS, type Harness } from './myscore-support.ts';

// Request ids from the receiver through core into the logs: the receiver opens each request's
// context (adapters/observability/request-context.ts) with Slack's own id (trigger_id, event_id)
// or a new one, and every line the bot logs while serving it carries the id — the receiver's,
// and the failure of the use case deep below (PostgreSQL cut through a proxy), which is logged
// without anyone passing the id along. The person's error reply quotes the id's short form.
// Two requests served at the same time never share or swap ids.

interface Line {
  msg: string;
  requestId?: string;
  user?: string;
  kind?: string;
}

const lines: Line[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Line);
    done();
  },
});

let h: Harness;
let proxy: TcpProxy;

beforeAll(async () => {
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: 5432 });
  h = await startBotHarness({
    now: '2017-10-09T10:00:00+08:00',
    processBeforeResponse: false,
    logger: pino({ level: 'debug', mixin: requestIdMixin }, sink),
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

function myscore(userId: string, n: number): SignedRequest {
  return h.requests.slashCommand({
    command: '/myscore',
    text: '',
    userId,
    channelId: 'C0REQIDS',
    // shaped like Slack's: the team's and app's numbers, then random hex
    triggerId: `768915595217.771150964790.${randomBytes(16).toString('hex')}`,
    responseUrl: h.slack.responseUrl(`T111/${n}/reqids`),
  });
}

async function replyTo(req: SignedRequest): Promise<string> {
  const path = new URL(String(req.payload.response_url ?? '')).pathname;
  const call = await h.slack.waitFor((c) => c.method === 'response_url' && c.path === path, { timeoutMs: 10_000 });
  return `${call.args.text ?? ''}\n${flatText(call.args.blocks)}`;
}

describe('request ids', () => {
  it("one request's lines, receiver to the use case's failure, share one id; two at once never mix", async () => {
    proxy.cut();
    const a = myscore(USERS.contact, 1);
    const b = myscore(USERS.organiser, 2);
    const [resA, resB] = await Promise.all([h.send(a), h.send(b)]);
    const replies = await Promise.all([replyTo(a), replyTo(b)]);
    proxy.restore();

    const ids = [resA, resB].map((r) => r.headers.get(REQUEST_ID_HEADER));
    // Slack's own id of the request is its id
    expect(ids).toEqual([a.payload.trigger_id, b.payload.trigger_id]);

    for (const [i, [id, user]] of [
      [ids[0]!, USERS.contact],
      [ids[1]!, USERS.organiser],
    ].entries()) {
      const own = lines.filter((l) => l.requestId === id);
      expect(own.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['Slack request received', 'Slack request failed after its acknowledgement']),
      );
      // the failure line is this request's person, never the other one's
      expect(own.filter((l) => l.user !== undefined).every((l) => l.user === user)).toBe(true);
      // and the person can quote it
      expect(replies[i]).toContain('SERVICE.UNAVAILABLE');
      expect(replies[i]).toContain(shortRef(id)!);
      expect(shortRef(ids[0] ?? undefined)).not.toBe(shortRef(ids[1] ?? undefined));
    }
    // no line about these requests without an id
    expect(lines.filter((l) => l.msg === 'Slack request failed after its acknowledgement' && !l.requestId)).toEqual([]);
  });

  it("a request without an id of Slack's gets a new one", async () => {
    const res = await h.send(h.requests.urlVerification({ challenge: 'reqids' }));
    expect(res.status).toBe(200);
    const id = res.headers.get(REQUEST_ID_HEADER);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.some((l) => l.requestId === id && l.msg === 'Slack request received')).toBe(true);
  });
});
