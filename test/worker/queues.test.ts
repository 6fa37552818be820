import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { MessengerError } from '../../core/ports/messenger.port.ts';
import { createRedis, redisOptionsFor, redactRedisUrl } from '../../adapters/queue/redis-connection.ts';
import { assertPrefix } from '../../adapters/queue/queue-prefix.ts';
import {
  QUEUE_NAMES,
  createQueues,
  jobId,
  jobIdParts,
  jobsForLedgerEvent,
  messengerBackoff,
  sendJobId,
  type Queues,
} from '../../adapters/queue/queues.ts';
import { BullLedgerEvents } from '../../adapters/queue/ledger-events.adapter.ts';
import { declaredSchedules, officeHoursCron, upsertSchedules } from '../../worker/schedules.ts';
import { localMoment, reminderSettings } from '../../worker/reminder-plan.ts';
import { commandRedis, deletePrefix, testPrefix, TEST_REDIS_URL } from './support/redis.ts';

const prefix = testPrefix('queues');
let redis: Redis;
let queues: Queues;

beforeAll(async () => {
  redis = commandRedis('queues-test');
  queues = createQueues(redis, prefix);
});
afterAll(async () => {
  await queues.close();
  await deletePrefix(redis, prefix);
  await redis.quit();
});

describe('job ids', () => {
  it('never contain ":" and are never integers, and round-trip', () => {
    const id = jobId('send', 'finding', 'a:b|c', 'reminder', 'overdue-2', 'channel/slack/市公安局');
    expect(id).not.toContain(':');
    expect(jobIdParts(id)).toEqual(['send', 'finding', 'a:b|c', 'reminder', 'overdue-2', 'channel/slack/市公安局']);
    expect(jobId('n', 42)).not.toMatch(/^\d+$/);
    expect(() => jobId('42')).toThrow();
    expect(() => jobId('Send:x')).toThrow();
    expect(jobId('k', 'a|b')).not.toBe(jobId('k', 'a', 'b'));
    expect(jobId('k', 'a.b')).not.toBe(jobId('k', 'a', 'b'));
  });

  it('are deterministic per notification', () => {
    const key = {
      subjectType: 'finding' as const,
      subjectId: 'f1',
      kind: 'reminder',
      stage: 'due_soon',
      recipient: 'channel/slack/organisers',
    };
    expect(sendJobId(key)).toBe(sendJobId({ ...key }));
    expect(sendJobId(key)).not.toBe(sendJobId({ ...key, stage: 'due_today' }));
  });

  it('are accepted by BullMQ, and a second add with the same id is a no-op', async () => {
    const id = jobId('probe', 'x:y');
    await queues.notify.add('send', { probe: 1 }, { jobId: id, delay: 60_000 });
    await queues.notify.add('send', { probe: 2 }, { jobId: id, delay: 60_000 });
    const job = await queues.notify.getJob(id);
    expect(job?.data).toEqual({ probe: 1 });
    expect(await queues.notify.getDelayedCount()).toBe(1);
    await job?.remove();
  });
});

describe('connections and configuration', () => {
  it('gives workers maxRetriesPerRequest: null and producers a fail-fast connection', () => {
    expect(redisOptionsFor('worker').maxRetriesPerRequest).toBeNull();
    expect(redisOptionsFor('producer')).toMatchObject({ enableOfflineQueue: false });
  });
  it('checks key prefixes and redacts Redis passwords', () => {
    expect(assertPrefix('kaoping_2')).toBe('kaoping_2');
    expect(() => assertPrefix('a:b')).toThrow();
    expect(redactRedisUrl('redis://:secret@h:6379/0')).not.toContain('secret');
  });
  it('connects a worker connection to Redis', async () => {
    const r = createRedis(TEST_REDIS_URL, { role: 'worker', name: 'kaoping-test-worker' });
    expect(await r.ping()).toBe('PONG');
    await r.quit();
  });
});

