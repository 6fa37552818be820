import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { loadRulebook } from '../../rules/rulebook.ts';
import { dayNumber, isoFromDay } from '../../rules/dates.ts';
import {
  DEFAULT_REMINDER_SETTINGS,
  allStages,
  dueReminder,
  localMoment,
  messageStage,
  monthCloseDue,
  monthCloseMoment,
  monthEndReminderDate,
  monthEndReminderDue,
  previousMonth,
  reminderSchedule,
  reminderSettings,
  stageDate,
  zonedInstant,
  type ReminderFinding,
  type ReminderStage,
} from '../../worker/reminder-plan.ts';

const calendar = loadRulebook('hz-2017').calendar;
/** Shanghai wall-clock time → instant. */
const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`);

// 2017 National Day: Sep 30 (Saturday) is a make-up working day, Oct 1–8 are off, Oct 9 is a Monday.
const base: ReminderFinding = { deadline: '2017-09-29', status: 'filed', filedAt: at('2017-09-15') };

describe('stage dates', () => {
  it('lays out the sequence across the National Day holiday', () => {
    expect(reminderSchedule(base, calendar)).toEqual([
      { stage: 'due_soon', date: '2017-09-26', applicable: true },
      { stage: 'due_today', date: '2017-09-29', applicable: true },
      { stage: 'overdue-1', date: '2017-09-30', applicable: true }, // the make-up Saturday
      { stage: 'overdue-2', date: '2017-10-11', applicable: true }, // Oct 9, 10, 11
      { stage: 'overdue-3', date: '2017-10-16', applicable: true },
      { stage: 'overdue-4', date: '2017-10-19', applicable: true },
      { stage: 'overdue-5', date: '2017-10-24', applicable: true },
    ]);
  });

  it('counts "due soon" back over the holiday and the make-up day', () => {
    // deadline Tue Oct 10: Oct 9 (1), Sat Sep 30 (2), Fri Sep 29 (3)
    expect(stageDate(calendar, '2017-10-10', 'due_soon')).toBe('2017-09-29');
    expect(stageDate(calendar, '2017-10-10', 'overdue-1')).toBe('2017-10-11');
  });

  it('moves "due today" of a deadline on a holiday to the last working day before it', () => {
    expect(
      reminderSchedule({ deadline: '2017-10-04', filedAt: at('2017-09-15') }, calendar).map((s) => [s.stage, s.date]),
    ).toEqual([
      ['due_soon', '2017-09-28'],
      ['due_today', '2017-09-30'],
      ['overdue-1', '2017-10-09'],
      ['overdue-2', '2017-10-12'],
      ['overdue-3', '2017-10-17'],
      ['overdue-4', '2017-10-20'],
      ['overdue-5', '2017-10-25'],
    ]);
  });

  it('marks stages on or before the filing day as covered by the notice', () => {
    const s = reminderSchedule({ deadline: '2017-09-29', filedAt: at('2017-09-26', '17:00') }, calendar);
    expect(s.filter((x) => !x.applicable).map((x) => x.stage)).toEqual(['due_soon']);
  });

  it('has no schedule without a deadline', () => {
    expect(reminderSchedule({ deadline: null, filedAt: at('2017-09-15') }, calendar)).toEqual([]);
  });

  it('leaves out stages in a year without calendar data', () => {
    // 2018-12-31 is the last working day of 2018; overdue stages fall in 2019, which has no data.
    const s = reminderSchedule({ deadline: '2018-12-31', filedAt: at('2018-12-10') }, calendar);
    expect(s.map((x) => x.stage)).toEqual(['due_soon', 'due_today']);
  });

  it('rejects unknown stages', () => {
    expect(() => stageDate(calendar, '2017-09-29', 'overdue-6')).toThrow(RangeError);
    expect(() => stageDate(calendar, '2017-09-29', 'overdue-0')).toThrow(RangeError);
  });
});

describe('dueReminder: one finding through time', () => {
  const cases: Array<[string, string, ReminderStage | string, boolean?]> = [
    // [date, time, expected stage or reason, late?]
    ['2017-09-25', '10:00', 'nothing-due-yet'],
    ['2017-09-26', '08:59', 'outside-office-hours'],
    ['2017-09-26', '09:00', 'due_soon', false],
    ['2017-09-26', '17:59', 'due_soon', false],
    ['2017-09-26', '18:00', 'outside-office-hours'],
    ['2017-09-27', '10:00', 'due_soon', true], // missed yesterday: sent late once (the ledger dedupes)
    ['2017-09-28', '10:00', 'due_soon', true],
    ['2017-09-29', '09:00', 'due_today', false],
    ['2017-09-30', '09:30', 'overdue-1', false], // Saturday, but a make-up working day
    ['2017-10-01', '10:00', 'not-working-day'],
    ['2017-10-07', '10:00', 'not-working-day'], // a Saturday inside the holiday
    ['2017-10-09', '10:00', 'overdue-1', true],
    ['2017-10-10', '10:00', 'overdue-1', true],
    ['2017-10-11', '10:00', 'overdue-2', false],
    ['2017-10-14', '10:00', 'not-working-day'], // an ordinary Saturday
    ['2017-10-16', '10:00', 'overdue-3', false],
    ['2017-10-19', '10:00', 'overdue-4', false],
    ['2017-10-24', '10:00', 'overdue-5', false],
    ['2017-11-20', '10:00', 'overdue-5', true], // the last stage stays due; sent at most once
  ];
  it.each(cases)('%s %s → %s', (date, time, expected, late) => {
    const d = dueReminder(base, calendar, at(date, time));
    if (d.due === null) {
      expect(d.reason).toBe(expected);
    } else {
      expect(d.due).toBe(expected);
      expect(d.late).toBe(late);
      expect(d.today).toBe(date);
    }
  });

  it('reports the superseded earlier stages', () => {
    const d = dueReminder(base, calendar, at('2017-10-11'));
    expect(d).toMatchObject({
      due: 'overdue-2',
      scheduledFor: '2017-10-11',
      supersedes: ['due_soon', 'due_today', 'overdue-1'],
    });
  });

  it('judges the day and the hour in Asia/Shanghai, whatever the instant’s zone', () => {
    expect(dueReminder(base, calendar, new Date('2017-09-26T01:00:00Z'))).toMatchObject({
      due: 'due_soon',
      today: '2017-09-26',
    });
    // 00:30 on Sep 26 in Shanghai is still Sep 25 in UTC
    expect(dueReminder(base, calendar, new Date('2017-09-25T16:30:00Z'))).toMatchObject({
      due: null,
      reason: 'outside-office-hours',
      today: '2017-09-26',
    });
    // 17:59:59 is inside, 18:00:00 outside
    expect(dueReminder(base, calendar, new Date('2017-09-26T09:59:59Z')).due).toBe('due_soon');
    expect(dueReminder(base, calendar, new Date('2017-09-26T10:00:00Z')).due).toBeNull();
  });
});

describe('dueReminder: state of the finding', () => {
  const now = at('2017-10-11');
  it.each([
    ['submitted (awaiting verification)', { status: 'submitted' }, 'awaiting-verification'],
    ['verified', { status: 'verified', rectifiedOn: '2017-09-28' }, 'closed'],
    ['verified late', { status: 'verified', rectifiedOn: '2017-10-09' }, 'closed'],
    ['withdrawn', { status: 'withdrawn' }, 'closed'],
    ['withdrawn flag', { withdrawn: true }, 'closed'],
    ['no deadline (bonus / threshold)', { deadline: null }, 'no-deadline'],
  ] as const)('%s → %s', (_name, patch, reason) => {
    expect(dueReminder({ ...base, ...patch }, calendar, now)).toMatchObject({ due: null, reason });
  });

  it('suppresses "due soon" once the rectification is submitted, and resumes after a rejection', () => {
    expect(dueReminder({ ...base, status: 'submitted' }, calendar, at('2017-09-26')).due).toBeNull();
    // rejected before the deadline: filed again
    expect(dueReminder({ ...base, status: 'filed' }, calendar, at('2017-09-28'))).toMatchObject({
      due: 'due_soon',
      late: true,
    });
    // rejected after the deadline: the unit is overdue — a rejected submission does not count
    expect(dueReminder({ ...base, status: 'filed' }, calendar, at('2017-10-12'))).toMatchObject({
      due: 'overdue-2',
      late: true,
    });
  });

  it('ignores rectifiedOn for open findings', () => {
    expect(dueReminder({ ...base, rectifiedOn: '2017-09-20' }, calendar, at('2017-09-26')).due).toBe('due_soon');
  });

  it('follows a changed deadline: stages not yet sent move', () => {
    const moved = { ...base, deadline: '2017-10-20' };
    expect(dueReminder(moved, calendar, at('2017-09-30')).due).toBeNull(); // old overdue-1 day
    expect(dueReminder(moved, calendar, at('2017-10-17')).due).toBe('due_soon');
    expect(dueReminder(moved, calendar, at('2017-10-20')).due).toBe('due_today');
  });
});

describe('dueReminder: findings filed late or backfilled', () => {
  it('does not send stages the filing notice covered', () => {
    const filedOnDueSoonDay = { ...base, filedAt: at('2017-09-26', '09:30') };
    expect(dueReminder(filedOnDueSoonDay, calendar, at('2017-09-26', '10:00'))).toMatchObject({
      due: null,
      reason: 'nothing-due-yet',
    });
    expect(dueReminder(filedOnDueSoonDay, calendar, at('2017-09-27'))).toMatchObject({
      due: null,
      reason: 'nothing-due-yet',
    });
    expect(dueReminder(filedOnDueSoonDay, calendar, at('2017-09-29')).due).toBe('due_today');

    const filedOnDeadline = { ...base, filedAt: at('2017-09-29', '11:00') };
    expect(dueReminder(filedOnDeadline, calendar, at('2017-09-29', '15:00')).due).toBeNull();
    expect(dueReminder(filedOnDeadline, calendar, at('2017-09-30')).due).toBe('overdue-1');
  });

  it('starts a backfilled, already overdue finding at the next overdue stage', () => {
    const backfilled = { ...base, filedAt: at('2017-10-12') };
    expect(dueReminder(backfilled, calendar, at('2017-10-13')).due).toBeNull();
    expect(dueReminder(backfilled, calendar, at('2017-10-16'))).toMatchObject({ due: 'overdue-3', supersedes: [] });
  });

  it('takes filedAt as an ISO string or a Date, in Shanghai time', () => {
    // 2017-09-25T17:00Z is Sep 26 01:00 in Shanghai: filed on the due-soon day
    expect(dueReminder({ ...base, filedAt: '2017-09-25T17:00:00Z' }, calendar, at('2017-09-27')).due).toBeNull();
    expect(dueReminder({ ...base, filedAt: '2017-09-25T15:00:00Z' }, calendar, at('2017-09-27')).due).toBe('due_soon');
    expect(() => dueReminder({ ...base, filedAt: 'yesterday' }, calendar, at('2017-09-27'))).toThrow(RangeError);
  });
});

describe('dueReminder: settings and calendar limits', () => {
  it('honours other settings', () => {
    const s = reminderSettings({
      dueSoonDays: 1,
      overdueEveryDays: 1,
      overdueMaxTimes: 2,
      officeHours: { start: '08:30', end: '12:00' },
    });
    expect(allStages(s)).toEqual(['due_soon', 'due_today', 'overdue-1', 'overdue-2']);
    expect(dueReminder(base, calendar, at('2017-09-28', '08:30'), s).due).toBe('due_soon');
    expect(dueReminder(base, calendar, at('2017-09-28', '12:00'), s).due).toBeNull();
    expect(dueReminder(base, calendar, at('2017-10-09', '09:00'), s).due).toBe('overdue-2');
    expect(dueReminder(base, calendar, at('2017-12-01', '09:00'), s).due).toBe('overdue-2');
  });

  it('sends nothing after the deadline when no overdue stage is configured', () => {
    const s = reminderSettings({ overdueMaxTimes: 0 });
    expect(dueReminder(base, calendar, at('2017-09-29'), s).due).toBe('due_today');
    expect(dueReminder(base, calendar, at('2017-09-30'), s)).toMatchObject({ due: null, reason: 'no-more-reminders' });
  });

  it('rejects nonsense settings', () => {
    expect(() => reminderSettings({ officeHours: { start: '18:00', end: '09:00' } })).toThrow();
    expect(() => reminderSettings({ dueSoonDays: 0 })).toThrow();
    expect(() => reminderSettings({ monthCloseAt: '25:00' })).toThrow();
  });

  it('refuses to guess in a year without official calendar data', () => {
    expect(dueReminder({ ...base, deadline: '2019-03-01' }, calendar, at('2019-03-01'))).toMatchObject({
      due: null,
      reason: 'no-calendar',
    });
    expect(
      dueReminder({ ...base, deadline: '2016-12-30', filedAt: at('2016-12-01') }, calendar, at('2017-01-04')),
    ).toMatchObject({ due: null, reason: 'no-calendar' });
  });

  it('works at the edge of the known years (later stages in an unknown year are simply not due yet)', () => {
    const f = { ...base, deadline: '2018-12-31', filedAt: at('2018-12-10') };
    expect(dueReminder(f, calendar, at('2018-12-26')).due).toBe('due_soon');
    expect(dueReminder(f, calendar, at('2018-12-31')).due).toBe('due_today');
  });
});

describe('time zone helpers', () => {
  it('converts between instants and Shanghai wall-clock time', () => {
    expect(localMoment(new Date('2017-09-30T10:00:00Z'), 'Asia/Shanghai')).toEqual({
      date: '2017-09-30',
      time: '18:00',
      minutes: 1080,
    });
    expect(zonedInstant('2017-09-30', '18:00', 'Asia/Shanghai').toISOString()).toBe('2017-09-30T10:00:00.000Z');
    expect(zonedInstant('2017-01-01', '00:00', 'Asia/Shanghai').toISOString()).toBe('2016-12-31T16:00:00.000Z');
  });
  it('knows the month before', () => {
    expect(previousMonth('2017-01')).toBe('2016-12');
    expect(previousMonth('2017-10')).toBe('2017-09');
  });
});

describe('month end', () => {
  it.each([
    ['2017-01', '2017-01-23', '2017-01-26'], // Spring Festival starts Fri Jan 27
    ['2017-04', '2017-04-25', '2017-04-28'], // Apr 29–May 1 off
    ['2017-09', '2017-09-27', '2017-09-30'], // the last working day is the make-up Saturday
    ['2017-10', '2017-10-26', '2017-10-31'],
    ['2017-12', '2017-12-26', '2017-12-29'],
  ])('%s: reminder on %s, close after 18:00 on %s', (month, reminder, last) => {
    expect(monthEndReminderDate(calendar, month)).toBe(reminder);
    expect(monthCloseMoment(calendar, month).toISOString()).toBe(new Date(`${last}T18:00:00+08:00`).toISOString());
  });

  it.each([
    ['2017-09-26', '10:00', false, 'not-yet'],
    ['2017-09-27', '08:00', false, 'outside-office-hours'],
    ['2017-09-27', '09:00', true, false],
    ['2017-09-29', '10:00', true, true], // missed: sent late once
    ['2017-09-30', '17:00', true, true], // the make-up Saturday, before the close
    ['2017-09-30', '18:30', false, 'outside-office-hours'],
    ['2017-10-01', '10:00', false, 'not-working-day'],
    ['2017-10-09', '10:00', false, 'not-yet'], // a new month: October's reminder is on Oct 26
  ] as const)('month-end reminder at %s %s → %s', (date, time, due, detail) => {
    const d = monthEndReminderDue(calendar, at(date, time));
    expect(d.due).toBe(due);
    if (d.due) expect(d.late).toBe(detail);
    else expect(d.reason).toBe(detail);
  });

  it('is too late for the month-end reminder after the last working day', () => {
    // Saturday 2017-12-30 is not a working day; Dec 29 was the last working day
    expect(monthEndReminderDue(calendar, at('2017-12-30'))).toMatchObject({ due: false, reason: 'not-working-day' });
    const s = reminderSettings({ monthCloseAt: '12:00' });
    expect(monthEndReminderDue(calendar, at('2017-12-29', '13:00'), s)).toMatchObject({
      due: false,
      reason: 'too-late',
    });
  });

  it('closes the month at 18:00 on its last working day, or as soon as possible after', () => {
    expect(monthCloseDue(calendar, '2017-09', at('2017-09-30', '17:59'))).toBe(false);
    expect(monthCloseDue(calendar, '2017-09', at('2017-09-30', '18:00'))).toBe(true);
    expect(monthCloseDue(calendar, '2017-09', at('2017-10-09', '03:00'))).toBe(true);
    expect(monthCloseDue(calendar, '2017-10', at('2017-10-09', '03:00'))).toBe(false);
  });

  it('refuses a year without calendar data', () => {
    expect(monthEndReminderDue(calendar, at('2019-05-06'))).toMatchObject({ due: false, reason: 'no-calendar' });
  });
});

// ---- simulation: hourly sweeps with the worker randomly down, a Set standing in for the ledger ----

const DAY0 = dayNumber('2017-01-03');
/** Sweeps at hh:15 — before, at the start of, inside and after office hours. */
const SWEEP_HOURS = [8, 9, 11, 14, 17, 18];
const DAYN = dayNumber('2017-12-15');

type Sent = Array<{ stage: ReminderStage; on: string; hour: number }>;

/** Sweeps at SWEEP_HOURS on each day unless `down`; `sent` doubles as the ledger. */
function simulate(
  f: ReminderFinding,
  from: number,
  to: number,
  down: (day: number, hour: number) => boolean,
  sent: Sent = [],
): Sent {
  const ledger = new Set<ReminderStage>(sent.map((s) => s.stage));
  for (let day = from; day <= to; day++) {
    for (const hour of SWEEP_HOURS) {
      if (down(day, hour)) continue;
      const d = dueReminder(f, calendar, at(isoFromDay(day), `${String(hour).padStart(2, '0')}:15`));
      if (d.due && !ledger.has(d.due)) {
        ledger.add(d.due);
        sent.push({ stage: d.due, on: isoFromDay(day), hour });
      }
    }
  }
  return sent;
}

describe('simulation (property-based)', () => {
  const scenario = fc.record({
    deadline: fc.integer({ min: DAY0 + 10, max: DAYN - 40 }),
    filedBefore: fc.integer({ min: 0, max: 25 }),
    downDays: fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 25 }),
    downHours: fc.uniqueArray(fc.constantFrom(9, 11, 14, 17), { maxLength: 3 }),
  });

  it('without downtime, sends every applicable stage exactly once, on its day, at 09:xx', () => {
    fc.assert(
      fc.property(scenario, ({ deadline, filedBefore }) => {
        const f: ReminderFinding = {
          deadline: isoFromDay(deadline),
          status: 'filed',
          filedAt: at(isoFromDay(deadline - filedBefore), '08:00'),
        };
        const expected = reminderSchedule(f, calendar).filter((s) => s.applicable);
        const sent = simulate(f, deadline - filedBefore, deadline + 32, () => false);
        expect(sent.map((s) => [s.stage, s.on])).toEqual(expected.map((s) => [s.stage, s.date]));
        for (const s of sent) expect(s.hour).toBe(9);
      }),
      { numRuns: 100 },
    );
  });

  it('with downtime, sends stages in order, at most once, on working days in office hours, never a stale "due" message', () => {
    fc.assert(
      fc.property(scenario, ({ deadline, filedBefore, downDays, downHours }) => {
        const from = deadline - filedBefore;
        const f: ReminderFinding = {
          deadline: isoFromDay(deadline),
          status: 'filed',
          filedAt: at(isoFromDay(from), '08:00'),
        };
        const downSet = new Set(downDays.map((d) => from + d));
        const hours = new Set<number>(downHours);
        const down = (day: number, hour: number) => downSet.has(day) || (day % 3 === 0 && hours.has(hour));
        const sent = simulate(f, from, deadline + 32, down);
        const order = allStages();
        const schedule = new Map(reminderSchedule(f, calendar).map((s) => [s.stage, s]));
        let prev = -1;
        for (const s of sent) {
          const i = order.indexOf(s.stage);
          expect(i).toBeGreaterThan(prev); // in order, each at most once
          prev = i;
          expect(calendar.isWorkingDay(s.on)).toBe(true);
          expect(s.hour).toBeGreaterThanOrEqual(9);
          expect(s.hour).toBeLessThan(18);
          const sched = schedule.get(s.stage)!;
          expect(sched.applicable).toBe(true);
          expect(s.on >= sched.date).toBe(true); // never early
          if (s.stage === 'due_soon' || s.stage === 'due_today') expect(s.on <= f.deadline!).toBe(true);
          // a late stage is sent only if no later stage had come due by then
          const next = order[i + 1];
          const nextDate = next ? schedule.get(next)?.date : undefined;
          if (nextDate) expect(s.on < nextDate).toBe(true);
        }
        // a stage is skipped only when the worker was down for every office-hours sweep from its
        // day until the next stage's day (then the later stage supersedes it)
        const sentStages = new Set(sent.map((s) => s.stage));
        for (const [stage, sched] of schedule) {
          const next = order[order.indexOf(stage) + 1];
          const nextDate = next ? schedule.get(next)?.date : undefined;
          if (!sched.applicable || sentStages.has(stage) || !nextDate) continue;
          for (let day = dayNumber(sched.date); day < dayNumber(nextDate); day++) {
            if (!calendar.isWorkingDay(isoFromDay(day))) continue;
            for (const hour of SWEEP_HOURS.filter((h) => h >= 9 && h < 18)) expect(down(day, hour)).toBe(true);
          }
        }
        // the last stage always goes out once the worker is back
        simulate(f, deadline + 33, deadline + 50, () => false, sent);
        expect(sent.map((s) => s.stage)).toContain(order[order.length - 1]);
        expect(new Set(sent.map((s) => s.stage)).size).toBe(sent.length);
      }),
      { numRuns: 100 },
    );
  });

  it('never sends anything for a finding awaiting verification, verified or withdrawn', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: DAY0 + 10, max: DAYN - 40 }),
        fc.constantFrom('submitted', 'verified', 'withdrawn'),
        (deadline, status) => {
          const f: ReminderFinding = {
            deadline: isoFromDay(deadline),
            status: status as ReminderFinding['status'],
            filedAt: at(isoFromDay(deadline - 15)),
          };
          expect(simulate(f, deadline - 15, deadline + 30, () => false)).toEqual([]);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('messageStage', () => {
  it("maps plan stages to the message builders' stages", () => {
    expect(messageStage('due_soon')).toEqual({ stage: 'due_soon' });
    expect(messageStage('due_today')).toEqual({ stage: 'due_today' });
    expect(messageStage('overdue-3')).toEqual({ stage: 'overdue', attempt: 3 });
  });
});

describe('defaults', () => {
  it('match lifecycle.md', () => {
    expect(DEFAULT_REMINDER_SETTINGS).toMatchObject({
      dueSoonDays: 3,
      overdueEveryDays: 3,
      overdueMaxTimes: 5,
      officeHours: { start: '09:00', end: '18:00' },
      timeZone: 'Asia/Shanghai',
      monthEndReminderDays: 3,
      monthCloseAt: '18:00',
    });
    expect(allStages()).toHaveLength(7);
  });
});
