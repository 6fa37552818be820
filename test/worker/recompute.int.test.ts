// Recomputation of the standings against the real Redis and PostgreSQL: after a filing, debounced
// over a burst, written only when newer, and repaired by the reconcile pass when the events were
// lost because Redis was unavailable to the bot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { type Assessment, createAssessment } from '../../core/assessment.ts';
import type { LedgerEvent } from '../../core/assessment-api.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';
import { createRedis } from '../../adapters/queue/redis-connection.ts';
import { BullLedgerEvents } from '../../adapters/queue/ledger-events.adapter.ts';
import { createQueues } from '../../adapters/queue/queues.ts';
import type { WorkerRuntime } from '../../worker/runtime.ts';
import { LIVE_LABEL } from '../../core/ports/standing-snapshots.port.ts';
import { StandingSnapshotsRepository } from '../../prisma/repositories/standing-snapshots.repository.ts';
import { consoleMessenger, createWorkerFixture, type WorkerFixture } from './support/worker-fixture.ts';
import { closedPort } from './support/redis.ts';
import { standingsOf } from '../support/core-fixture.ts';

let wf: WorkerFixture;
let rt: WorkerRuntime;
const recomputes: string[] = [];

beforeAll(async () => {
  wf = await createWorkerFixture('recompute', { now: '2017-06-15T10:00:00+08:00' });
  rt = await wf.start(consoleMessenger());
  rt.workers.ledger.on(
    'completed',
    (job: Job) => void (job.name === 'recompute' && recomputes.push(String(job.data.cause))),
  );
});
afterAll(async () => wf?.close());

const ledger = () =>
  wf.db.prisma.ledgerVersion.findUniqueOrThrow({ where: { rulebookId_year: { rulebookId: 'hz-2017', year: 2017 } } });
const snapshots = () => new StandingSnapshotsRepository(wf.db.prisma);
const live = () => snapshots().read('hz-2017', 2017, LIVE_LABEL);
let seq = 0;
const file = (service: Assessment, unit = '市公安局', date = '2017-06-14') =>
  service.findings.file(wf.inspector, { unit, clause: '2.1.1a', date, idempotencyKey: `rc-${++seq}`, channel: 'test' });

async function expectSnapshotMatchesCore(): Promise<void> {
  const rows = await live();
  const standings = await standingsOf(wf.bot, '2017-06-15');
  expect(rows).toHaveLength(59);
  for (const u of standings.units) {
    const row = rows.find((r) => r.unit === u.unit)!;
    expect({ unit: row.unit, total: row.total, rank: row.rank, advanced: row.advanced }).toEqual({
      unit: u.unit,
      total: u.total,
      rank: u.rank,
      advanced: u.advanced,
    });
  }
}

describe('recompute', () => {
  it('stores the live snapshot after a filing, labelled with the ledger version', async () => {
    const r = await file(wf.bot);
    expect(r.ok).toBe(true);
    await wf.settle();
    const lv = await ledger();
    expect(lv.version).toBeGreaterThan(0n);
    expect(lv.computedVersion).toBe(lv.version);
    const rows = await live();
    expect(rows.every((x) => x.version === lv.version && x.asOf === '2017-06-15')).toBe(true);
    const gaj = rows.find((x) => x.unit === '市公安局')!;
    expect(gaj.total).toBeLessThan(gaj.base);
    // one finding of 2.1.1a: the clause's amount (the rulebook's data) is the unit's deductions
    const perItem = (wf.rulebook.clauses.get('2.1.1a') as { amount: number }).amount;
    expect(gaj.flags).toMatchObject({ group: expect.any(String), deductions: -perItem, disqualified: [] });
    expect(gaj.sections.length).toBeGreaterThan(0);
    await expectSnapshotMatchesCore();
  });

  it('debounces a burst: 100 filings → a handful of recomputes, the last one at the final version', async () => {
    const before = recomputes.length;
    const section = wf.rulebook.clauses.get('2.1.1a')!.section;
    const units = [...wf.rulebook.units.values()]
      .filter((u) => wf.rulebook.sectionsFor(u.group).some((s) => s.id === section))
      .map((u) => u.name);
    for (let i = 0; i < 100; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, j) => file(wf.bot, units[(i + j) % units.length]!, '2017-06-13')),
      );
      expect(batch.every((r) => r.ok)).toBe(true);
    }
    await wf.settle();
    const runs = recomputes.length - before;
    console.info(`[recompute] 100 filings → ${runs} recompute runs`);
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(runs).toBeLessThanOrEqual(10);
    const lv = await ledger();
    expect(lv.computedVersion).toBe(lv.version);
    expect((await live()).every((x) => x.version === lv.version)).toBe(true);
    await expectSnapshotMatchesCore();
  });

  it('never overwrites a snapshot with an older one (older version, or same version as of an earlier day)', async () => {
    const lv = await ledger();
    const standings = await standingsOf(wf.bot, '2017-06-01');
    const base = { rulebookId: 'hz-2017', year: 2017, label: LIVE_LABEL, standings };
    expect(await snapshots().write({ ...base, asOf: '2017-06-15', version: lv.version - 1n })).toBe(0);
    expect(await snapshots().write({ ...base, asOf: '2017-06-14', version: lv.version })).toBe(0);
    await expectSnapshotMatchesCore();
    // the same version a day later is newer: deadlines may have passed meanwhile
    expect(
      await snapshots().write({
        ...base,
        standings: await standingsOf(wf.bot, '2017-06-16'),
        asOf: '2017-06-16',
        version: lv.version,
      }),
    ).toBe(59);
    expect(await wf.run('ledger', 'recompute', { rulebookId: 'hz-2017', year: 2017, cause: 'test' })).toMatchObject({
      written: 0,
    });
  });

  it('refuses a job for a rulebook or year it does not serve, without retrying', async () => {
    await expect(wf.run('ledger', 'recompute', { rulebookId: 'hz-2099', year: 2099, cause: 'test' })).rejects.toThrow(
      /does not serve/,
    );
    await expect(wf.run('ledger', 'recompute', { rulebookId: 'hz-2017', year: 2018, cause: 'test' })).rejects.toThrow(
      /has no 2018 assessment/,
    );
    await expect(
      wf.run('ledger', 'recompute', { rulebookId: 'hz-2017', year: '2017' as unknown as number, cause: 'test' }),
    ).rejects.toThrow(/bad data/);
  });
});

