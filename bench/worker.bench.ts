import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Message } from '../core/messages/message.ts';
import {
  recipientUserId,
  type MessengerPort,
  type PrivateRecipient,
  type SentFile,
} from '../core/ports/messenger.port.ts';
import { createPrismaClient } from '../prisma/client.ts';
import { createRepositories } from '../prisma/repositories/repositories.ts';
import { loadRulebook } from '../rules/rulebook.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { TestClock } from '../test/support/core-fixture.ts';
import { createRedis } from '../adapters/queue/redis-connection.ts';
import type { SettingsFor } from '../adapters/config/settings.schema.ts';
import { QUEUE_KEYS, type Queues } from '../adapters/queue/queues.ts';
import { startWorkerRuntime } from '../worker/runtime.ts';
import { fmt } from './timing.ts';
import { removeQueuePrefix } from './bench-processes.ts';

// The worker's send path under load, end to end in one process: BullMQ on the real Redis, the
// notification ledger on a fresh PostgreSQL database, the real per-channel rate limiter, and a
// local fake messenger that counts every message it receives (and any it receives twice).
//
//   1. overdue alerts for 5,000 open findings: one reminder sweep (run twice at once, as two
//      workers would) → 5,000 messages to the units' channels + 5,000 alerts to the organisers;
//      then a second sweep the same day, which must send nothing.
//   2. the month-close fan-out to 59 units: the organisers' summary, each unit's detail to its
//      contact privately, and each unit's published result in its channel.
//
// The rate limiter is the real one with Slack's per-channel limit (1 message per 1,000 ms) scaled
// down by BENCH_WORKER_LIMIT_SCALE (default ×1000: 1 message per 1 ms per channel), or 5,000 alerts
// to the one organisers' channel would take 83 minutes at the real limit — that limit, not the
// worker, bounds a real run. The "limiter floor" printed is the least time the scaled limits allow.

const PLATFORM = 'bench';

class CountingMessenger implements MessengerPort {
  readonly platform = PLATFORM;
  readonly seen = new Map<string, number>();
  readonly perTarget = new Map<string, number>();
  count = 0;
  #record(target: string, m: Message) {
    const key = `${target} ${createHash('sha1').update(JSON.stringify(m)).digest('hex')}`;
    this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
    this.perTarget.set(target, (this.perTarget.get(target) ?? 0) + 1);
    this.count++;
    return { ref: `${PLATFORM}:${this.count}` };
  }
  async postToChannel(channelId: string, m: Message) {
    return this.#record(channelId, m);
  }
  async postPrivate(to: PrivateRecipient, m: Message) {
    return this.#record(`@${recipientUserId(to)}`, m);
  }
  async updateMessage() {}
  async publishHome() {}
  /** Files (the month's reports): sent by the reports queue, which keeps no ledger rows. */
  files = 0;
  readonly maxFileBytes = 50 * 1024 * 1024;
  async sendFile(): Promise<SentFile> {
    this.files++;
    return { fileId: `${PLATFORM}:file:${this.files}` };
  }
  duplicates(): number {
    let n = 0;
    for (const c of this.seen.values()) if (c > 1) n += c - 1;
    return n;
  }
}