describe('ledger events → jobs', () => {
  it('maps each event to recompute + its follow-up', () => {
    const filed = jobsForLedgerEvent({ type: 'finding.filed', findingId: 'f1', rulebookId: 'hz-2017', year: 2017 });
    expect(filed.map((j) => [j.queue, j.name])).toEqual([
      ['ledger', 'recompute'],
      ['reminders', 'finding-changed'],
    ]);
    expect(filed[0]!.opts.deduplication?.id).toBe(jobId('recompute', 'hz-2017', 2017));
    const closed = jobsForLedgerEvent({ type: 'month.closed', rulebookId: 'hz-2017', year: 2017, month: '2017-09' });
    expect(closed.map((j) => [j.queue, j.name])).toEqual([
      ['ledger', 'recompute'],
      ['month', 'month-close'],
    ]);
    expect(closed[1]!.data).toMatchObject({ month: '2017-09', cause: 'event' });
    const reopened = jobsForLedgerEvent({
      type: 'month.reopened',
      rulebookId: 'hz-2017',
      year: 2017,
      month: '2017-09',
    });
    expect(reopened.map((j) => j.name)).toEqual(['recompute', 'month-reopened']);
  });

  it('collapses a burst of events into one recompute and one reaction per finding', async () => {
    const events = new BullLedgerEvents(queues);
    await Promise.all([
      events.publish({ type: 'finding.filed', findingId: 'f1', rulebookId: 'hz-2017', year: 2017 }),
      events.publish({ type: 'rectification.submitted', findingId: 'f1', rulebookId: 'hz-2017', year: 2017 }),
      events.publish({ type: 'finding.filed', findingId: 'f2', rulebookId: 'hz-2017', year: 2017 }),
      events.publish({ type: 'finding.filed', findingId: 'f3', rulebookId: 'hz-2017', year: 2018 }),
    ]);
    const recompute = await queues.ledger.getJobs(['delayed', 'waiting']);
    expect(recompute.map((j) => `${j.name}/${j.data.year}`).sort()).toEqual(['recompute/2017', 'recompute/2018']);
    const reactions = await queues.reminders.getJobs(['waiting', 'delayed']);
    expect(reactions.map((j) => j.data.findingId).sort()).toEqual(['f1', 'f2', 'f3']);
    await queues.ledger.obliterate({ force: true });
    await queues.reminders.obliterate({ force: true });
  });
});

describe('messenger backoff', () => {
  it('honours retryAfter, else doubles from 5 s up to 15 min, and refuses permanent errors', async () => {
    const rl = new MessengerError('rl', { code: 'ratelimited', permanent: false, retryAfter: 30, platform: 'slack' });
    const d1 = await messengerBackoff(1, 'messenger', rl);
    expect(d1).toBeGreaterThanOrEqual(30_000);
    expect(d1).toBeLessThanOrEqual(33_000);
    const net = new MessengerError('net', { code: 'network', permanent: false, platform: 'slack' });
    expect(await messengerBackoff(1, 'messenger', net)).toBeGreaterThanOrEqual(5_000);
    expect(await messengerBackoff(3, 'messenger', net)).toBeGreaterThanOrEqual(20_000);
    expect(await messengerBackoff(30, 'messenger', net)).toBeLessThanOrEqual(15 * 60_000 * 1.1);
    expect(
      await messengerBackoff(
        1,
        'messenger',
        new MessengerError('x', { code: 'channel_not_found', permanent: true, platform: 'slack' }),
      ),
    ).toBe(-1);
  });
});

