import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { FakeSlackApi } from '../support/slack-fake-api.ts';
import { SlackRequests, sendSlackRequest } from '../support/slack-requests.ts';
import { TEST_REDIS_URL, testPrefix } from '../worker/support/redis.ts';

// `npm run bot` and `npm run worker` as the operator runs them — real processes, their real
// output. Issue 1: a signed `payload=null` no longer kills the bot. Issue 3: started with
// distinctive secrets and wrong credentials, neither process prints a secret (ioredis used to
// print `AUTH <user> <password>` on every reconnect), and an outage is a few structured lines,
// not a flood.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a /readyz endpoint until it answers 200 (or 20 s pass) and returns its last body. */
async function pollReady(url: string): Promise<unknown> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(url);
    const body: unknown = await res.json();
    if (res.status === 200 || Date.now() > deadline) return body;
    await sleep(250);
  }
}

interface Child {
  proc: ChildProcessByStdio<null, Readable, Readable>;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

const children: Child[] = [];

function start(entry: string, env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    // only what the test gives: no inherited DATABASE_URL, REDIS_URL or token can leak in
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString('utf8');
  };
  proc.stdout.on('data', collect);
  proc.stderr.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const child: Child = {
    proc,
    output: () => out,
    exited,
    async waitForOutput(re, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = re.exec(out);
        if (m) return m;
        if (proc.exitCode !== null) throw new Error(`exited (${proc.exitCode}) before ${re}: ${out.slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`no ${re} within ${timeoutMs} ms: ${out.slice(-2000)}`);
        await sleep(50);
      }
    },
  };
  children.push(child);
  return child;
}

async function stop(child: Child) {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGTERM');
  await Promise.race([child.exited, sleep(10_000)]);
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
}

let slack: FakeSlackApi;
let db: TestDatabase;

beforeAll(async () => {
  slack = await FakeSlackApi.start();
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(children.map(stop));
  await slack?.close();
  await db?.drop();
});

describe('npm run bot', () => {
  it('answers malformed bodies with 400 and keeps running; /healthz and /readyz answer', async () => {
    const secret = `signing-${randomBytes(8).toString('hex')}`;
    const verbose = start('bot/app.ts', {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      KAOPING_QUEUE_PREFIX: testPrefix('bot'),
      KAOPING_NOW: '2017-10-09T10:00:00+08:00', // a day of a year the rulebooks hold: there is a year to warm
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slack.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    const [, url] = await verbose.waitForOutput(/"url":"(http:\/\/127\.0\.0\.1:\d+\/slack\/events)"/);
    const base = new URL(url!).origin;
    // warm before the port opened (bot/warm-up.ts): the first burst after a deploy is the slowest
    const started = verbose.output();
    expect(started).toContain('warm: standings');
    expect(started.indexOf('warm: standings')).toBeLessThan(started.indexOf('Slack bot started'));
    const requests = new SlackRequests({ signingSecret: secret });

    for (const req of [requests.sign('interactive', 'payload=null'), requests.sign('event', 'null')]) {
      expect((await sendSlackRequest(url!, req)).status).toBe(400);
    }
    await sleep(500);
    expect(verbose.proc.exitCode).toBeNull();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // An orchestrator polls /readyz; a process just started (first connections, a loaded
    // machine) may report "timeout" for a moment, so ask until it is ready or 20 s have passed.
    expect(await pollReady(`${base}/readyz`)).toEqual({ ready: true, checks: { postgres: 'ok', redis: 'ok' } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('kaoping_ack_latency_seconds');
    await stop(verbose);
    expect(verbose.output()).not.toContain(secret);
  });
});

describe('npm run bot with DingTalk only (no Slack settings)', () => {
  it('serves /healthz, /readyz and /metrics on PORT, beside the DingTalk callbacks', async () => {
    const bot = start('bot/app.ts', {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      KAOPING_QUEUE_PREFIX: testPrefix('dtonly'),
      DINGTALK_APP_KEY: 'dingopsonly',
      DINGTALK_APP_SECRET: 'dt-ops-only-secret',
      DINGTALK_CARD_TEMPLATE_ID: 'kaoping-card.schema',
      DINGTALK_MODE: 'http',
      DINGTALK_PORT: '0',
      DINGTALK_API_BASE: slack.url, // never called here: nothing is sent
      DINGTALK_OAPI_BASE: slack.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    const [, base] = await bot.waitForOutput(/"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*health and metrics served/);
    await bot.waitForOutput(/DingTalk bot started/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await pollReady(`${base}/readyz`)).toEqual({ ready: true, checks: { postgres: 'ok', redis: 'ok' } });
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('kaoping_requests_total');
    // the Slack route is not there without Slack
    expect((await fetch(`${base}/slack/events`, { method: 'POST' })).status).toBe(404);
    await stop(bot);
    expect(bot.output()).not.toContain('dt-ops-only-secret');
  });
});

describe('npm run worker with Redis credentials that Redis refuses', () => {
  it('exits 2 at once with one redacted line that says so, instead of retrying forever', async () => {
    const password = `RedisPass-${randomBytes(6).toString('hex')}`;
    const worker = start('worker/main.ts', {
      DATABASE_URL: db.url,
      REDIS_URL: `redis://kaoping_no_such_user:${password}@127.0.0.1:6379`,
      KAOPING_QUEUE_PREFIX: testPrefix('auth'),
      KAOPING_MESSENGER: 'console',
      WORKER_PORT: '0',
      WORKER_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    const outcome = await Promise.race([worker.exited, sleep(30_000).then(() => 'still running after 30 s')]);
    expect(outcome, worker.output().slice(-2000)).toEqual({ code: 2, signal: null });
    const lines = worker
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { level: number; msg: string; err?: { message?: string } };
    expect(line.level).toBe(60); // fatal
    expect(line.msg).toContain('Redis refused the credentials in REDIS_URL');
    expect(line.msg).toContain('redis://***:***@127.0.0.1:6379');
    expect(line.err?.message).toMatch(/WRONGPASS/);
    expect(worker.output()).not.toContain(password);
  }, 60_000);
});

