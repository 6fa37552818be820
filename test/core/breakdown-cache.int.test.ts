import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreFixture, TestClock } from '../support/core-fixture.ts';
import { type Assessment, createAssessment } from '../../core/assessment.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';
import type { Actor, UnitBreakdown } from '../../core/assessment-api.ts';

// The ledger cache starts cold from the engine's columns only and keeps per-unit views and whole
// breakdowns between requests: every change must still be visible on the next breakdown, whether
// made through this instance or another process (here a second instance over the same database).
let fx: Awaited<ReturnType<typeof createCoreFixture>>;
let other: Assessment;
let inspector: Actor, contact: Actor;
const UNIT = '市司法局';

beforeAll(async () => {
  fx = await createCoreFixture({ now: '2017-11-20T10:00:00+08:00' });
  other = createAssessment({
    rulebook: fx.rulebook,
    store: new PrismaAssessmentStore(fx.prisma),
    clock: new TestClock(new Date('2017-11-20T10:00:00+08:00')),
  });
  inspector = await fx.member('i1', 'inspector');
  contact = await fx.member('c1', 'unit_contact', UNIT);
});
afterAll(async () => fx?.drop());

async function breakdown(a: Pick<Assessment, 'queries'> = fx, who: Actor = contact): Promise<UnitBreakdown> {
  const r = await a.queries.unitBreakdown(who, {});
  if (!r.ok) throw r.error;
  return r.value;
}

const file = (a: Pick<Assessment, 'findings'>, key: string, evidenceText = '') =>
  a.findings.file(inspector, {
    unit: UNIT,
    clause: '2.1.1a',
    date: '2017-03-01',
    idempotencyKey: key,
    channel: 'test',
    ...(evidenceText ? { evidenceText } : {}),
  });

describe('breakdown caches', () => {
  it('an unchanged ledger gives the same breakdown; a filing, from either instance, is on the next one', async () => {
    const empty = await breakdown();
    // kept: the same object while nothing changed (the bot renders its reply once per breakdown)
    expect(await breakdown()).toBe(empty);
    const a = await file(fx, 'bc-a', 'seen at the gate');
    if (!a.ok) throw a.error;
    const once = await breakdown();
    expect(once.findings.map((f) => f.id)).toEqual([a.value.finding.id]);
    expect(once.findings[0]!.evidenceText).toBe('seen at the gate');
    expect(once.standing.total).toBeLessThan(empty.standing.total);
    const b = await file(other, 'bc-b');
    if (!b.ok) throw b.error;
    const twice = await breakdown();
    expect(twice.findings.map((f) => f.id)).toEqual([a.value.finding.id, b.value.finding.id]);
    expect(twice.openRectifications).toHaveLength(2);
  });

  it('a withdrawal through the other instance is on the next breakdown, in the views and the total', async () => {
    const before = await breakdown();
    const target = before.findings[0]!;
    const w = await other.findings.withdraw(inspector, { findingId: target.id, reason: 'duplicate' });
    expect(w.ok).toBe(true);
    const after = await breakdown();
    expect(after.findings.find((f) => f.id === target.id)?.status).toBe('withdrawn');
    expect(after.openRectifications.map((f) => f.id)).not.toContain(target.id);
    expect(after.standing.total).toBeGreaterThan(before.standing.total);
  });

  it('a cold instance reads display fields only for the unit it shows, and they match a warm one', async () => {
    const cold = createAssessment({
      rulebook: fx.rulebook,
      store: new PrismaAssessmentStore(fx.prisma),
      clock: new TestClock(new Date('2017-11-20T10:00:00+08:00')),
    });
    const got = await breakdown(cold);
    const want = await breakdown();
    expect(got.findings).toEqual(want.findings);
    expect(got.standing.total).toBe(want.standing.total);
    expect(got.findings.every((f) => f.filedBy.externalId === 'i1' && f.filedAt.length > 0)).toBe(true);
  });

  it("a member's new language, set by another process, is in the next breakdown", async () => {
    const zh = await breakdown();
    await fx.prisma.member.updateMany({
      where: { identities: { some: { platform: 'test', externalId: 'c1' } } },
      data: { locale: 'en' },
    });
    const actor = await fx.membership.resolveActor('test', 'c1');
    if (!actor.ok) throw actor.error;
    expect(actor.value.locale).toBe('en');
    const en = await breakdown(fx, actor.value);
    expect(en.sections.map((s) => s.name)).not.toEqual(zh.sections.map((s) => s.name));
    expect(en.sections.map((s) => s.name)).toEqual(en.sections.map((s) => fx.rulebook.sections.get(s.id)!.name.en));
  });

  it("the cold start's lean rows carry the same engine columns as the whole rows", async () => {
    const lvl = await fx.findings.file(inspector, {
      unit: '市公安局',
      clause: '6.1.1a',
      level: 'national',
      date: '2017-05-05',
      idempotencyKey: 'bc-level',
      channel: 'test',
    });
    expect(lvl.ok).toBe(true);
    const whole = await fx.store.findingsForYear('hz-2017', 2017);
    const lean = await fx.store.ledgerRows('hz-2017', 2017);
    const pick = (f: (typeof lean)[number]) => ({
      id: f.id,
      seq: f.seq,
      unit: f.unit,
      clauseId: f.clauseId,
      date: f.date,
      count: f.count,
      value: f.value,
      level: f.level,
      source: f.source,
      deadline: f.deadline,
      status: f.status,
      rectifiedOn: f.rectifiedOn,
      changeSeq: f.changeSeq,
    });
    expect(whole.length).toBeGreaterThanOrEqual(3);
    expect(whole.some((f) => f.level !== null) && whole.some((f) => f.status === 'withdrawn')).toBe(true);
    // the lean read comes in no particular order
    expect([...lean].sort((a, b) => a.seq - b.seq).map(pick)).toEqual(whole.map(pick));
  });

  it('the day turning refreshes the working days left without a change to the ledger', async () => {
    const monday = await breakdown();
    const open = monday.openRectifications[0]!;
    expect(open.workingDaysLeft).not.toBeNull();
    fx.clock.set('2017-11-21T10:00:00+08:00');
    const tuesday = await breakdown();
    expect(tuesday.openRectifications[0]!.workingDaysLeft).toBe(
      fx.rulebook.calendar.workingDaysBetween('2017-11-21', open.deadline!),
    );
    fx.clock.set('2017-11-20T10:00:00+08:00');
  });
});
