import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreFixture, TestClock } from '../support/core-fixture.ts';
import { type Assessment, createAssessment } from '../../core/assessment.ts';
import { LedgerCache } from '../../core/ledger-cache.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';
import { poolOf } from '../../prisma/client.ts';
import { computeStandings } from '../../rules/engine/compute-standings.ts';
import { toEngineFinding } from '../../core/finding-view.ts';
import type { Actor, UnitBreakdown } from '../../core/assessment-api.ts';

// A unit contact's first answer on a cold cache comes from their unit's own read while the whole
// year loads behind it. Here the year's load is held back (a store over the same database whose
// ledgerRows returns only when the test lets it), so the answer can only come from the unit read,
// and the year can be made to land with a snapshot older than a unit read.
let fx: Awaited<ReturnType<typeof createCoreFixture>>;
let other: Assessment;
let inspector: Actor, contactA: Actor, contactB: Actor;
const A = '市交通运输局';
const B = '市司法局';
const NOW = '2017-11-20T10:00:00+08:00';
const AS_OF = '2017-11-20';

beforeAll(async () => {
  fx = await createCoreFixture({ now: NOW });
  other = createAssessment({
    rulebook: fx.rulebook,
    store: new PrismaAssessmentStore(fx.prisma),
    clock: new TestClock(new Date(NOW)),
  });
  inspector = await fx.member('i1', 'inspector');
  contactA = await fx.member('ca', 'unit_contact', A);
  contactB = await fx.member('cb', 'unit_contact', B);
  // repeats (2.1.1a again while the earlier one is overdue), a provincial inspection's finding
  // (supersession), a count, another clause; and one finding of B
  for (const [i, [unit, clause, date, extra]] of (
    [
      [A, '2.1.1a', '2017-07-03', {}],
      [A, '2.1.1a', '2017-08-01', { source: 'provincial_inspection' }],
      [A, '2.1.1a', '2017-09-04', {}],
      [A, '3.1.3b', '2017-08-02', {}],
      [A, '2.1.1a', '2017-10-09', { count: 2 }],
      [B, '3.1.3b', '2017-06-05', {}],
    ] as const
  ).entries()) {
    const r = await fx.findings.file(inspector, {
      unit,
      clause,
      date,
      idempotencyKey: `uf-${i}`,
      channel: 'test',
      ...extra,
    });
    if (!r.ok) throw r.error;
  }
});
afterAll(async () => fx?.drop());

/** The real store, except that the year's cold read is held until `release()` (taken at once, returned later). */
function heldYearStore() {
  const store = new PrismaAssessmentStore(fx.prisma);
  const held = Object.create(store) as PrismaAssessmentStore;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let read!: () => void;
  const yearRead = new Promise<void>((r) => (read = r));
  let yearReads = 0;
  held.ledgerRows = async (rb, year) => {
    yearReads++;
    const rows = await store.ledgerRows(rb, year);
    read();
    await gate;
    return rows;
  };
  return { store: held, release, yearRead, yearReads: () => yearReads };
}

const coldAssessment = (store: PrismaAssessmentStore) =>
  createAssessment({ rulebook: fx.rulebook, store, clock: new TestClock(new Date(NOW)) });

async function breakdown(a: Pick<Assessment, 'queries'>, who: Actor): Promise<UnitBreakdown> {
  const r = await a.queries.unitBreakdown(who, {});
  if (!r.ok) throw r.error;
  return r.value;
}

/** Fails instead of waiting for ever: before the unit-first start, a cold answer waited for the held year. */
function soon<T>(p: Promise<T>, ms = 5_000): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
  ]);
}

async function fullRecompute(asOf = AS_OF) {
  const rows = await fx.store.findingsForYear('hz-2017', 2017);
  return computeStandings(fx.rulebook, {
    year: 2017,
    asOf,
    units: [...fx.rulebook.units.keys()],
    findings: rows.map(toEngineFinding),
  });
}

/** What a unit contact's breakdown shows, without the object identity of kept values. */
const shown = (b: UnitBreakdown) => ({
  standing: b.standing,
  monthPoints: b.monthPoints,
  sections: b.sections,
  findings: b.findings,
  openRectifications: b.openRectifications,
});

