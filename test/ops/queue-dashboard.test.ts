import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFor, SettingsError } from '../../adapters/config/load-settings.ts';
import { createQueueDashboard, type QueueDashboard } from '../../adapters/http/queue-dashboard.ts';
import { createQueues, QUEUE_NAMES, type Queues } from '../../adapters/queue/queues.ts';
import { startBotHarness } from '../support/bot-harness.ts';
import { commandRedis, deletePrefix, testPrefix } from '../worker/support/redis.ts';

// The queue dashboard (bull-board) has no login: it is served only by the worker, on its own
// server bound to loopback, off unless WORKER_ADMIN_PORT is set — never on the bot's public port.

const logger = pino({ level: 'silent' });
const prefix = testPrefix('dashboard');
let redis: Redis;
let queues: Queues;
let dashboard: QueueDashboard;
let base: string;

beforeAll(async () => {
  redis = commandRedis('dashboard-test');
  queues = createQueues(redis, prefix);
  await queues.notify.add('send', { marker: 'dashboard-test-job' } as never, { jobId: 'dashboard-1', delay: 60_000 });
  dashboard = createQueueDashboard(queues.all(), { logger });
  const { port } = await dashboard.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await dashboard?.close();
  await queues?.close();
  await deletePrefix(redis, prefix);
  await redis?.quit();
});

describe('the queue dashboard on loopback', () => {
  it("serves the dashboard page and every one of the worker's queues, with their jobs", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('kaoping queues');
    // the page's own scripts are served too (the base path is the server's root)
    const scripts = [...html.matchAll(/src="([^"]+\.js)"/g)].map((m) => new URL(m[1]!, `${base}/`).href);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect((await fetch(src)).status, src).toBe(200);

    const api = await fetch(`${base}/api/queues`);
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(Object.values(QUEUE_NAMES).sort());
    expect(body.queues.find((q) => q.name === QUEUE_NAMES.notify)?.counts.delayed).toBe(1);
  });

  it('refuses to listen on an address other than loopback', async () => {
    const other = createQueueDashboard(queues.all(), { logger });
    await expect(other.listen(0, '0.0.0.0')).rejects.toThrow(/loopback only/);
    expect(other.server.listening).toBe(false);
  });
});

describe("the bot's public port", () => {
  it('does not expose the dashboard or its API', async () => {
    const h = await startBotHarness();
    try {
      const origin = new URL(h.url).origin;
      for (const path of ['/', '/api/queues', '/static/js/main.js', '/queues']) {
        expect((await fetch(`${origin}${path}`)).status, path).toBe(404);
      }
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe('configuration', () => {
  const worker = (env: Record<string, string>) => settingsFor('worker', { KAOPING_MESSENGER: 'console', ...env });

  it('is off by default; a port serves it on 127.0.0.1', () => {
    expect(worker({}).workerAdmin).toBeNull();
    expect(worker({ WORKER_ADMIN_PORT: '3003' }).workerAdmin).toEqual({ port: 3003, host: '127.0.0.1' });
    expect(worker({ WORKER_ADMIN_PORT: '3003', WORKER_ADMIN_HOST: '::1' }).workerAdmin?.host).toBe('::1');
  });

  it('refuses a non-loopback address, naming the variable and why', () => {
    for (const host of ['0.0.0.0', '10.0.0.5', '::', 'kaoping.example.org', '128.0.0.1']) {
      let problem: string | undefined;
      try {
        worker({ WORKER_ADMIN_PORT: '3003', WORKER_ADMIN_HOST: host });
      } catch (e) {
        if (!(e instanceof SettingsError)) throw e;
        problem = e.problems.find((p) => p.variable === 'WORKER_ADMIN_HOST')?.message;
      }
      expect(problem, host).toMatch(/loopback/);
    }
  });
});
