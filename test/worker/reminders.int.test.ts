// Rectification reminders against the real Redis and PostgreSQL, with an injected clock: the
// due-soon / due-today / overdue stages on the right working days across the 2017 National Day
// holiday (Oct 1–8 off, Saturday Sep 30 a make-up working day), office hours, cancellation by
// verification, a rejection resuming, and two workers sweeping at once sending every reminder once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessenger } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import type { Actor } from '../../core/assessment-api.ts';
import { channelRecipient } from '../../worker/notification-ledger.ts';
import { NotificationLedgerRepository } from '../../prisma/repositories/notification-ledger.repository.ts';
import type { WorkerRuntime } from '../../worker/runtime.ts';
import { reminderKey } from '../../worker/reminders.ts';
import {
  ORG_CHANNEL,
  PLATFORM,
  channelOf,
  consoleMessenger,
  createWorkerFixture,
  type WorkerFixture,
} from './support/worker-fixture.ts';

const UNITS = ['市发改委', '市经信委', '市教育局', '市科委', '市民族宗教局', '市公安局'] as const;
const [UA, UB, UC, UD] = UNITS;

let wf: WorkerFixture;
let m1: ConsoleMessenger;
let rt1: WorkerRuntime;
const contact: Record<string, Actor> = {};
const label = new Map<string, string>(); // finding id → test label
const seqOf = new Map<string, number>(); // finding id → filing number

beforeAll(async () => {
  wf = await createWorkerFixture('reminders', { now: '2017-09-22T10:00:00+08:00' });
  await wf.bind(UNITS);
  for (const u of UNITS) contact[u] = await wf.member(`c-${u}`, 'unit_contact', u);
  m1 = consoleMessenger(UNITS);
  rt1 = await wf.start(m1);
});
afterAll(async () => wf?.close());

let keyN = 0;
async function file(name: string, unit: string, date: string, deadline: string): Promise<string> {
  const r = await wf.bot.findings.file(wf.inspector, {
    unit,
    clause: '2.1.1a',
    date,
    deadline,
    idempotencyKey: `rem-${name}-${++keyN}`,
    channel: 'test',
  });
  if (!r.ok) throw r.error;
  label.set(r.value.finding.id, name);
  seqOf.set(r.value.finding.id, r.value.finding.seq);
  return r.value.finding.id;
}

const sweep = async () => {
  const r = await wf.run('reminders', 'reminder-sweep', { rulebookId: 'hz-2017' });
  await wf.settle();
  return r;
};

let lastRow = 0n;
/** Reminders recorded as sent since the last call: 'A:due_soon→unit', 'B:overdue-1→org' (of the findings labelled `only`). */
async function newlySent(...only: string[]): Promise<string[]> {
  const rows = await wf.db.prisma.notification.findMany({
    where: { kind: 'reminder', state: 'sent', id: { gt: lastRow } },
    orderBy: { id: 'asc' },
  });
  if (rows.length) lastRow = rows.at(-1)!.id;
  return rows
    .filter((r) => only.length === 0 || only.some((l) => (label.get(r.subjectId) ?? '').startsWith(l)))
    .map(
      (r) =>
        `${label.get(r.subjectId) ?? r.subjectId}:${r.stage}→${r.recipient === channelRecipient(PLATFORM, 'organisers') ? 'org' : 'unit'}`,
    )
    .sort();
}

/** Whether a sent message is about this finding (messages show its filing number, #seq). */
const mentionsText = (s: { message: unknown }, findingId: string) =>
  new RegExp(`#${seqOf.get(findingId)}(?!\\d)`).test(JSON.stringify(s.message));

const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1))
    out.push(d.toISOString().slice(0, 10));
  return out;
};