async function waitUntil(queues: Queues, done: () => boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done()) {
      const counts = await Promise.all(
        QUEUE_KEYS.map((k) => queues[k].getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
      );
      if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
    }
    if (Date.now() > deadline) throw new Error('bench: the worker did not finish in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function benchWorker(settings: SettingsFor<'bench'>): Promise<void> {
  const { findings: FINDINGS, limitScale: SCALE, concurrency: CONCURRENCY } = settings.bench.worker;
  const WINDOW_MS = Math.max(1, Math.round(1_000 / SCALE));
  const rb = loadRulebook('hz-2017');
  const db = await createTestDatabase();
  const prisma = createPrismaClient(db.url, { pool: { max: 20 } });
  const redisUrl = settings.queue.redisUrl;
  const prefix = `kaoping-bench-${randomBytes(4).toString('hex')}`;
  const redis = createRedis(redisUrl, { role: 'command', name: 'kaoping-bench' });
  const fake = new CountingMessenger();
  const clock = new TestClock(new Date('2017-09-26T10:00:00+08:00'));
  const units = [...rb.units.values()];
  try {
    // 59 unit channels + the organisers', one contact per unit, an inspector
    await prisma.channelBinding.createMany({
      data: [
        { platform: PLATFORM, scope: 'organisers', channelId: 'C-ORG' },
        ...units.map((u, i) => ({ platform: PLATFORM, scope: u.name, channelId: `C-U${i}` })),
      ],
    });
    const inspector = await prisma.member.create({
      data: { identities: { create: { platform: PLATFORM, externalId: 'U-INSP' } }, role: 'inspector' },
    });
    const unitIds = new Map(
      (await prisma.unit.findMany({ where: { rulebookId: rb.id } })).map((u) => [u.name, u.id] as const),
    );
    for (const [i, u] of units.entries())
      await prisma.member.create({
        data: {
          identities: { create: { platform: PLATFORM, externalId: `U-C${i}` } },
          role: 'unit_contact',
          unitId: unitIds.get(u.name)!,
        },
      });
    // FINDINGS open findings across all units (a rectifiable clause of each unit's group), filed in
    // early September with a deadline of Monday Sep 25: on Tuesday the 26th their first overdue
    // reminder is due.
    const clauseFor = new Map(
      units.map(
        (u) =>
          [
            u.name,
            [...rb.clauses.values()].find(
              (c) => rb.isRectifiable(c) && rb.sectionsFor(u.group).some((s) => s.id === c.section),
            )!.id,
          ] as const,
      ),
    );
    const rows = Array.from({ length: FINDINGS }, (_, i) => {
      const u = units[i % units.length]!;
      return {
        rulebookId: rb.id,
        year: 2017,
        unitId: unitIds.get(u.name)!,
        clauseId: clauseFor.get(u.name)!,
        date: new Date(`2017-09-${String(4 + (i % 10)).padStart(2, '0')}T00:00:00Z`),
        deadline: new Date('2017-09-25T00:00:00Z'),
        deadlineIsDefault: false,
        filedById: inspector.id,
        channel: 'bench',
        idempotencyKey: `bench-${i}`,
        changeSeq: 1n,
      };
    });
    for (let i = 0; i < rows.length; i += 1000) await prisma.finding.createMany({ data: rows.slice(i, i + 1000) });
    await prisma.ledgerVersion.update({
      where: { rulebookId_year: { rulebookId: rb.id, year: 2017 } },
      data: { version: 1n },
    });

    const rt = await startWorkerRuntime({
      redisUrl,
      prefix,
      ports: createRepositories(prisma),
      rulebook: rb,
      clock,
      messengers: { [PLATFORM]: fake },
      limits: { [PLATFORM]: [{ limit: 1, windowMs: WINDOW_MS }] },
      concurrency: { notify: CONCURRENCY },
      schedules: false,
      noticeGraceMs: null,
      startDate: '2017-01-01', // every synthetic finding is live: the send path is what is measured
      autoPublish: true, // the close fans the 通报 out at once (the fan-out is what is measured)
    });
    console.log(
      `worker send path: ${FINDINGS} open findings, 59 units, rate limit 1 message / ${WINDOW_MS} ms per channel (Slack's 1 / 1000 ms scaled ×${SCALE}), notify concurrency ${CONCURRENCY}, one process`,
    );
    console.log('phase                                messages   ms        messages/s   limiter floor ms   sent twice');

    // 1. overdue alerts: two sweeps at once (two workers' schedules)
    const t0 = performance.now();
    const jobs = await Promise.all(
      [1, 2].map((i) =>
        rt.queues.reminders.add('reminder-sweep', { rulebookId: rb.id }, { jobId: `bench-sweep-${i}` }),
      ),
    );
    await waitUntil(rt.queues, () => fake.count >= 2 * FINDINGS);
    const overdueMs = performance.now() - t0;
    const sweeps = await Promise.all(
      jobs.map(
        async (j) =>
          (await rt.queues.reminders.getJob(j.id!))?.returnvalue as
            | { ms: number; sends: number; phases: Record<string, number> }
            | undefined,
      ),
    );
    const orgFloor = (fake.perTarget.get('C-ORG') ?? 0) * WINDOW_MS;
    const alerts = fake.count;
    console.log(
      `overdue alerts (2 sweeps at once)  ${String(alerts).padStart(9)}  ${fmt(overdueMs).padStart(8)}  ${(alerts / (overdueMs / 1000)).toFixed(0).padStart(11)}  ${String(orgFloor).padStart(17)}  ${String(fake.duplicates()).padStart(10)}`,
    );
    console.log(
      `  sweep planning: ${sweeps
        .map(
          (s) =>
            `${s?.ms ?? '?'} ms (${s?.sends ?? '?'} enqueued; ${Object.entries(s?.phases ?? {})
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')})`,
        )
        .join('; ')}`,
    );

    // the next quarter-hour's sweep: everything is settled, nothing is enqueued or sent
    clock.set('2017-09-26T10:15:00+08:00');
    const t1 = performance.now();
    const again = await rt.queues.reminders.add('reminder-sweep', { rulebookId: rb.id }, { jobId: 'bench-sweep-3' });
    await waitUntil(rt.queues, () => true);
    const againMs = performance.now() - t1;
    const againResult = (await rt.queues.reminders.getJob(again.id!))?.returnvalue as {
      sends: number;
      settled: number;
    };
    console.log(
      `repeat sweep, same day              ${String(fake.count - alerts).padStart(9)}  ${fmt(againMs).padStart(8)}  ${'—'.padStart(11)}  ${'—'.padStart(17)}  ${String(fake.duplicates()).padStart(10)}   (${againResult.settled} due and already sent, ${againResult.sends} enqueued)`,
    );

    // 2. month close fan-out: after 18:00 on Saturday Sep 30, the month's last working day
    clock.set('2017-09-30T18:05:00+08:00');
    const before = fake.count;
    const expected = 1 + 59 + 59;
    const t2 = performance.now();
    const close = await rt.queues.month.add(
      'month-close',
      { rulebookId: rb.id, year: 2017, month: '2017-09', cause: 'schedule' },
      { jobId: 'bench-close' },
    );
    await waitUntil(rt.queues, () => fake.count - before >= expected);
    const closeMs = performance.now() - t2;
    const closeResult = (await rt.queues.month.getJob(close.id!))?.returnvalue as { ms: number; sends: number };
    const closeFloor = 2 * WINDOW_MS; // two messages per unit channel at most… one per channel here
    console.log(
      `month close fan-out (59 units)      ${String(fake.count - before).padStart(9)}  ${fmt(closeMs).padStart(8)}  ${((fake.count - before) / (closeMs / 1000)).toFixed(0).padStart(11)}  ${String(closeFloor).padStart(17)}  ${String(fake.duplicates()).padStart(10)}`,
    );
    console.log(
      `  close + snapshot + planning: ${closeResult.ms} ms (${closeResult.sends} messages: summary, 59 private details, 59 published results)`,
    );

    const sent = await prisma.notification.count({ where: { state: 'sent' } });
    const ok =
      fake.duplicates() === 0 && sent === fake.count && alerts === 2 * FINDINGS && fake.count - before === expected;
    console.log(
      `check: ${fake.count} messages received, ${sent} ledger rows sent, ${fake.duplicates()} received twice → ${ok ? 'none sent twice, none missing' : 'MISMATCH'}; files: ${fake.files} (the month's reports, sent by the reports queue, which keeps no ledger rows)`,
    );
    await rt.close('bench end');
    if (!ok) process.exitCode = 1;
  } finally {
    await removeQueuePrefix(redis, prefix);
    await redis.quit();
    await prisma.$disconnect();
    await db.drop();
  }
}