describe('schedules', () => {
  it('are declared in one place, every day (make-up working days are weekends), in Asia/Shanghai', () => {
    const defs = declaredSchedules();
    expect(defs.map((d) => d.id)).toEqual([
      'reminder-sweep',
      'month-end-reminder-check',
      'month-close-check',
      'reconcile-stale-ledgers',
    ]);
    for (const d of defs) {
      expect(d.tz).toBe('Asia/Shanghai');
      expect(d.pattern.split(' ')).toHaveLength(5);
      expect(d.pattern.endsWith('* * *')).toBe(true); // no day-of-week filter
      expect(d.id).not.toContain(':');
      expect(Object.keys(QUEUE_NAMES)).toContain(d.queue);
    }
    expect(officeHoursCron(reminderSettings())).toBe('9-17');
    expect(officeHoursCron(reminderSettings({ officeHours: { start: '08:30', end: '17:30' } }))).toBe('8-17');
  });

  it('upserts idempotently, in Asia/Shanghai, and removes schedulers no longer declared', async () => {
    await queues.month.upsertJobScheduler(
      'old-close-check',
      { pattern: '0 19 * * *', tz: 'Asia/Shanghai' },
      { name: 'old', data: {} },
    );
    const first = await upsertSchedules(queues, { rulebookId: 'hz-2017' });
    expect(first.removed).toEqual(['old-close-check']);
    const second = await upsertSchedules(queues, { rulebookId: 'hz-2017' });
    expect(second).toEqual({ upserted: first.upserted, removed: [] });

    const sweep = (await queues.reminders.getJobSchedulers(0, -1)).find(
      (s) => s.key === 'reminder-sweep' || s.id === 'reminder-sweep',
    );
    expect(sweep).toMatchObject({
      pattern: '*/15 9-17 * * *',
      tz: 'Asia/Shanghai',
      template: { data: { rulebookId: 'hz-2017' } },
    });
    const next = localMoment(new Date(sweep!.next!), 'Asia/Shanghai');
    expect(next.minutes).toBeGreaterThanOrEqual(9 * 60);
    expect(next.minutes).toBeLessThan(18 * 60);
    expect(next.minutes % 15).toBe(0);
    expect(await queues.reminders.getJobSchedulersCount()).toBe(2);
    expect(await queues.month.getJobSchedulersCount()).toBe(1);
    expect(await queues.ledger.getJobSchedulersCount()).toBe(1);
    expect(await queues.notify.getJobSchedulersCount()).toBe(0);

    // each scheduler has its next job waiting as a delayed job carrying the template data
    const delayed = await queues.reminders.getJobs(['delayed']);
    expect(delayed.map((j) => j.name).sort()).toEqual(['month-end-reminder-check', 'reminder-sweep']);
    expect(delayed[0]!.data).toEqual({ rulebookId: 'hz-2017' });
  });

  it('enqueues one catch-up run per schedule at start, however many workers start', async () => {
    await Promise.all([1, 2, 3].map(() => upsertSchedules(queues, { rulebookId: 'hz-2017', runOnStart: true })));
    const waiting = await queues.month.getJobs(['waiting']);
    expect(waiting.map((j) => j.name)).toEqual(['month-close-check']);
  });

  it('a restart right after the start-up run finished runs it again: no restart is ever skipped', async () => {
    // the start-up run of the previous test is processed and completes, as a worker would do it
    const conn = createRedis(TEST_REDIS_URL, { role: 'worker', name: 'queues-restart' });
    const ran: string[] = [];
    const worker = new Worker(
      queues.month.name,
      async (job) => {
        ran.push(job.name);
      },
      { connection: conn, prefix },
    );
    try {
      await vi.waitFor(() => expect(ran).toEqual(['month-close-check']), { timeout: 10_000 });
      await vi.waitFor(async () => expect(await queues.month.getJobs(['waiting', 'active'])).toEqual([]));
      // the worker restarts within seconds (before, a 60 s deduplication window swallowed this run)
      await upsertSchedules(queues, { rulebookId: 'hz-2017', runOnStart: true });
      await vi.waitFor(() => expect(ran).toEqual(['month-close-check', 'month-close-check']), { timeout: 10_000 });
    } finally {
      await worker.close();
      await conn.quit();
    }
  });
});
