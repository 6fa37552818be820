import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreFixture, standingsOf, TestClock } from '../support/core-fixture.ts';
import { type Assessment, createAssessment } from '../../core/assessment.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';
import { computeStandings } from '../../rules/engine/compute-standings.ts';
import { toEngineFinding } from '../../core/finding-view.ts';
import type { Actor } from '../../core/assessment-api.ts';

// Two assessment instances (two bot processes, or bot and worker) over one database: each one's
// incrementally refreshed cache must equal a full recomputation from PostgreSQL after every change.
let fx: Awaited<ReturnType<typeof createCoreFixture>>;
let other: Assessment;
let inspector: Actor, contact: Actor;

beforeAll(async () => {
  fx = await createCoreFixture({ now: '2017-11-20T10:00:00+08:00' });
  other = createAssessment({
    rulebook: fx.rulebook,
    store: new PrismaAssessmentStore(fx.prisma),
    clock: new TestClock(new Date('2017-11-20T10:00:00+08:00')),
  });
  inspector = await fx.member('i1', 'inspector');
  contact = await fx.member('c1', 'unit_contact', '市司法局');
});
afterAll(async () => fx?.drop());

async function fullRecompute(asOf: string) {
  const rows = await fx.store.findingsForYear('hz-2017', 2017);
  return computeStandings(fx.rulebook, {
    year: 2017,
    asOf,
    units: [...fx.rulebook.units.keys()],
    findings: rows.map(toEngineFinding),
  });
}

async function expectBothCurrent(asOf = '2017-11-20') {
  const want = await fullRecompute(asOf);
  for (const svc of [fx.assessment, other]) {
    const got = await standingsOf(svc, asOf);
    expect(got.units.map((u) => [u.unit, u.total, u.rank, u.advanced])).toEqual(
      want.units.map((u) => [u.unit, u.total, u.rank, u.advanced]),
    );
    expect(got.groups).toEqual(want.groups);
  }
}

describe('incremental ledger cache', () => {
  it('follows filings, repeats, rectifications and withdrawals made through the other instance', async () => {
    await expectBothCurrent(); // warm both caches on an empty year
    const a = await fx.findings.file(inspector, {
      unit: '市司法局',
      clause: '2.1.1a',
      date: '2017-03-01',
      idempotencyKey: 'c-a',
      channel: 'test',
    });
    await expectBothCurrent();
    const b = await other.findings.file(inspector, {
      unit: '市司法局',
      clause: '2.1.1a',
      date: '2017-04-05',
      idempotencyKey: 'c-b',
      channel: 'test',
    });
    if (!a.ok || !b.ok) throw new Error('filing failed');
    expect(b.value.result.multiplier).toBe(2); // a was overdue on 04-05: a repeat
    await expectBothCurrent();
    const w = await other.findings.withdraw(inspector, { findingId: a.value.finding.id, reason: 'duplicate' });
    expect(w.ok).toBe(true);
    await expectBothCurrent();
    const mine = await fx.queries.unitBreakdown(contact, {});
    expect(mine.ok && mine.value.standing.findings.find((f) => f.id === b.value.finding.id)?.multiplier).toBe(1);
    await other.findings.file(inspector, {
      unit: '市公安局',
      clause: '6.1.1a',
      level: 'national',
      date: '2017-05-05',
      idempotencyKey: 'c-c',
      channel: 'test',
    });
    await expectBothCurrent();
    await expectBothCurrent('2017-05-04');
  });

  it('a refused change leaves the ledger version alone', async () => {
    const before = await fx.store.ledgerVersion('hz-2017', 2017);
    const r = await fx.findings.file(inspector, {
      unit: '市公安局',
      clause: '9.9.9z',
      idempotencyKey: 'c-bad',
      channel: 'test',
    });
    expect(r.ok).toBe(false);
    const w = await fx.findings.withdraw(inspector, {
      findingId: '00000000-0000-0000-0000-000000000000',
      reason: 'x',
    });
    expect(w.ok).toBe(false);
    expect(await fx.store.ledgerVersion('hz-2017', 2017)).toBe(before);
  });
});

