import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreFixture, TestClock, type CoreFixture } from '../support/core-fixture.ts';
import { type Assessment, createAssessment } from '../../core/assessment.ts';
import type { Actor, UnitBreakdown } from '../../core/assessment-api.ts';
import { ChangeFeed } from '../../prisma/change-feed.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';

// The bot's store with the change feed (LISTEN/NOTIFY) keeps the ledger version, members, channel
// bindings and the published month in memory. Every change must still be on the next request:
// at once when this process made it, after its notification when another process did (here a
// second assessment over its own store without a feed, as the worker or another bot), and —
// with the feed's connection cut — by asking the database until the feed is back.
let fx: CoreFixture;
let feed: ChangeFeed;
let store: PrismaAssessmentStore;
let bot: Assessment;
let other: Assessment;
let inspector: Actor, contact: Actor, organiser: Actor;
const UNIT = '市司法局';

beforeAll(async () => {
  fx = await createCoreFixture({ now: '2017-11-20T10:00:00+08:00' });
  feed = await ChangeFeed.start({ connectionString: fx.db.url }, { retryMs: { first: 20, max: 200 } });
  store = new PrismaAssessmentStore(fx.prisma, { feed });
  const clock = new TestClock(new Date('2017-11-20T10:00:00+08:00'));
  bot = createAssessment({ rulebook: fx.rulebook, store, clock });
  other = fx.assessment; // its store has no feed: another process
  inspector = await fx.member('i1', 'inspector');
  contact = await fx.member('c1', 'unit_contact', UNIT);
  organiser = await fx.member('o1', 'organiser');
});
afterAll(async () => {
  await feed?.close();
  await fx?.drop();
});

/** Waits (on notifications, not on a clock) until `ok()` holds. */
async function until(ok: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 50 && !(await ok()); i++) await feed.nextNotification();
  expect(await ok()).toBe(true);
}

async function breakdown(who: Actor = contact): Promise<UnitBreakdown> {
  const r = await bot.queries.unitBreakdown(who, {});
  if (!r.ok) throw r.error;
  return r.value;
}

let n = 0;
const file = (a: Assessment) =>
  a.findings.file(inspector, {
    unit: UNIT,
    clause: '2.1.1a',
    date: '2017-03-01',
    idempotencyKey: `cf-${++n}`,
    channel: 'test',
  });

async function versionInDb(): Promise<bigint> {
  const v = await fx.prisma.ledgerVersion.findUniqueOrThrow({
    where: { rulebookId_year: { rulebookId: 'hz-2017', year: 2017 } },
  });
  return v.version;
}