describe('reminder stages on working days across the 2017 National Day holiday', () => {
  it('sends each stage on its working day, once, and nothing on holidays', async () => {
    await file('A', UA, '2017-09-22', '2017-10-10'); // Tue after the holiday
    await file('B', UB, '2017-09-22', '2017-09-29'); // Fri before it; overdue-1 on Saturday 09-30 (make-up day)
    await file('C', UC, '2017-09-22', '2017-10-09'); // Mon, the first working day after it
    await wf.settle();
    expect(await newlySent()).toEqual([]); // filing-day stages are covered by the notice

    const expected: Record<string, string[]> = {
      '2017-09-26': ['B:due_soon→unit'],
      '2017-09-28': ['C:due_soon→unit'],
      '2017-09-29': ['A:due_soon→unit', 'B:due_today→unit'],
      '2017-09-30': ['B:overdue-1→org', 'B:overdue-1→unit'],
      '2017-10-09': ['C:due_today→unit'],
      '2017-10-10': ['A:due_today→unit', 'C:overdue-1→org', 'C:overdue-1→unit'],
      '2017-10-11': ['A:overdue-1→org', 'A:overdue-1→unit', 'B:overdue-2→org', 'B:overdue-2→unit'],
      '2017-10-13': ['C:overdue-2→org', 'C:overdue-2→unit'],
      '2017-10-16': ['A:overdue-2→org', 'A:overdue-2→unit', 'B:overdue-3→org', 'B:overdue-3→unit'],
      '2017-10-18': ['C:overdue-3→org', 'C:overdue-3→unit'],
      '2017-10-19': ['A:overdue-3→org', 'A:overdue-3→unit', 'B:overdue-4→org', 'B:overdue-4→unit'],
    };
    const actual: Record<string, string[]> = {};
    const sweptOn: Record<string, unknown> = {};
    for (const day of days('2017-09-23', '2017-10-19')) {
      wf.at(day, '10:00');
      const r = await sweep();
      sweptOn[day] = r.swept ? 'swept' : r.reason;
      // on the days something is due, the next quarter hour's sweep sends nothing new
      if (day in expected) {
        wf.at(day, '10:15');
        await sweep();
      }
      const sent = await newlySent();
      if (sent.length) actual[day] = sent;
    }
    expect(actual).toEqual(expected);
    for (const d of days('2017-10-01', '2017-10-08')) expect(sweptOn[d]).toBe('not-working-day');
    expect(sweptOn['2017-09-30']).toBe('swept'); // a Saturday, but an official working day
    expect(sweptOn['2017-10-14']).toBe('not-working-day');

    // what was said, where: the unit's channel mentions its contacts; the organisers hear what comes next
    const toUnitB = m1.sentTo(channelOf(UB!));
    expect(toUnitB).toHaveLength(1 + 1 + 4); // due soon, due today, overdue 1–4
    expect(toUnitB.every((s) => s.message.mentions.includes(contact[UB!]!.externalId))).toBe(true);
    const toOrg = m1.sentTo(ORG_CHANNEL);
    expect(toOrg).toHaveLength(4 + 3 + 3); // B: 4, A: 3, C: 3 overdue alerts
    expect(toOrg.every((s) => s.rendered.includes('×2'))).toBe(true); // a repeat finding of that clause now counts double
    // and no message went out twice
    expect(m1.sent.length).toBe(Object.values(expected).flat().length);
  });

  it('sends only inside office hours (default 09:00–18:00) on working days', async () => {
    await file('E', UD, '2017-10-19', '2017-10-20');
    wf.at('2017-10-20', '08:59');
    expect(await sweep()).toMatchObject({ swept: false, reason: 'outside-office-hours' });
    wf.at('2017-10-20', '18:00');
    expect(await sweep()).toMatchObject({ swept: false, reason: 'outside-office-hours' });
    expect(await newlySent('E')).toEqual([]);
    wf.at('2017-10-20', '17:59');
    expect(await sweep()).toMatchObject({ swept: true });
    expect(await newlySent('E')).toEqual(['E:due_today→unit']);
  });
});

