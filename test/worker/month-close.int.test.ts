// The month-end cycle against the real Redis and PostgreSQL, with an injected clock: the month-end
// reminders (inspectors privately, units with open rectifications in their channel), the close
// after 18:00 on the month's last working day (September 2017: Saturday the 30th, a make-up
// working day) by the system, the 'month:YYYY-MM' snapshot, the summary to the organisers, each
// unit's detail privately, and only what the office publishes in the group channels — all once,
// with two workers. Months missed while the worker was down close at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessenger, SentMessage } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import type { Actor } from '../../core/assessment-api.ts';
import { LIVE_LABEL, monthLabel } from '../../core/ports/standing-snapshots.port.ts';
import { StandingSnapshotsRepository } from '../../prisma/repositories/standing-snapshots.repository.ts';
import { standingsOf } from '../support/core-fixture.ts';
import {
  ORG_CHANNEL,
  channelOf,
  consoleMessenger,
  createWorkerFixture,
  type WorkerFixture,
} from './support/worker-fixture.ts';

const UNITS = ['市发改委', '市经信委', '市教育局', '市科委', '市民族宗教局', '市公安局'] as const;

let wf: WorkerFixture;
let m1: ConsoleMessenger, m2: ConsoleMessenger;
let inspectorEn: Actor;
const contacts: Record<string, Actor[]> = {};

beforeAll(async () => {
  wf = await createWorkerFixture('monthclose', { now: '2017-09-20T10:00:00+08:00' });
  await wf.bind(UNITS);
  for (const u of UNITS) contacts[u] = [await wf.member(`c-${u}`, 'unit_contact', u)];
  contacts.市科委!.push(await wf.member('c2-市科委', 'unit_contact', '市科委'));
  await wf.db.prisma.member.updateMany({
    where: { identities: { some: { platform: 'console', externalId: 'c2-市科委' } } },
    data: { locale: 'en' },
  });
  inspectorEn = await wf.member('insp-en', 'inspector');
  await wf.db.prisma.member.updateMany({
    where: { identities: { some: { platform: 'console', externalId: 'insp-en' } } },
    data: { locale: 'en' },
  });
  // September: deductions for some units (two still open at the month's end), a bonus for one
  let k = 0;
  const file = async (unit: string, clause: string, date: string, extra: Record<string, unknown> = {}) => {
    const r = await wf.bot.findings.file(wf.inspector, {
      unit,
      clause,
      date,
      idempotencyKey: `mc-${++k}`,
      channel: 'test',
      ...extra,
    });
    if (!r.ok) throw r.error;
    return r.value.finding;
  };
  await file('市发改委', '2.1.1a', '2017-09-04', { count: 3 });
  await file('市经信委', '2.1.1a', '2017-09-05', { deadline: '2017-10-20' });
  await file('市教育局', '2.1.1a', '2017-09-06', { deadline: '2017-10-20' });
  await file('市公安局', '2.1.1a', '2017-09-07', { count: 2 });
  m1 = consoleMessenger(UNITS);
  m2 = consoleMessenger(UNITS);
  await wf.start(m1);
  await wf.start(m2); // a second worker process
  await wf.settle();
});
afterAll(async () => wf?.close());

const sent = (): SentMessage[] => [...m1.sent, ...m2.sent];
/** A mark in both workers' messengers, and what was sent since. */
const mark = () => [m1.sent.length, m2.sent.length] as const;
const since = (at: readonly [number, number]): SentMessage[] => [...m1.sent.slice(at[0]), ...m2.sent.slice(at[1])];
const text = (s: SentMessage) => JSON.stringify(s.message);
const rows = (subject: string, kind: string) =>
  wf.db.prisma.notification.findMany({ where: { subjectId: subject, kind }, orderBy: { id: 'asc' } });