describe('started with distinctive secrets and wrong credentials', () => {
  const tag = randomBytes(6).toString('hex');
  const secrets = {
    pg: `PgPass-${tag}`,
    redis: `RedisPass-${tag}`,
    token: `xoxb-Token-${tag}`,
    signing: `Signing-${tag}`,
  };
  const env = {
    DATABASE_URL: `postgresql://kaoping_no_such_role:${secrets.pg}@127.0.0.1:5432/kaoping_no_such_db`,
    REDIS_URL: `redis://kaoping_no_such_user:${secrets.redis}@127.0.0.1:6379`,
    KAOPING_QUEUE_PREFIX: testPrefix('secrets'),
    SLACK_BOT_TOKEN: secrets.token,
    SLACK_SIGNING_SECRET: secrets.signing,
    LOG_LEVEL: 'debug',
  };

  it('the bot and the worker print none of them, and the outage is a few structured lines', async () => {
    const bot = start('bot/app.ts', { ...env, SLACK_API_URL: slack.url, PORT: '0', HOST: '127.0.0.1' });
    const worker = start('worker/main.ts', { ...env, SLACK_API_URL: slack.url, WORKER_PORT: '0' });
    const [, url] = await bot.waitForOutput(/"url":"(http:\/\/127\.0\.0\.1:\d+\/slack\/events)"/);
    // a command: the member lookup fails (no such role) and the person is told, without secrets
    const requests = new SlackRequests({ signingSecret: secrets.signing });
    const res = await sendSlackRequest(
      url!,
      requests.slashCommand({ command: '/myscore', userId: 'U0SECRET', responseUrl: slack.responseUrl('T/1/secret') }),
    );
    const reply = await slack.waitFor((c) => c.method === 'response_url', { timeoutMs: 8_000 }).catch(() => null);
    // let both retry their connections for a while
    await sleep(5_000);
    const botAlive = bot.proc.exitCode === null;
    await stop(bot);
    await stop(worker);

    const all = `${bot.output()}\n${worker.output()}`;
    for (const [name, value] of Object.entries(secrets)) expect(all.includes(value), `${name} printed`).toBe(false);
    expect(all).not.toContain('Unhandled error event');
    expect(botAlive).toBe(true);
    expect(res.status).toBe(200);
    expect(JSON.stringify(reply?.args ?? null)).toContain('SERVICE.UNAVAILABLE');
    // every line is a JSON log line (no bare stack traces)
    const lines = all.split('\n').filter((l) => l.trim() !== '');
    expect(
      lines.filter((l) => !l.startsWith('{')),
      'non-JSON output',
    ).toEqual([]);
    // rate-limited: a handful of connection-error lines per client, not one per retry
    const connectionErrors = lines.filter((l) => l.includes('"msg":"connection error"'));
    expect(connectionErrors.length).toBeLessThan(20);
  }, 90_000);
});