describe('changes to a finding', () => {
  it('verifying a rectification cancels its pending reminders (queued and claimed)', async () => {
    wf.at('2017-10-23', '10:00');
    const f = await file('F', UA, '2017-10-23', '2017-10-24');
    await wf.settle();
    wf.at('2017-10-24', '10:00');
    await rt1.workers.notify.pause(); // the reminder is planned but not yet sent …
    await wf.run('reminders', 'reminder-sweep', { rulebookId: 'hz-2017' });
    expect(await wf.queues.notify.getJobCountByTypes('waiting', 'prioritized')).toBeGreaterThan(0);
    // … and another worker has just claimed it (about to send)
    const otherWorker = new NotificationLedgerRepository(wf.db.prisma, { leaseMs: 60_000 });
    const key = reminderKey(f, 'due_today', channelRecipient(PLATFORM, UA!));
    const claim = await otherWorker.claim(key);
    expect(claim.status).toBe('claimed');

    const submitted = await wf.bot.rectification.submit(contact[UA!]!, {
      findingId: f,
      evidenceText: '已整改',
      idempotencyKey: `sub-${f}`,
    });
    expect(submitted.ok).toBe(true);
    const verified = await wf.bot.rectification.verify(wf.inspector, { findingId: f });
    expect(verified.ok && verified.value.status).toBe('verified');
    await wf.settle({ except: ['notify'] }); // finding-changed ran: claimed stages cancelled

    expect(claim.status === 'claimed' && (await otherWorker.beginSend(claim))).toBeNull(); // the other worker may not send
    await rt1.workers.notify.resume();
    await wf.settle();
    expect(m1.sentTo(channelOf(UA!)).some((s) => mentionsText(s, f))).toBe(false);
    expect(await otherWorker.status(key)).toMatchObject({ state: 'claimed', attempts: 0 }); // released, never sent
    expect(await newlySent('F')).toEqual([]);
  });

  it('a rejected submission resumes the reminders at once (the latest stage due)', async () => {
    wf.at('2017-10-23', '10:00');
    const g = await file('G', UC, '2017-10-23', '2017-10-24');
    const submitted = await wf.bot.rectification.submit(contact[UC!]!, {
      findingId: g,
      evidenceText: '已整改',
      idempotencyKey: `sub-${g}`,
    });
    expect(submitted.ok).toBe(true);
    await wf.settle();
    wf.at('2017-10-24', '10:00');
    await sweep();
    expect(await newlySent('G')).toEqual([]); // awaiting verification: no reminders
    const rejected = await wf.bot.rectification.reject(wf.inspector, { findingId: g, reason: '材料不全' });
    expect(rejected.ok).toBe(true);
    await wf.settle(); // finding-changed re-plans: the deadline is today
    expect(await newlySent('G')).toEqual(['G:due_today→unit']);
  });

  it('changing the deadline moves the stages not yet sent; one already sent is not repeated', async () => {
    wf.at('2017-10-25', '10:00');
    const h = await file('H', UB, '2017-10-25', '2017-11-03');
    await wf.settle();
    wf.at('2017-10-31', '10:00'); // 3 working days before Nov 3
    await sweep();
    expect(await newlySent('H')).toEqual(['H:due_soon→unit']);
    const moved = await wf.bot.findings.changeDeadline(wf.inspector, {
      findingId: h,
      deadline: '2017-11-08',
      reason: '延期',
    });
    expect(moved.ok).toBe(true);
    await wf.settle();
    wf.at('2017-11-03', '10:00'); // the old deadline: nothing
    await sweep();
    wf.at('2017-11-06', '10:00'); // due soon again for the new deadline — already sent once
    await sweep();
    expect(await newlySent('H')).toEqual([]);
    wf.at('2017-11-08', '10:00');
    await sweep();
    expect(await newlySent('H')).toEqual(['H:due_today→unit']);
  });
});

