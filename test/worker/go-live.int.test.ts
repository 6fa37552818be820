import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessenger } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import { consoleMessenger, createWorkerFixture, ORG_CHANNEL, type WorkerFixture } from './support/worker-fixture.ts';

// Going live on a database that already holds a year of findings (lifecycle.md "Go-live"): the
// worker's first start sends nothing about months that ended before the start date, and catching
// up after downtime is at most one combined notice per recipient.

const UNITS = ['市发改委', '市经信委', '市公安局'] as const;

let wf: WorkerFixture;

beforeAll(async () => {
  wf = await createWorkerFixture('golive', { now: '2017-12-05T10:00:00+08:00' });
  await wf.bind(UNITS);
  for (const u of UNITS) await wf.member(`c-${u}`, 'unit_contact', u);
  // a year of past findings, filed without the bot (an import): no notices, open deadlines long past
  let k = 0;
  for (const month of ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11'])
    for (const unit of UNITS) {
      const r = await wf.bot.findings.file(wf.inspector, {
        unit,
        clause: '2.1.1a',
        date: `2017-${month}-10`,
        idempotencyKey: `gl-${++k}`,
        channel: 'import',
      });
      if (!r.ok) throw r.error;
    }
});
afterAll(async () => wf?.close());

describe('go-live', () => {
  let m: ConsoleMessenger;

  it('first start: months before the stored start date close silently; imported findings get no notice and no reminder', async () => {
    m = consoleMessenger(UNITS);
    // no KAOPING_START_DATE: the start date is the day of the first start, stored
    await wf.start(m, { startDate: undefined, noticeGraceMs: 0 });
    await wf.settle({ timeoutMs: 60_000 }); // the filing events: notices for imported findings
    // the start-up runs of the schedules
    expect((await wf.run('month', 'month-close-check', { rulebookId: 'hz-2017' })).enqueued).toHaveLength(11);
    expect(await wf.run('reminders', 'reminder-sweep', { rulebookId: 'hz-2017' })).toMatchObject({
      swept: true,
      sends: 0,
    });
    await wf.run('reminders', 'month-end-reminder-check', { rulebookId: 'hz-2017' });
    await wf.settle({ timeoutMs: 60_000 });
    expect(m.sent.map((x) => x.message.text)).toEqual([]);
    const closed = await wf.db.prisma.assessmentMonth.findMany({
      where: { rulebookId: 'hz-2017', state: 'closed' },
      orderBy: { month: 'asc' },
    });
    expect(closed.map((x) => x.month)).toEqual([
      '2017-01',
      '2017-02',
      '2017-03',
      '2017-04',
      '2017-05',
      '2017-06',
      '2017-07',
      '2017-08',
      '2017-09',
      '2017-10',
      '2017-11',
    ]);
    for (const x of closed)
      expect(await wf.db.prisma.standingSnapshot.count({ where: { label: `month:${x.month}` } })).toBeGreaterThan(0);
    const stored = await wf.db.prisma.deployment.findUniqueOrThrow({ where: { id: 1 } });
    expect(stored.startDate.toISOString().slice(0, 10)).toBe('2017-12-05');
  }, 120_000);

  it('the first month after go-live is published, once per recipient', async () => {
    wf.at('2017-12-29', '18:30');
    const before = m.sent.length;
    const r = await wf.run('month', 'month-close-check', { rulebookId: 'hz-2017' });
    expect(r.enqueued).toEqual(['2017-12']);
    await wf.settle({ timeoutMs: 60_000 });
    // December published (auto-publish) also opens the year's review: its draft goes to the
    // organisers once, besides the month's messages (one per recipient)
    const isYearDraft = (text: string) => text.startsWith('2017 年度考评结果草稿');
    const sent = m.sent.slice(before);
    const yearDrafts = sent.filter((s) => isYearDraft(s.message.text));
    expect(yearDrafts.map((s) => s.target)).toEqual([ORG_CHANNEL]);
    const perRecipient = new Map<string, number>();
    for (const s of sent.filter((x) => !isYearDraft(x.message.text)))
      perRecipient.set(s.target, (perRecipient.get(s.target) ?? 0) + 1);
    expect(sent.length).toBeGreaterThan(1);
    expect(Math.max(...perRecipient.values())).toBe(1);
    expect([...perRecipient.keys()]).toContain(ORG_CHANNEL);
  }, 120_000);
});