describe('change feed', () => {
  it('is live and answers the ledger version from memory after one read', async () => {
    expect(feed.live).toBe(true);
    const v = await store.ledgerVersion('hz-2017', 2017);
    expect(v).toBe(await versionInDb());
    expect(feed.ledgerVersion('hz-2017', 2017)).toBe(v);
  });

  it("this process's filing is on its next breakdown at once; another process's after its notification", async () => {
    const before = (await breakdown()).findings.length;
    const own = await file(bot);
    if (!own.ok) throw own.error;
    expect((await breakdown()).findings.map((f) => f.id)).toContain(own.value.finding.id);

    const theirs = await file(other);
    if (!theirs.ok) throw theirs.error;
    const v = await versionInDb();
    await until(() => feed.ledgerVersion('hz-2017', 2017) === v);
    const ids = (await breakdown()).findings.map((f) => f.id);
    expect(ids).toContain(theirs.value.finding.id);
    expect(ids).toHaveLength(before + 2);
  });

  it("another process's withdrawal is on the next breakdown after its notification", async () => {
    const f = await file(bot);
    if (!f.ok) throw f.error;
    const w = await other.findings.withdraw(inspector, { findingId: f.value.finding.id, reason: 'duplicate' });
    expect(w.ok).toBe(true);
    const v = await versionInDb();
    await until(() => feed.ledgerVersion('hz-2017', 2017) === v);
    expect((await breakdown()).findings.find((x) => x.id === f.value.finding.id)?.status).toBe('withdrawn');
  });

  it("a member's change is seen by the next request: at once from this process, after the notification from another", async () => {
    expect((await store.findMember('test', 'c1'))?.locale).toBeNull();
    // another process (a direct write, as an organiser's console would make)
    await fx.prisma.member.updateMany({
      where: { identities: { some: { externalId: 'c1' } } },
      data: { locale: 'en' },
    });
    await until(async () => (await store.findMember('test', 'c1'))?.locale === 'en');
    // this process
    const r = await bot.membership.setLocale(await actorOf('c1'), 'zh-CN');
    expect(r.ok).toBe(true);
    expect((await store.findMember('test', 'c1'))?.locale).toBe('zh-CN');
    // a member removed elsewhere is refused on the next request
    await fx.prisma.member.updateMany({
      where: { identities: { some: { externalId: 'o1' } } },
      data: { active: false },
    });
    await until(async () => (await store.findMember('test', 'o1'))?.active === false);
    await fx.prisma.member.updateMany({
      where: { identities: { some: { externalId: 'o1' } } },
      data: { active: true },
    });
    await until(async () => (await store.findMember('test', 'o1'))?.active === true);
  });

  it('a channel bound by another process is the next look-up', async () => {
    const look = () => store.channelBindings({ platforms: ['test'], scopes: [UNIT] });
    expect(await look()).toEqual([]);
    await fx.prisma.channelBinding.create({ data: { platform: 'test', scope: UNIT, channelId: 'C1' } });
    await until(async () => (await look()).length === 1);
    const r = await bot.membership.bindChannel(organiser, { platform: 'test', scope: UNIT, channelId: 'C2' });
    expect(r.ok).toBe(true);
    expect((await look()).map((b) => b.channelId)).toEqual(['C2']); // own change: at once
  });

  it('a month published by the worker is in the next breakdown of a unit contact', async () => {
    expect((await breakdown()).published).toBeNull();
    await other.months.setState(organiser, { month: '2017-05', state: 'closed' });
    await fx.prisma.publication.create({
      data: {
        rulebookId: 'hz-2017',
        year: 2017,
        period: '2017-05',
        version: 1,
        asOf: new Date('2017-05-31T00:00:00Z'),
        ledgerVersion: 1n,
        content: {
          groups: [],
          units: [{ unit: UNIT, group: 'with_matters', total: 97, rank: 1, advanced: true }],
          disqualifications: [],
        },
        changes: [],
        publishedBy: 'organiser:test:o1',
      },
    });
    await until(async () => (await breakdown()).published?.month === '2017-05');
    expect((await breakdown()).published?.total).toBe(97);
  });

  it('with its connection cut, every read asks the database (nothing missed), and it comes back live', async () => {
    await breakdown(); // warm
    const admin = new pg.Client({ connectionString: fx.db.url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [feed.backendPid]);
    } finally {
      await admin.end();
    }
    // the feed learns of the loss when its socket closes: the test waits for that first
    await feed.whenDown();
    expect(feed.live).toBe(false);
    const theirs = await file(other);
    if (!theirs.ok) throw theirs.error;
    expect((await breakdown()).findings.map((f) => f.id)).toContain(theirs.value.finding.id); // no notification needed
    await fx.prisma.member.updateMany({
      where: { identities: { some: { externalId: 'c1' } } },
      data: { locale: 'en' },
    });
    expect((await store.findMember('test', 'c1'))?.locale).toBe('en');
    await feed.whenLive();
    const again = await file(other);
    if (!again.ok) throw again.error;
    const v = await versionInDb();
    await until(async () => (await store.ledgerVersion('hz-2017', 2017)) === v);
    expect((await breakdown()).findings.map((f) => f.id)).toContain(again.value.finding.id);
  });
});

async function actorOf(externalId: string): Promise<Actor> {
  const r = await bot.membership.resolveActor('test', externalId);
  if (!r.ok) throw r.error;
  return r.value;
}