describe('month-end reminders', () => {
  it('go out from 3 working days before the last working day, to inspectors privately and to units with open items, once', async () => {
    const run = () => wf.run('reminders', 'month-end-reminder-check', { rulebookId: 'hz-2017' });
    wf.at('2017-09-26', '10:00');
    expect(await run()).toMatchObject({ due: false, reason: 'not-yet' });
    wf.at('2017-09-27', '08:30');
    expect(await run()).toMatchObject({ due: false, reason: 'outside-office-hours' });
    wf.at('2017-09-27', '10:05');
    expect(await run()).toMatchObject({ due: true, month: '2017-09', inspectors: 2, units: 4, sends: 6 });
    await wf.settle();
    wf.at('2017-09-27', '10:35');
    expect(await run()).toMatchObject({ due: true, sends: 0 });
    wf.at('2017-09-28', '10:05');
    expect(await run()).toMatchObject({ due: true, sends: 0 });
    await wf.settle();

    const reminders = sent().filter((s) => /2017-09 (即将结账|closes soon)/.test(s.message.text));
    expect(reminders).toHaveLength(6);
    const toInspectors = reminders.filter((s) => s.operation === 'postPrivate');
    expect(toInspectors.map((s) => s.target).sort()).toEqual([wf.inspector.externalId, inspectorEn.externalId].sort());
    expect(toInspectors.find((s) => s.target === inspectorEn.externalId)!.message.text).toMatch(/closes soon/); // in their language
    expect(toInspectors.find((s) => s.target === wf.inspector.externalId)!.message.text).toMatch(/即将结账/);
    const toUnits = reminders.filter((s) => s.operation === 'postToChannel');
    expect(toUnits.map((s) => s.target).sort()).toEqual(
      ['市发改委', '市经信委', '市教育局', '市公安局'].map(channelOf).sort(),
    ); // the units with open rectifications
    for (const s of toUnits) expect(s.message.mentions).toEqual([`c-${s.target.slice(2)}`]);
    expect((await rows('hz-2017/2017-09', 'month-end-reminder')).every((r) => r.state === 'sent')).toBe(true);
  });
});