describe("a filing's own result", () => {
  it('is its result in the whole standing (explained from its clause only), repeats and supersession included', async () => {
    const filings = [];
    for (const [i, [clause, date, extra]] of (
      [
        ['2.1.1a', '2017-07-03', {}],
        ['2.1.1a', '2017-08-01', { source: 'provincial_inspection' }],
        ['2.1.1a', '2017-09-04', {}],
        ['3.1.3b', '2017-08-02', {}],
        ['2.1.1a', '2017-10-09', { count: 2 }],
      ] as const
    ).entries()) {
      const r = await fx.findings.file(inspector, {
        unit: '市交通运输局',
        clause,
        date,
        idempotencyKey: `own-${i}`,
        channel: 'test',
        ...extra,
      });
      if (!r.ok) throw r.error;
      filings.push(r.value);
    }
    const asOf = '2017-11-20';
    const unit = (await fullRecompute(asOf)).units.find((u) => u.unit === '市交通运输局')!;
    const last = filings.at(-1)!;
    expect(last.result.repeatMultiplier).toBeGreaterThan(1);
    expect(last.result).toEqual(unit.findings.find((f) => f.id === last.finding.id));
    // the findings it repeats, named for the filer from the cache
    const byId = new Map(filings.map((f) => [f.finding.id, f.finding]));
    expect(last.earlier).toEqual(
      last.result.repeatOf.map((id) => {
        const f = byId.get(id)!;
        return { id, seq: f.seq, date: f.date, deadline: f.deadline };
      }),
    );
  });

  it("is what queries.findingResult answers (the worker notice's figure), to those who may see its unit", async () => {
    const r = await fx.findings.file(inspector, {
      unit: '市司法局',
      clause: '2.1.1a',
      date: '2017-07-04',
      idempotencyKey: 'result-query',
      channel: 'test',
    });
    if (!r.ok) throw r.error;
    const ref = { id: r.value.finding.id, unit: '市司法局', clause: '2.1.1a' };
    const unit = (await fullRecompute('2017-11-20')).units.find((u) => u.unit === '市司法局')!;
    const want = unit.findings.find((f) => f.id === ref.id);
    for (const [svc, actor] of [
      [fx.assessment, inspector],
      [other, contact],
    ] as const) {
      const got = await svc.queries.findingResult(actor, ref, '2017-11-20');
      expect(got.ok && got.value).toEqual(want);
    }
    // not that unit's, or not that clause's: nothing said about it
    expect(await fx.assessment.queries.findingResult(inspector, { ...ref, unit: '市民政局' }, '2017-11-20')).toEqual({
      ok: true,
      value: null,
    });
    expect((await fx.assessment.queries.findingResult(contact, { ...ref, unit: '市民政局' }, '2017-11-20')).ok).toBe(
      false,
    );
  });

  it('stays its result in the whole standing after its clause changed under the cache (a withdrawal, by this instance and by another)', async () => {
    const file = async (date: string, key: string) => {
      const r = await fx.findings.file(inspector, {
        unit: '市民政局',
        clause: '2.1.1a',
        date,
        idempotencyKey: key,
        channel: 'test',
      });
      if (!r.ok) throw r.error;
      return r.value;
    };
    const expectWhole = async (filed: { finding: { id: string }; result: unknown }) => {
      const unit = (await fullRecompute('2017-11-20')).units.find((u) => u.unit === '市民政局')!;
      expect(filed.result).toEqual(unit.findings.find((f) => f.id === filed.finding.id));
    };
    const a = await file('2017-06-05', 'clause-a');
    const b = await file('2017-07-03', 'clause-b');
    await expectWhole(b);
    expect(b.result.repeatOf).toEqual([a.finding.id]);
    // withdrawn here, then by the other instance: each time the next filing no longer repeats it
    const wa = await fx.findings.withdraw(inspector, { findingId: a.finding.id, reason: 'duplicate' });
    if (!wa.ok) throw wa.error;
    const c = await file('2017-08-01', 'clause-c');
    await expectWhole(c);
    expect(c.result.repeatOf).toEqual([b.finding.id]);
    const wb = await other.findings.withdraw(inspector, { findingId: b.finding.id, reason: 'duplicate' });
    if (!wb.ok) throw wb.error;
    const d = await file('2017-09-04', 'clause-d');
    await expectWhole(d);
    expect(d.result.repeatOf).toEqual([c.finding.id]);
  });
});