describe('findings filed while Redis is unavailable', () => {
  it('are in PostgreSQL, the bot does not hang, and the reconcile pass recomputes them when Redis is back', async () => {
    // Redis is "down" for the bot only: its producer points at a closed port. We do not stop the
    // shared Redis server, because the other test files running in parallel use it; to the bot,
    // and to BullMQ inside it, a closed port is exactly what a stopped Redis looks like.
    const port = await closedPort();
    const producer = createRedis(`redis://127.0.0.1:${port}`, {
      role: 'producer',
      name: 'bot-while-down',
      extra: { retryStrategy: () => 100 },
    });
    producer.on('error', () => {});
    const downQueues = createQueues(producer, wf.prefix);
    for (const q of downQueues.all()) q.on('error', () => {});
    const lost: LedgerEvent['type'][] = [];
    const botWhileDown = createAssessment({
      rulebook: wf.rulebook,
      store: new PrismaAssessmentStore(wf.db.prisma),
      clock: wf.clock,
      events: new BullLedgerEvents(downQueues, { timeoutMs: 500 }),
      onEventError: (_e, event) => void lost.push(event.type),
    });
    try {
      const t0 = Date.now();
      for (let i = 0; i < 3; i++) expect((await file(botWhileDown, '市科委', '2017-06-12')).ok).toBe(true);
      // Each filing is answered: BullMQ alone would wait for its connection forever. The bound is
      // far above the three 500 ms publish timeouts, so that only a hang fails it, not a busy machine.
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(lost).toEqual(['finding.filed', 'finding.filed', 'finding.filed']);
    } finally {
      await downQueues.close();
      producer.disconnect();
    }
    await wf.settle();
    const stale = await ledger();
    expect(stale.version).toBe(stale.computedVersion + 3n); // nothing told the worker

    // Redis is back: the reconcile schedule (also run once at every worker start) finds the ledger stale.
    const result = await wf.run('ledger', 'reconcile-stale-ledgers', { rulebookId: 'hz-2017' });
    expect(result.recomputed).toHaveLength(1);
    expect(result.recomputed[0]).toMatchObject({ year: 2017, version: String(stale.version), written: 59 });
    const lv = await ledger();
    expect(lv.computedVersion).toBe(stale.version);
    await expectSnapshotMatchesCore();
    // and nothing is stale any more
    expect((await wf.run('ledger', 'reconcile-stale-ledgers', { rulebookId: 'hz-2017' })).recomputed).toHaveLength(0);
  });

  it('a worker starting after the outage reconciles at once (runOnStart)', async () => {
    const port = await closedPort();
    const producer = createRedis(`redis://127.0.0.1:${port}`, {
      role: 'producer',
      extra: { retryStrategy: () => 100 },
    });
    producer.on('error', () => {});
    const downQueues = createQueues(producer, wf.prefix);
    for (const q of downQueues.all()) q.on('error', () => {});
    const botWhileDown = createAssessment({
      rulebook: wf.rulebook,
      store: new PrismaAssessmentStore(wf.db.prisma),
      clock: wf.clock,
      events: new BullLedgerEvents(downQueues, { timeoutMs: 500 }),
    });
    expect((await file(botWhileDown, '市发改委', '2017-06-12')).ok).toBe(true);
    await downQueues.close();
    producer.disconnect();
    const stale = await ledger();
    expect(stale.version).toBeGreaterThan(stale.computedVersion);

    await rt.close('restart');
    await wf.start(consoleMessenger(), { schedules: true }); // upsertSchedules(…, { runOnStart: true })
    const deadline = Date.now() + 15_000;
    while ((await ledger()).computedVersion < stale.version && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    expect((await ledger()).computedVersion).toBe(stale.version);
    await expectSnapshotMatchesCore();
  });
});
