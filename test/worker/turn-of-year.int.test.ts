// The turn of the year in one deployment, against the real Redis and PostgreSQL with an injected
// clock: in early January 2018 the office still closes December 2017 while inspectors file
// January's findings. Each finding belongs to the year of its date and is scored by that year's
// rulebook — here an office-changed 2018 rulebook that doubles clause 2.1.1a, so the two years
// can be told apart by their points — and a finding dated in a year with no rulebook is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessenger } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import type { Assessment } from '../../core/assessment.ts';
import { monthLabel } from '../../core/ports/standing-snapshots.port.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import { rulebookYears } from '../../rules/rulebook-years.ts';
import { standingsOf } from '../support/core-fixture.ts';
import { ORG_CHANNEL, consoleMessenger, createWorkerFixture, type WorkerFixture } from './support/worker-fixture.ts';

const UNITS = ['市公安局', '市科委'] as const;
const base = loadRulebook('hz-2017');
/** The office's 2018 rulebook: 2017's, with 2.1.1a deducting 2 per matter instead of 1. */
const office2018 = {
  ...base.data,
  year: 2018,
  clauses: base.data.clauses.map((c) => (c.id === '2.1.1a' ? { ...c, amount: -2 } : c)),
};
const rulebooks = rulebookYears(base, new Map([[2018, office2018]]));

let wf: WorkerFixture;
let messenger: ConsoleMessenger;
let k = 0;
const file = (date: string | undefined, unit = '市公安局', clause = '2.1.1a') =>
  wf.bot.findings.file(wf.inspector, {
    unit,
    clause,
    ...(date ? { date } : {}),
    idempotencyKey: `toy-${++k}`,
    channel: 'test',
  });
const year = (y: number): Assessment => wf.bot.forYear(y)!;
const totalOf = async (y: number, day: string, unit: string) =>
  (await standingsOf(year(y), day)).units.find((u) => u.unit === unit)!.total;

beforeAll(async () => {
  wf = await createWorkerFixture('turnofyear', { now: '2017-12-20T10:00:00+08:00', rulebooks });
  await wf.bind(UNITS);
  for (const u of UNITS) await wf.member(`c-${u}`, 'unit_contact', u);
  const dec = await file('2017-12-20');
  if (!dec.ok) throw dec.error;
  messenger = consoleMessenger(UNITS);
  // go-live in December: the months before it close silently
  await wf.start(messenger, { startDate: '2017-12-01', autoPublish: false }); // the office publishes
  await wf.settle();
});
afterAll(async () => wf?.close());