describe('concurrent use of one instance', () => {
  it('every concurrent filing sees its own finding in the standings it reports', async () => {
    // Reads keep a refresh running while filings commit, so filings must not join a refresh that
    // started before their own commit.
    const work: Array<Promise<unknown>> = [];
    const filings: Array<ReturnType<typeof fx.findings.file>> = [];
    for (let i = 0; i < 24; i++) {
      work.push(fx.queries.unitBreakdown(contact, {}));
      const f = fx.findings.file(inspector, {
        unit: i % 2 ? '市民政局' : '市教育局',
        clause: '3.1.3a',
        date: '2017-06-01',
        idempotencyKey: `conc-${i}`,
        channel: 'test',
      });
      filings.push(f);
      work.push(f);
    }
    await Promise.all(work);
    const results = await Promise.all(filings);
    for (const r of results) {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value.result.id).toBe(r.value.finding.id);
    }
    await expectBothCurrent();
  });

  it('a filing that commits while an older refresh is still running still sees itself', async () => {
    // A store whose version reads are slow, so a refresh started by a reader is still running
    // when the filing commits and asks for the standings.
    const store = new PrismaAssessmentStore(fx.prisma);
    const slow = Object.create(store) as PrismaAssessmentStore;
    slow.ledgerVersion = async (rb: string, year: number) => {
      const v = await store.ledgerVersion(rb, year);
      await new Promise((r) => setTimeout(r, 300));
      return v;
    };
    const svc = createAssessment({
      rulebook: fx.rulebook,
      store: slow,
      clock: new TestClock(new Date('2017-11-20T10:00:00+08:00')),
    });
    await standingsOf(svc, '2017-11-20');
    const reader = svc.queries.unitBreakdown(contact, {}); // starts a refresh that reads the old version
    await new Promise((r) => setTimeout(r, 50));
    const filed = await svc.findings.file(inspector, {
      unit: '市司法局',
      clause: '3.1.3b',
      date: '2017-07-03',
      idempotencyKey: 'slow-1',
      channel: 'test',
    });
    expect(filed.ok).toBe(true);
    expect((await reader).ok).toBe(true);
  });
});

describe('rows this instance wrote', () => {
  it('filings whose statements returned together are taken as written, not read back, and the standings stay exact', async () => {
    // Two filings' statements return at the same moment, so the refresh after them finds both
    // versions offered: nothing is read back. A third is filed by another instance meanwhile, so
    // the next refresh must read (the version it moved to was not written here).
    const store = new PrismaAssessmentStore(fx.prisma);
    const spy = Object.create(store) as PrismaAssessmentStore;
    let readBack = 0;
    spy.findingsChangedSince = (...a) => {
      readBack++;
      return store.findingsChangedSince(...a);
    };
    let arrived = 0;
    let release!: () => void;
    const together = new Promise<void>((r) => (release = r));
    spy.fileFinding = async (...a) => {
      const r = await store.fileFinding(...a);
      if (++arrived === 2) release();
      await together;
      return r;
    };
    const svc = createAssessment({
      rulebook: fx.rulebook,
      store: spy,
      clock: new TestClock(new Date('2017-11-20T10:00:00+08:00')),
    });
    await standingsOf(svc, '2017-11-20');
    const file = (a: Assessment, unit: string, date: string, key: string) =>
      a.findings.file(inspector, { unit, clause: '2.1.1a', date, idempotencyKey: key, channel: 'test' });
    const [p, q] = await Promise.all([
      file(svc, '市人力社保局', '2017-02-01', 'own-pair-1'),
      file(svc, '市人力社保局', '2017-03-06', 'own-pair-2'),
    ]);
    if (!p.ok || !q.ok) throw new Error(`filing failed: ${JSON.stringify([p, q])}`);
    expect(readBack).toBe(0);
    const want = await fullRecompute('2017-11-20');
    const unit = want.units.find((u) => u.unit === '市人力社保局')!;
    for (const r of [p, q]) expect(r.value.result).toEqual(unit.findings.find((f) => f.id === r.value.finding.id));
    expect(q.value.result.repeatMultiplier).toBe(2); // p was overdue on 03-06: its own row was used

    arrived = 0;
    const third = await other.findings.file(inspector, {
      unit: '市人力社保局',
      clause: '2.1.1a',
      date: '2017-04-05',
      idempotencyKey: 'own-pair-3',
      channel: 'test',
    });
    if (!third.ok) throw new Error('filing failed');
    const got = await standingsOf(svc, '2017-11-20');
    expect(readBack).toBe(1);
    const again = await fullRecompute('2017-11-20');
    expect(got.units.map((u) => [u.unit, u.total, u.rank])).toEqual(again.units.map((u) => [u.unit, u.total, u.rank]));
  });
});