describe('month close', () => {
  it('closes months missed while the worker was down at once, but not September before its last working day ends', async () => {
    wf.at('2017-09-29', '18:30'); // a Friday, but September's last working day is Saturday the 30th
    const r = await wf.run('month', 'month-close-check', { rulebookId: 'hz-2017' });
    expect(r.enqueued).toEqual([
      '2017-01',
      '2017-02',
      '2017-03',
      '2017-04',
      '2017-05',
      '2017-06',
      '2017-07',
      '2017-08',
    ]);
    await wf.settle({ timeoutMs: 40_000 });
    const months = await wf.db.prisma.assessmentMonth.findMany({
      where: { rulebookId: 'hz-2017' },
      orderBy: { month: 'asc' },
    });
    expect(months.filter((m) => m.state === 'closed').map((m) => m.month)).toEqual(r.enqueued);
    // every month has its snapshot …
    for (const month of r.enqueued)
      expect(await wf.db.prisma.standingSnapshot.count({ where: { label: `month:${month}` } })).toBeGreaterThan(0);
    // … but catching up is one notice per recipient, never a month-by-month flood: only August's,
    // saying which months it also covers
    const summaries = sent().filter((s) => s.target === ORG_CHANNEL && s.message.text.includes('已结账'));
    expect(summaries.map((s) => s.message.text.slice(0, 7))).toEqual(['2017-08']);
    expect(text(summaries[0]!)).toContain(
      '停机期间到期的 2017-01、2017-02、2017-03、2017-04、2017-05、2017-06、2017-07 已同时结账',
    );
    const perRecipient = new Map<string, number>();
    for (const s of sent().filter((x) => /2017-0\d 结账|已结账/.test(x.message.text)))
      perRecipient.set(s.target, (perRecipient.get(s.target) ?? 0) + 1);
    expect(Math.max(...perRecipient.values())).toBe(1);
    wf.at('2017-09-30', '17:59');
    expect(await wf.run('month', 'month-close-check', { rulebookId: 'hz-2017' })).toEqual({ enqueued: [] });
  });

  it('with no official calendar for today, closes nothing and tells the organisers once, in chat', async () => {
    const before = mark();
    wf.at('2026-03-02', '10:00'); // the rulebook has calendars for 2017 and 2018 only
    expect(await wf.run('month', 'month-close-check', { rulebookId: 'hz-2017' })).toEqual({ enqueued: [] });
    expect(await wf.run('month', 'month-close-check', { rulebookId: 'hz-2017' })).toEqual({ enqueued: [] });
    await wf.settle();
    const alerts = since(before).filter((s) => s.target === ORG_CHANNEL);
    expect(alerts).toHaveLength(1);
    expect(text(alerts[0]!)).toContain('规则中没有 2026 年的法定节假日安排');
    expect(since(before).filter((s) => s.target !== ORG_CHANNEL)).toEqual([]);
    expect(
      await wf.db.prisma.assessmentMonth.count({ where: { rulebookId: 'hz-2017', month: '2017-09', state: 'closed' } }),
    ).toBe(0);
    wf.at('2017-09-29', '18:30');
  });

  it('after 18:00 on the last working day: closed by the system, snapshotted, published once — with two workers and the event', async () => {
    const before = mark();
    wf.at('2017-09-30', '18:00');
    // both workers' schedules fire at once, twice
    await Promise.all(
      [1, 2, 3, 4].map((i) =>
        wf.queues.month.add('month-close-check', { rulebookId: 'hz-2017' }, { jobId: `mcc-${i}` }),
      ),
    );
    await wf.settle();

    const month = await wf.db.prisma.assessmentMonth.findUniqueOrThrow({
      where: { rulebookId_month: { rulebookId: 'hz-2017', month: '2017-09' } },
    });
    expect(month).toMatchObject({ state: 'closed', closedBy: 0 });
    const audit = await wf.db.prisma.auditLog.findMany({ where: { entity: 'month', entityId: 'hz-2017/2017-09' } });
    expect(audit.map((a) => [a.action, a.actorLabel, a.actorId])).toEqual([['month.closed', 'system:worker', null]]);

    const snap = await new StandingSnapshotsRepository(wf.db.prisma).read('hz-2017', 2017, monthLabel('2017-09'));
    expect(snap).toHaveLength(59);
    expect(snap.every((x) => x.asOf === '2017-09-30')).toBe(true);
    // auto-publish (today's flow): the close published the month as the system, version 1, once
    const publications = await wf.db.prisma.publication.findMany({ where: { period: '2017-09' } });
    expect(publications.map((p) => [p.version, p.publishedBy])).toEqual([[1, 'system:worker']]);
    const published1 = await wf.bot.queries.publishedStandings(contacts.市科委![0]!);
    expect(published1.ok && published1.value?.month).toBe('2017-09');

    const news = since(before);
    const september = news.filter((s) => text(s).includes('2017-09'));
    // organisers: the ranked summary with the quota line, once
    const summary = september.filter((s) => s.target === ORG_CHANNEL);
    expect(summary).toHaveLength(1);
    expect(summary[0]!.rendered).toMatch(/先进名额/);
    // each unit's contacts, privately: their own unit's detail, in their language
    const details = september.filter((s) => s.operation === 'postPrivate');
    expect(details.map((s) => s.target).sort()).toEqual(
      Object.values(contacts)
        .flat()
        .map((c) => c.externalId)
        .sort(),
    );
    expect(details.find((s) => s.target === 'c2-市科委')!.message.text).toMatch(/closed: 市科委/);
    // group channels: the advanced units and the unit's own result, never another unit's breakdown
    const published = september.filter((s) => s.operation === 'postToChannel' && s.target !== ORG_CHANNEL);
    expect(published.map((s) => s.target).sort()).toEqual(UNITS.map(channelOf).sort());
    const advanced = new Set(snap.filter((x) => x.advanced).map((x) => x.unit));
    const allUnits = [...wf.rulebook.units.keys()];
    for (const s of published) {
      const own = s.target.slice(2);
      const named = allUnits.filter((u) => text(s).includes(u) && !own.includes(u));
      expect(named.every((u) => advanced.has(u))).toBe(true);
      const ownRow = snap.find((x) => x.unit === own)!;
      expect(s.rendered).toContain(`第 ${ownRow.rank} /`);
      expect(text(s)).not.toMatch(/扣分|基础分/); // no breakdown in a group channel
    }
    for (const s of details) {
      const own = Object.entries(contacts).find(([, cs]) => cs.some((c) => c.externalId === s.target))![0];
      expect(allUnits.filter((u) => u !== own && !own.includes(u) && text(s).includes(u))).toEqual([]);
    }
    expect(september).toHaveLength(1 + details.length + published.length);

    // the month.closed event (and any retry) publishes nothing more
    expect(
      await wf.run('month', 'month-close', { rulebookId: 'hz-2017', year: 2017, month: '2017-09', cause: 'event' }),
    ).toMatchObject({ sends: 0, snapshotRows: 0 });
    await wf.settle();
    expect(since(before)).toHaveLength(september.length);
    expect((await rows('hz-2017/2017-09', 'month-close')).every((r) => r.state === 'sent')).toBe(true);
  });

  it('the published month can be reproduced later; later findings change only the live standings', async () => {
    wf.at('2017-10-09', '10:00');
    const r = await wf.bot.findings.file(wf.inspector, {
      unit: '市科委',
      clause: '2.1.1a',
      count: 5,
      idempotencyKey: 'mc-oct',
      channel: 'test',
    });
    expect(r.ok).toBe(true);
    expect(
      (
        await wf.bot.findings.file(wf.inspector, {
          unit: '市科委',
          clause: '2.1.1a',
          date: '2017-09-29',
          idempotencyKey: 'mc-late',
          channel: 'test',
        })
      ).ok,
    ).toBe(false); // closed
    await wf.settle();
    const snap = await new StandingSnapshotsRepository(wf.db.prisma).read('hz-2017', 2017, monthLabel('2017-09'));
    const again = await standingsOf(wf.bot, '2017-09-30');
    for (const u of again.units)
      expect(snap.find((x) => x.unit === u.unit)).toMatchObject({ total: u.total, rank: u.rank, advanced: u.advanced });
    const liveKw = (await new StandingSnapshotsRepository(wf.db.prisma).read('hz-2017', 2017, LIVE_LABEL)).find(
      (x) => x.unit === '市科委',
    )!;
    expect(liveKw.total).toBeLessThan(snap.find((x) => x.unit === '市科委')!.total);
  });

  it('a month the office reopened is not closed again by the schedule; closing it again publishes a second round once', async () => {
    const before = mark();
    // a published month is reopened with a reason (lifecycle.md)
    expect((await wf.bot.months.setState(wf.organiser, { month: '2017-09', state: 'open' })).ok).toBe(false);
    expect((await wf.bot.months.reopen(wf.organiser, { period: '2017-09', reason: '更正一条事项' })).ok).toBe(true);
    await wf.settle();
    wf.at('2017-10-09', '18:30');
    expect(await wf.run('month', 'month-close-check', { rulebookId: 'hz-2017' })).toEqual({ enqueued: [] });
    await wf.settle();
    expect(
      (
        await wf.db.prisma.assessmentMonth.findUniqueOrThrow({
          where: { rulebookId_month: { rulebookId: 'hz-2017', month: '2017-09' } },
        })
      ).state,
    ).toBe('open');
    expect(since(before)).toEqual([]);

    expect((await wf.bot.months.setState(wf.organiser, { month: '2017-09', state: 'closed' })).ok).toBe(true);
    await wf.settle();
    const round2 = since(before).filter((s) => s.target === ORG_CHANNEL);
    expect(round2).toHaveLength(1);
    expect(round2[0]!.message.text).toMatch(/2017-09/);
    const stages = (await rows('hz-2017/2017-09', 'month-close')).map((r) => r.stage);
    expect(stages.filter((s) => s === 'summary-2')).toHaveLength(1);
    expect(
      await wf.run('month', 'month-close', { rulebookId: 'hz-2017', year: 2017, month: '2017-09', cause: 'event' }),
    ).toMatchObject({ round: 2, sends: 0 });
  });
});