describe('two workers', () => {
  it('processing the same schedule at once send each reminder once', async () => {
    const m2 = consoleMessenger(UNITS);
    const rt2 = await wf.start(m2);
    wf.at('2017-11-09', '10:00');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await file(`P${i}`, UNITS[i % UNITS.length]!, '2017-11-09', '2017-11-09'));
    await wf.settle();
    const before = m1.sent.length; // m2 has sent nothing yet
    wf.at('2017-11-10', '10:00'); // overdue-1 for all twelve: unit channel + organisers
    // the scheduled sweep, the startup run of each process and a late cron tick, all at once
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        wf.queues.reminders.add('reminder-sweep', { rulebookId: 'hz-2017' }, { jobId: `dup-sweep-${i}` }),
      ),
    );
    await wf.settle();
    const sent = [...m1.sent, ...m2.sent].slice(before); // both processes' messengers
    const keys = await newlySent('P');
    expect(keys).toHaveLength(24);
    expect(new Set(keys).size).toBe(24);
    for (const id of ids) expect(sent.filter((s) => mentionsText(s, id))).toHaveLength(2);
    expect(m2.sent.length).toBeGreaterThan(0); // the second worker did take part
    await rt2.close();
  });
});

describe('filing notice', () => {
  it('is posted by the worker when the bot posted none, once, and its ref stored', async () => {
    wf.at('2017-11-10', '10:00');
    const f = await file('N', UD, '2017-11-10', '2017-11-24');
    const bot = await file('M', UD, '2017-11-10', '2017-11-24');
    // the bot did post this one (as the inspector who filed it)
    expect((await wf.bot.findings.recordNotice(wf.inspector, { findingId: bot, ref: 'console:bot-posted' })).ok).toBe(
      true,
    );
    await wf.settle();
    const data = (id: string) => ({ rulebookId: 'hz-2017', year: 2017, findingId: id });
    expect(await wf.run('reminders', 'finding-notice', data(f))).toEqual({ posted: 1 });
    expect(await wf.run('reminders', 'finding-notice', data(bot))).toEqual({ skipped: 'bot-posted' });
    await wf.settle();
    const notices = m1.sentTo(channelOf(UD!)).filter((s) => mentionsText(s, f));
    expect(notices).toHaveLength(1);
    expect((await wf.db.prisma.finding.findUniqueOrThrow({ where: { id: f } })).noticeRef).toBe(notices[0]!.ref);
    expect(await wf.run('reminders', 'finding-notice', data(f))).toEqual({ skipped: 'bot-posted' });
  });
});

describe('the count on an overdue reminder', () => {
  it('counts the reminders that were sent: one the platform refused is not counted', async () => {
    const unit = UNITS[5]!;
    wf.at('2017-11-13', '10:00');
    const k = await file('K', unit, '2017-11-13', '2017-11-14');
    await wf.settle();
    wf.at('2017-11-15', '10:00');
    await sweep();
    expect(await newlySent('K')).toEqual(['K:overdue-1→org', 'K:overdue-1→unit']);
    // the unit's first overdue reminder was refused by the platform after all (as the ledger records it)
    const refused = await wf.db.prisma.notification.updateMany({
      where: { subjectId: k, stage: 'overdue-1', recipient: { not: channelRecipient(PLATFORM, 'organisers') } },
      data: { state: 'failed', lastError: 'channel_not_found' },
    });
    expect(refused.count).toBe(1);
    for (const day of days('2017-11-16', '2017-11-21')) {
      wf.at(day, '10:00');
      await sweep();
    }
    expect(await newlySent('K')).toEqual(['K:overdue-2→org', 'K:overdue-2→unit']);
    const toUnit = m1.sentTo(channelOf(unit)).filter((s) => mentionsText(s, k));
    expect(toUnit).toHaveLength(2);
    expect(toUnit[0]!.rendered).toContain('第 1 次提醒');
    expect(toUnit[1]!.rendered).toContain('第 1 次提醒，最多 5 次');
  });
});
