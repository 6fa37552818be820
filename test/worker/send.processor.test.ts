// The foundation end to end: BullMQ notify queue → two Worker processes' worth of connections →
// send processor → rate limiter (Redis) → notification ledger (PostgreSQL) → console messenger.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { QueueEvents, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { NotificationLedgerRepository } from '../../prisma/repositories/notification-ledger.repository.ts';
import { ConsoleMessenger } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import { message, paragraph } from '../../core/messages/message.ts';
import { createRedis } from '../../adapters/queue/redis-connection.ts';
import {
  NOTIFICATION_KINDS,
  NotificationLedger,
  channelRecipient,
  type NotificationKey,
} from '../../worker/notification-ledger.ts';
import {
  createMessengerBackoff,
  createQueues,
  jobId,
  sendJobId,
  type Queues,
  type SendJobData,
} from '../../adapters/queue/queues.ts';
import { RateLimiter, type RateRule } from '../../worker/rate-limiter.ts';
import { createSendProcessor } from '../../worker/processors/send.processor.ts';
import { createShutdown } from '../../worker/shutdown.ts';
import { commandRedis, deletePrefix, testPrefix, TEST_REDIS_URL } from './support/redis.ts';

const prefix = testPrefix('send');
let db: TestDatabase;
let producer: Redis;
let queues: Queues;
let events: QueueEvents;
const messenger = new ConsoleMessenger({ channels: ['C-unit', 'C-org', 'C-busy'] });
const undelivered: string[] = [];
const shutdowns: Array<ReturnType<typeof createShutdown>> = [];

/** Slots the limiters granted: rule keys and the Redis server's time of the grant. */
const grants: Array<{ keys: string[]; at: number }> = [];

/**
 * The real limiter, noting each slot it grants. Pacing is checked on the limiter's own clock (the
 * Redis server's), not on when the sends were recorded: on a loaded machine the time between a
 * grant and the row's sent_at varies, so sent_at gaps say nothing about the pacing.
 */
class ObservedLimiter extends RateLimiter {
  override async acquire(rules: RateRule | readonly RateRule[]) {
    const r = await super.acquire(rules);
    if (r.waitMs === 0) grants.push({ keys: [rules].flat().map((x) => x.key), at: r.at });
    return r;
  }
}

function startWorker(name: string) {
  const conn = createRedis(TEST_REDIS_URL, { role: 'worker', name });
  const cmd = createRedis(TEST_REDIS_URL, { role: 'command', name });
  // Slack-like pacing, but 1 per 300 ms so the test stays fast.
  const limiter = new ObservedLimiter(cmd, prefix, { console: [{ limit: 1, windowMs: 300 }] });
  const ledger = new NotificationLedger(new NotificationLedgerRepository(db.prisma, { leaseMs: 5_000 }));
  const processor = createSendProcessor({
    ledger,
    limiter,
    messengers: { console: messenger },
    maxInProcessWaitMs: 100,
    busyRecheckMs: 200,
    onUndelivered: async (data, outcome) => void undelivered.push(`${data.key.stage}:${outcome.status}`),
  });
  const worker = new Worker<SendJobData>('notify', processor, {
    connection: conn,
    prefix,
    concurrency: 4,
    settings: { backoffStrategy: createMessengerBackoff({ baseMs: 50, maxMs: 500 }) },
  });
  shutdowns.push(createShutdown({ workers: [worker], redis: [conn, cmd] }));
  return worker;
}

beforeAll(async () => {
  db = await createTestDatabase({ rulebooks: [] });
  producer = commandRedis('send-producer');
  queues = createQueues(producer, prefix);
  events = new QueueEvents('notify', { connection: createRedis(TEST_REDIS_URL, { role: 'worker' }), prefix });
  await events.waitUntilReady();
  startWorker('w1');
  startWorker('w2');
});

afterAll(async () => {
  await Promise.all(shutdowns.map((s) => s('test end')));
  await events?.close();
  await queues?.close();
  await deletePrefix(producer, prefix);
  await producer?.quit();
  await db?.drop();
});

