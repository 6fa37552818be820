import { describe, it, expect, afterAll } from 'vitest';
import { EventEmitter } from 'node:events';
import { Queue, Worker } from 'bullmq';
import { createRedis } from '../../adapters/queue/redis-connection.ts';
import { createShutdown, installSignalHandlers } from '../../worker/shutdown.ts';
import { commandRedis, deletePrefix, testPrefix, TEST_REDIS_URL } from './support/redis.ts';

const prefix = testPrefix('shutdown');

/** A promise the test settles itself: jobs and closables finish when the test says so, not after a time. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

afterAll(async () => {
  const r = commandRedis();
  await deletePrefix(r, prefix);
  await r.quit();
});

/** A queue and a worker whose job starts, then waits until `finish` is opened. */
function setup(finish: Promise<void>) {
  const producer = createRedis(TEST_REDIS_URL, { role: 'command' });
  const workerConn = createRedis(TEST_REDIS_URL, { role: 'worker' });
  const queue = new Queue('shutdown-test', { connection: producer, prefix });
  const events: string[] = [];
  let started!: () => void;
  const active = new Promise<void>((r) => (started = r));
  const worker = new Worker(
    'shutdown-test',
    async (job) => {
      events.push(`start ${job.id}`);
      started();
      await finish;
      events.push(`end ${job.id}`);
      return 'done';
    },
    { connection: workerConn, prefix },
  );
  let disconnected = false;
  const prisma = {
    $disconnect: async () => {
      disconnected = true;
    },
  };
  return { producer, workerConn, queue, worker, events, active, prisma, disconnected: () => disconnected };
}

describe('graceful shutdown', () => {
  it('lets the active job finish, then closes workers, queues, Redis and Prisma', async () => {
    const finish = gate();
    const s = setup(finish.opened);
    await s.queue.add('slow', {}, { jobId: 'slow-1' });
    await s.active;
    const shutdown = createShutdown({
      workers: [s.worker],
      closables: [s.queue],
      redis: [s.producer, s.workerConn],
      prisma: s.prisma,
    });
    expect(shutdown.signal.aborted).toBe(false);
    const done = shutdown('SIGTERM');
    expect(shutdown.signal.aborted).toBe(true);
    expect(shutdown('SIGINT')).toBe(done); // joins, never runs twice
    finish.open(); // the job ends only now, after the shutdown began
    expect(await done).toBe(true);
    expect(s.events).toEqual(['start slow-1', 'end slow-1']);
    expect(s.producer.status).toBe('end');
    expect(s.workerConn.status).toBe('end');
    expect(s.disconnected()).toBe(true);
    // the job was completed, not left active
    const check = commandRedis();
    const q = new Queue('shutdown-test', { connection: check, prefix });
    expect(await q.getJobState('slow-1')).toBe('completed');
    await q.close();
    await check.quit();
  });

  it('closes by force after the grace period and reports an unclean stop', async () => {
    const finish = gate(); // opened only after the shutdown returned: the job cannot end before
    const s = setup(finish.opened);
    await s.queue.add('stuck', {}, { jobId: 'stuck-1' });
    await s.active;
    const warnings: string[] = [];
    const shutdown = createShutdown(
      { workers: [s.worker], closables: [s.queue], redis: [s.producer, s.workerConn], prisma: s.prisma },
      { graceMs: 200, logger: { info() {}, error() {}, warn: (_o, msg) => void warnings.push(msg ?? '') } },
    );
    expect(await shutdown('SIGTERM')).toBe(false);
    expect(s.events).toEqual(['start stuck-1']); // it did not wait for the job
    expect(warnings.join()).toMatch(/by force/);
    expect(s.disconnected()).toBe(true);
    finish.open(); // let the abandoned job body run out before the file ends
  });

  it('keeps going when a step fails', async () => {
    const failing = {
      close: async () => {
        throw new Error('boom');
      },
      name: 'http',
    };
    let disconnected = false;
    const shutdown = createShutdown({
      closables: [failing],
      prisma: {
        $disconnect: async () => {
          disconnected = true;
        },
      },
    });
    expect(await shutdown('test')).toBe(false);
    expect(disconnected).toBe(true);
  });
});

describe('signal handlers', () => {
  it('SIGTERM shuts down and exits 0; a second signal exits 130 at once', async () => {
    const target = new EventEmitter();
    const codes: number[] = [];
    const exitedTwice = gate();
    const slow = gate();
    const shutdown = createShutdown({ closables: [{ close: () => slow.opened }] });
    const exit = (c: number) => {
      codes.push(c);
      if (codes.length === 2) exitedTwice.open();
    };
    const uninstall = installSignalHandlers(shutdown, { target, exit });
    target.emit('SIGTERM');
    expect(shutdown.started).toBe(true);
    target.emit('SIGINT');
    expect(codes).toEqual([130]);
    slow.open();
    await exitedTwice.opened;
    expect(codes).toEqual([130, 0]);
    uninstall();
    expect(target.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits 1 when the shutdown was not clean', async () => {
    const target = new EventEmitter();
    const codes: number[] = [];
    const shutdown = createShutdown({
      closables: [
        {
          close: async () => {
            throw new Error('x');
          },
        },
      ],
    });
    const exited = gate();
    installSignalHandlers(shutdown, {
      target,
      exit: (c) => {
        codes.push(c);
        exited.open();
      },
    });
    target.emit('SIGINT');
    await exited.opened;
    expect(codes).toEqual([1]);
  });
});