describe('unit-first cold start', () => {
  it("answers a unit contact from their unit's own read, equal to a warm instance's answer", async () => {
    const held = heldYearStore();
    try {
      const got = await soon(breakdown(coldAssessment(held.store), contactA));
      const want = await breakdown(fx, contactA);
      expect(got.findings.length).toBe(5);
      expect(got.standing.findings.some((f) => f.repeatMultiplier > 1)).toBe(true);
      expect(shown(got)).toEqual(shown(want));
      const { rank, advanced, ...unit } = (await fullRecompute()).units.find((u) => u.unit === A)!;
      expect(got.standing).toEqual(unit);
      expect(held.yearReads()).toBe(1); // the year is loading behind it
    } finally {
      held.release();
    }
  });

  it('a filing committed after the unit read is on the next answer, before and after the year lands', async () => {
    const held = heldYearStore();
    const cold = coldAssessment(held.store);
    try {
      const first = await soon(breakdown(cold, contactA));
      const f = await other.findings.file(inspector, {
        unit: A,
        clause: '3.1.3b',
        date: '2017-11-01',
        idempotencyKey: 'uf-after',
        channel: 'test',
      });
      if (!f.ok) throw f.error;
      const second = await soon(breakdown(cold, contactA)); // the year is still held: cold still
      expect(second.findings.map((x) => x.id)).toEqual([...first.findings.map((x) => x.id), f.value.finding.id]);
      expect(second.standing.total).toBeLessThan(first.standing.total);
      expect(shown(second)).toEqual(shown(await breakdown(fx, contactA)));
      held.release();
      expect(shown(await breakdown(cold, contactA))).toEqual(shown(second));
    } finally {
      held.release();
    }
  });

  it('two unit contacts on one cold cache get their own units; a change to one is not answered from a kept breakdown', async () => {
    const held = heldYearStore();
    const cold = coldAssessment(held.store);
    try {
      const a1 = await soon(breakdown(cold, contactA));
      const b1 = await soon(breakdown(cold, contactB));
      expect(shown(a1)).toEqual(shown(await breakdown(fx, contactA)));
      expect(shown(b1)).toEqual(shown(await breakdown(fx, contactB)));
      expect(b1.findings.every((x) => x.unit === B) && a1.findings.every((x) => x.unit === A)).toBe(true);
      const f = await other.findings.file(inspector, {
        unit: B,
        clause: '2.1.1a',
        date: '2017-10-10',
        idempotencyKey: 'uf-b-later',
        channel: 'test',
      });
      if (!f.ok) throw f.error;
      const b2 = await soon(breakdown(cold, contactB));
      expect(b2.findings.map((x) => x.id)).toContain(f.value.finding.id);
      expect(shown(b2)).toEqual(shown(await breakdown(fx, contactB)));
      // A did not change: the same answer (rebuilt: the ledger version moved)
      expect(shown(await soon(breakdown(cold, contactA)))).toEqual(shown(a1));
    } finally {
      held.release();
    }
  });
});