function job(stage: string, channelId = 'C-unit', subjectId = randomUUID()): SendJobData {
  const key: NotificationKey = {
    subjectType: 'finding',
    subjectId,
    kind: NOTIFICATION_KINDS.reminder,
    stage,
    recipient: channelRecipient('console', channelId),
  };
  return {
    key,
    target: { kind: 'channel', platform: 'console', scope: channelId, channelId },
    message: message([paragraph(`${stage} ${subjectId}`)]),
  };
}

const finished = (j: Job) => j.waitUntilFinished(events, 15_000);

describe('send processor on BullMQ', () => {
  it('duplicate jobs for one notification → one message', async () => {
    const data = job('due_soon');
    const before = messenger.sent.length;
    // the same notification enqueued five times under different job ids (e.g. by overlapping sweeps)
    const jobs = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => queues.notify.add('send', data, { jobId: jobId('dup', data.key.subjectId, i) })),
    );
    const results = await Promise.all(jobs.map(finished));
    expect(messenger.sent.length - before).toBe(1);
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(1);
    // and the deterministic send id makes a sixth add a no-op while the first exists
    const a = await queues.notify.add('send', data, { jobId: sendJobId(data.key) });
    const b = await queues.notify.add('send', data, { jobId: sendJobId(data.key) });
    expect(a.id).toBe(b.id);
    expect(await finished(a)).toMatchObject({ status: 'already-sent' });
  });

  it('paces one channel through the shared rate limiter (both workers)', async () => {
    const subject = randomUUID();
    const datas = ['s1', 's2', 's3', 's4'].map((s) => job(s, 'C-busy', subject));
    const jobs = await Promise.all(datas.map((d) => queues.notify.add('send', d)));
    await Promise.all(jobs.map(finished));
    const times = messenger.sent.filter((m) => m.target === 'C-busy').map((m) => m.seq);
    expect(times).toHaveLength(4);
    const rows = await db.prisma.notification.findMany({ where: { subjectId: subject } });
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    // one slot per message, the slots of both workers at least the window (300 ms) apart
    const slots = grants
      .filter((g) => g.keys.includes('console/C-busy'))
      .map((g) => g.at)
      .sort((a, b) => a - b);
    expect(slots).toHaveLength(4);
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBeGreaterThanOrEqual(300);
  });

  it('retries a transient error with backoff and sends once', async () => {
    const data = job('due_today');
    messenger.failNext('postToChannel', { code: 'http_503', permanent: false }, 2);
    const j = await queues.notify.add('send', data, { attempts: 5 });
    expect(await finished(j)).toMatchObject({ status: 'sent', attempts: 3 });
    const row = await db.prisma.notification.findFirstOrThrow({ where: { subjectId: data.key.subjectId } });
    expect(row).toMatchObject({ state: 'sent', attempts: 3, lastError: null });
  });

  it('records a permanent error, completes the job, alerts once', async () => {
    const data = job('overdue-1', 'C-gone');
    const j = await queues.notify.add('send', data);
    expect(await finished(j)).toMatchObject({ status: 'failed', settledNow: true });
    const again = await queues.notify.add('send', data);
    expect(await finished(again)).toMatchObject({ status: 'failed' });
    expect(undelivered.filter((u) => u === 'overdue-1:failed')).toHaveLength(1);
    expect(await db.prisma.notification.findFirstOrThrow({ where: { subjectId: data.key.subjectId } })).toMatchObject({
      state: 'failed',
      lastError: expect.stringContaining('channel_not_found'),
    });
  });

  it('gives up after the last attempt: failed, alerted', async () => {
    const data = job('overdue-2');
    messenger.failNext('postToChannel', { code: 'network', permanent: false }, 2);
    const j = await queues.notify.add('send', data, { attempts: 2 });
    await expect(finished(j)).rejects.toThrow(/network/);
    expect(await db.prisma.notification.findFirstOrThrow({ where: { subjectId: data.key.subjectId } })).toMatchObject({
      state: 'failed',
      lastError: expect.stringContaining('gave up'),
    });
    expect(undelivered).toContain('overdue-2:failed');
  });
});