describe('the turn of 2017 into 2018', () => {
  it('holds both years side by side, each with its own rulebook and calendar', () => {
    expect(wf.bot.years).toEqual([2017, 2018]);
    expect(year(2017).rulebook.clauses.get('2.1.1a')).toMatchObject({ amount: -1 });
    expect(year(2018).rulebook.clauses.get('2.1.1a')).toMatchObject({ amount: -2 });
    expect(wf.bot.year).toBe(2017); // today's year (the clock is in December)
  });

  it('in January, findings go to the year of their date: late December ones to 2017, January ones to 2018 at its amounts', async () => {
    wf.at('2018-01-03', '10:00');
    expect(wf.bot.year).toBe(2018);
    const lateDec = await file('2017-12-29');
    const jan = await file('2018-01-02');
    const today = await file(undefined); // no date: today, 2018
    for (const r of [lateDec, jan, today]) if (!r.ok) throw r.error;
    const stored = await wf.db.prisma.finding.findMany({ orderBy: { seq: 'asc' }, select: { date: true, year: true } });
    expect(stored.map((f) => [f.date.toISOString().slice(0, 10), f.year])).toEqual([
      ['2017-12-20', 2017],
      ['2017-12-29', 2017],
      ['2018-01-02', 2018],
      ['2018-01-03', 2018],
    ]);
    // 2018's default deadline from its own calendar: 10 working days after 2 January (1 January is a holiday)
    expect(jan.ok && jan.value.finding.deadline).toBe('2018-01-16');
    // each year scored by its rulebook: two 2017 findings at −1, two 2018 findings at −2
    expect(await totalOf(2017, '2017-12-31', '市公安局')).toBe((await totalOf(2017, '2017-12-31', '市科委')) - 2);
    expect(await totalOf(2018, '2018-01-03', '市公安局')).toBe((await totalOf(2018, '2018-01-03', '市科委')) - 4);
    // the views take the year: the unit's breakdown per year
    const contact = await wf.member('c-市公安局', 'unit_contact', '市公安局');
    const b2017 = await year(2017).queries.unitBreakdown(wf.organiser, { unit: '市公安局' });
    const b2018 = await wf.bot.queries.unitBreakdown(contact, {}); // today's year by default
    expect(b2017.ok && b2017.value.findings.map((f) => f.date)).toEqual(['2017-12-20', '2017-12-29']);
    expect(b2018.ok && b2018.value.findings.map((f) => f.date)).toEqual(['2018-01-02', '2018-01-03']);
  });

  it('a finding dated in a year with no rulebook is refused, in the person’s language, and nothing is written', async () => {
    const before = await wf.db.prisma.finding.count();
    for (const date of ['2016-12-30', '2019-01-02']) {
      const r = await file(date);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('YEAR.NO_RULEBOOK');
      expect(r.error.userMessage('zh-CN')).toBe(
        `${date.slice(0, 4)} 年没有考评细则，不能记录或查看该年度的考评事项（现有考核年度：2017, 2018）。`,
      );
      expect(r.error.userMessage('en')).toBe(
        `There is no rulebook for ${date.slice(0, 4)}, so nothing of that year can be filed or looked up (assessment years: 2017, 2018).`,
      );
    }
    expect(await wf.db.prisma.finding.count()).toBe(before);
    const view = await wf.bot.queries.groupStandings(wf.organiser, { asOf: '2019-03-01' });
    expect(!view.ok && view.error.code).toBe('YEAR.NO_RULEBOOK');
  });

  it('December 2017 closes in January while 2018 stays open; December then refuses findings and January takes them', async () => {
    const r = await wf.run('month', 'month-close-check', { rulebookId: 'hz-2017' });
    expect(r.enqueued.at(-1)).toBe('2017-12');
    expect(r.enqueued.filter((m: string) => m.startsWith('2018'))).toEqual([]);
    await wf.settle({ timeoutMs: 40_000 });
    const months = await wf.db.prisma.assessmentMonth.findMany({
      where: { state: 'closed' },
      orderBy: { month: 'asc' },
    });
    expect(months.map((m) => m.month).at(-1)).toBe('2017-12');
    expect(months.some((m) => m.month.startsWith('2018'))).toBe(false);
    // December's snapshot is the 2017 year's, at the 2017 amounts
    const snap = await wf.db.prisma.standingSnapshot.findFirst({
      where: { year: 2017, label: monthLabel('2017-12'), unit: { name: '市公安局' } },
    });
    expect(Number(snap?.total)).toBe(await totalOf(2017, '2017-12-31', '市公安局'));
    expect(await wf.db.prisma.standingSnapshot.count({ where: { year: 2018, label: { startsWith: 'month:' } } })).toBe(
      0,
    );
    // the organisers hear of December's close
    expect(messenger.sent.some((s) => s.target === ORG_CHANNEL && s.message.text.startsWith('2017-12'))).toBe(true);

    const late = await file('2017-12-28');
    expect(!late.ok && late.error.code).toBe('FINDING.MONTH_CLOSED');
    const jan = await file('2018-01-03', '市科委');
    expect(jan.ok).toBe(true);
  });

  it('in January the office publishes December, then the 2017 results, while 2018 goes on', async () => {
    /** Resolve every open tie at the cut by naming as many tied units as there are places. */
    const resolveTies = async (period: string) => {
      const d = await wf.bot.months.draft(wf.organiser, { period });
      if (!d.ok) throw d.error;
      for (const t of d.value.openTies) {
        const r = await wf.bot.months.tieBreak(wf.organiser, {
          period,
          group: t.group,
          choice: { method: 'named', units: t.tied.slice(0, t.remaining) },
          reason: '考核办会议决定',
        });
        if (!r.ok) throw r.error;
      }
    };
    const before = messenger.sent.length;
    await resolveTies('2017-12');
    const dec = await wf.bot.months.publish(wf.organiser, { period: '2017-12' });
    if (!dec.ok) throw dec.error;
    await resolveTies('2017');
    const y = await wf.bot.months.publish(wf.organiser, { period: '2017' });
    if (!y.ok) throw y.error;
    expect(y.value.publication.content.units.find((u) => u.unit === '市公安局')?.total).toBe(
      await totalOf(2017, '2017-12-31', '市公安局'),
    );
    await wf.settle({ timeoutMs: 40_000 });
    // the 通报 of December and of the year reach the unit's group chat
    const toUnit = messenger.sent.slice(before).filter((s) => s.target === 'C-市公安局');
    expect(toUnit.some((s) => s.message.text.includes('2017-12'))).toBe(true);
    expect(toUnit.some((s) => s.message.text.includes('2017 年度'))).toBe(true);
    // 2018 is untouched: January open, its findings filed and counted at the 2018 amounts
    expect((await wf.db.prisma.assessmentMonth.findFirst({ where: { month: '2018-01' } }))?.state).toBe('open');
    const jan = await file('2018-01-03', '市公安局');
    expect(jan.ok && jan.value.result.points).toBe(-2);
    // a period of a year without a rulebook is refused
    const none = await wf.bot.months.publish(wf.organiser, { period: '2019' });
    expect(!none.ok && none.error.code).toBe('YEAR.NO_RULEBOOK');
  });

  it('reminders run for both years: December’s rectification due in January is reminded beside January’s', async () => {
    wf.at('2018-01-04', '10:00'); // the 2017-12-20 finding's deadline day (10 working days, over New Year)
    const sweep = await wf.run('reminders', 'reminder-sweep', { rulebookId: 'hz-2017' });
    expect(sweep).toMatchObject({ swept: true });
    expect(sweep.open).toBe(6); // two December findings and four January ones, all open
    await wf.settle();
    const dueToday = messenger.sent.filter(
      (s) => s.target === 'C-市公安局' && s.message.text.startsWith('今天整改到期'),
    );
    expect(dueToday.length).toBeGreaterThan(0);
    expect(JSON.stringify(dueToday[0]!.message)).toContain('2018-01-04');
  });

  it('the worker refuses a job for a year it holds no rulebook for, without retrying', async () => {
    await expect(wf.run('ledger', 'recompute', { rulebookId: 'hz-2017', year: 2019, cause: 'test' })).rejects.toThrow(
      /has no 2019 assessment \(years: 2017, 2018\)/,
    );
    // and recomputes each year it holds on its own ledger
    const r = await wf.run('ledger', 'recompute', { rulebookId: 'hz-2017', year: 2018, cause: 'test' });
    expect(r).toMatchObject({ rulebookId: 'hz-2017', year: 2018 });
    expect((await standingsOf(year(2018), '2018-01-04')).year).toBe(2018);
  });
});