describe('LedgerCache.refreshUnit', () => {
  it('the year landing with a snapshot older than a unit read replaces it whole; the next refresh equals a full recompute', async () => {
    const held = heldYearStore();
    const cache = new LedgerCache(fx.rulebook, held.store, 2017);
    try {
      await soon(cache.refreshUnit(A));
      await held.yearRead; // the year's snapshot is taken: everything after is newer than it
      const yearVersion = await fx.store.ledgerVersion('hz-2017', 2017);
      expect(cache.currentVersion).toBe(-1n);
      expect(cache.versionOf(A)).toBe(yearVersion);
      const f = await other.findings.file(inspector, {
        unit: A,
        clause: '2.1.1a',
        date: '2017-11-06',
        idempotencyKey: 'uf-race',
        channel: 'test',
      });
      if (!f.ok) throw f.error;
      const filedVersion = await fx.store.ledgerVersion('hz-2017', 2017);
      expect(filedVersion).toBeGreaterThan(yearVersion);
      await soon(cache.refreshUnit(A));
      expect(cache.currentVersion).toBe(-1n);
      expect(cache.versionOf(A)).toBe(filedVersion);
      expect(cache.unitStanding(A, AS_OF).findings.map((x) => x.id)).toContain(f.value.finding.id);
      expect((await cache.viewsOf(A, AS_OF)).map((v) => v.id)).toContain(f.value.finding.id);

      held.release();
      for (let i = 0; cache.currentVersion < 0n; i++) {
        if (i > 500) throw new Error('the year did not land');
        await new Promise((r) => setTimeout(r, 5));
      }
      // landed as one snapshot: the unit read's newer rows are gone with it, not mixed in
      expect(cache.currentVersion).toBe(yearVersion);
      expect(cache.versionOf(A)).toBe(yearVersion);
      expect(cache.unitStanding(A, AS_OF).findings.map((x) => x.id)).not.toContain(f.value.finding.id);

      await cache.refresh();
      expect(cache.versionOf(A)).toBe(filedVersion);
      const want = await fullRecompute();
      const got = cache.standings(AS_OF);
      expect(got.units.map((u) => [u.unit, u.total, u.rank, u.advanced])).toEqual(
        want.units.map((u) => [u.unit, u.total, u.rank, u.advanced]),
      );
      expect(got.units.find((u) => u.unit === A)).toEqual(want.units.find((u) => u.unit === A));
      const whole = (await fx.store.findingsForYear('hz-2017', 2017)).filter((x) => x.unit === A);
      expect((await cache.viewsOf(A, AS_OF)).map((v) => [v.id, v.status])).toEqual(
        whole.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.seq - y.seq)).map((x) => [x.id, x.status]),
      );
      expect(held.yearReads()).toBe(1);
    } finally {
      held.release();
    }
  });

  it('concurrent calls for one unit share a read; warm, it is refresh', async () => {
    const held = heldYearStore();
    const store = held.store;
    let unitReads = 0;
    const real = store.unitFindings.bind(store);
    store.unitFindings = (...a) => {
      unitReads++;
      return real(...a);
    };
    const cache = new LedgerCache(fx.rulebook, store, 2017);
    try {
      const first = cache.refreshUnit(A);
      await Promise.all([first, cache.refreshUnit(A), cache.refreshUnit(A), cache.refreshUnit(A)]);
      // one read, and one more for the calls that came while it ran (it may have begun before them)
      expect(unitReads).toBe(2);
      held.release();
      await cache.refresh();
      await cache.refreshUnit(A);
      expect(unitReads).toBe(2);
      expect(cache.versionOf(A)).toBe(cache.currentVersion);
    } finally {
      held.release();
    }
  });
});

describe('the store', () => {
  it("reads a unit's whole rows and their ledger version in one statement", async () => {
    const pool = poolOf(fx.prisma)!;
    const query = pool.query.bind(pool);
    let statements = 0;
    pool.query = ((...a: Parameters<typeof query>) => {
      statements++;
      return query(...a);
    }) as typeof pool.query;
    try {
      const got = await fx.store.unitFindings('hz-2017', 2017, A);
      expect(statements).toBe(1);
      expect(got.version).toBe(await fx.store.ledgerVersion('hz-2017', 2017));
      const whole = (await fx.store.findingsForYear('hz-2017', 2017)).filter((x) => x.unit === A);
      expect([...got.findings].sort((x, y) => x.seq - y.seq)).toEqual(whole);
    } finally {
      pool.query = query;
    }
    // the same through Prisma, for a client without a pool of ours
    const viaPrisma = new PrismaAssessmentStore(Object.create(fx.prisma) as typeof fx.prisma);
    expect(await viaPrisma.unitFindings('hz-2017', 2017, A)).toEqual(await fx.store.unitFindings('hz-2017', 2017, A));
    // a unit without findings still has the version
    const empty = await fx.store.unitFindings('hz-2017', 2017, '市统计局');
    expect(empty.findings).toEqual([]);
    expect(empty.version).toBe(await fx.store.ledgerVersion('hz-2017', 2017));
  });
});
