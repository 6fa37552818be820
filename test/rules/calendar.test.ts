// Rectification deadlines (Semantics 8) and the official working-day calendars.
import { describe, expect, it } from 'vitest';
import { CalendarMissingError, WorkingCalendar } from '../../rules/calendar.ts';
import { checkFinding } from '../../rules/finding-check.ts';
import { findingOf, hz, scoreUnit } from './support.ts';

describe('official calendars of hz-2017', () => {
  it.each([
    ['2017-01-02', false], // New Year (Monday)
    ['2017-01-22', true], // Sunday make-up day
    ['2017-01-27', false], // Spring Festival
    ['2017-02-02', false],
    ['2017-02-03', true],
    ['2017-02-04', true], // Saturday make-up day
    ['2017-04-01', true], // Saturday make-up day
    ['2017-04-04', false], // Qingming
    ['2017-05-01', false],
    ['2017-05-27', true],
    ['2017-05-30', false],
    ['2017-09-30', true], // Saturday make-up day before National Day
    ['2017-10-01', false],
    ['2017-10-06', false], // a Friday inside the National Day break
    ['2017-10-08', false], // Sunday, last day off
    ['2017-10-09', true],
    ['2017-10-14', false], // ordinary Saturday
    ['2017-12-29', true],
    ['2018-01-01', false],
    ['2018-02-11', true],
    ['2018-02-16', false],
    ['2018-02-24', true],
  ] as const)('%s working day: %s', (date, working) => {
    expect(hz.calendar.isWorkingDay(date)).toBe(working);
  });

  it('refuses a year it has no calendar for', () => {
    expect(() => hz.calendar.isWorkingDay('2019-03-01')).toThrow(CalendarMissingError);
    expect(() => hz.calendar.isWorkingDay('2016-12-30')).toThrow(/2016/);
  });

  it('last working day of a month', () => {
    expect(hz.calendar.lastWorkingDayOfMonth('2017-09')).toBe('2017-09-30'); // a make-up Saturday
    expect(hz.calendar.lastWorkingDayOfMonth('2017-04')).toBe('2017-04-28');
    expect(hz.calendar.lastWorkingDayOfMonth('2017-12')).toBe('2017-12-29');
  });

  it('working days between two dates', () => {
    expect(hz.calendar.workingDaysBetween('2017-09-28', '2017-10-18')).toBe(10);
    expect(hz.calendar.workingDaysBetween('2017-10-18', '2017-09-28')).toBe(-10);
    expect(hz.calendar.workingDaysBetween('2017-10-02', '2017-10-02')).toBe(0);
  });
});

describe('default deadline: the 10th working day after the finding date (day 0)', () => {
  it.each([
    ['2017-03-01', '2017-03-15'], // ordinary fortnight
    ['2017-03-04', '2017-03-17'], // found on a Saturday
    ['2017-01-20', '2017-02-08'], // Spring Festival, with make-up days Jan 22 and Feb 4
    ['2017-03-31', '2017-04-17'], // Qingming, with make-up day Apr 1
    ['2017-05-25', '2017-06-09'], // Dragon Boat, with make-up day May 27
    ['2017-09-28', '2017-10-18'], // National Day: Sep 30 is worked, Oct 1–8 off
    ['2017-09-29', '2017-10-19'],
    ['2017-09-30', '2017-10-20'], // found on the make-up Saturday
    ['2017-10-03', '2017-10-20'], // found during the holiday
    ['2017-12-20', '2018-01-04'], // crosses into 2018, skipping 2018-01-01
    ['2017-12-29', '2018-01-15'],
    ['2017-12-31', '2018-01-15'],
  ] as const)('found %s → due %s', (date, deadline) => {
    expect(hz.calendar.addWorkingDays(date, 10)).toBe(deadline);
    const u = scoreUnit('市司法局', [{ id: 'f', clause: '2.1.1a', date }], { rulebook: hz });
    expect(findingOf(u, 'f').deadline).toBe(deadline);
  });

  it('an explicit deadline overrides the default', () => {
    const u = scoreUnit('市司法局', [{ id: 'f', clause: '2.1.1a', date: '2017-03-01', deadline: '2017-03-02' }], {
      rulebook: hz,
    });
    expect(findingOf(u, 'f').deadline).toBe('2017-03-02');
  });

  it('an explicit deadline on the finding date is accepted', () => {
    const u = scoreUnit('市司法局', [{ id: 'f', clause: '2.1.1a', date: '2017-03-01', deadline: '2017-03-01' }], {
      rulebook: hz,
    });
    expect(findingOf(u, 'f').deadline).toBe('2017-03-01');
  });

  it('check reports whether the deadline is the default', () => {
    const a = checkFinding(hz, { unit: '市司法局', clause: '2.1.1a', date: '2017-03-01' }, { year: 2017 });
    const b = checkFinding(
      hz,
      { unit: '市司法局', clause: '2.1.1a', date: '2017-03-01', deadline: '2017-03-20' },
      { year: 2017 },
    );
    expect(a.ok && [a.finding.deadline, a.finding.deadlineIsDefault]).toEqual(['2017-03-15', true]);
    expect(b.ok && [b.finding.deadline, b.finding.deadlineIsDefault]).toEqual(['2017-03-20', false]);
  });
});

describe('a deadline in a year with no calendar is refused, not guessed', () => {
  const only2017 = new WorkingCalendar({ '2017': hz.data.calendars['2017']! });

  it('the calendar throws CalendarMissingError naming the year', () => {
    expect(only2017.addWorkingDays('2017-12-14', 10)).toBe('2017-12-28');
    expect(() => only2017.addWorkingDays('2017-12-20', 10)).toThrow(CalendarMissingError);
    try {
      only2017.addWorkingDays('2017-12-20', 10);
    } catch (e) {
      expect((e as CalendarMissingError).year).toBe(2018);
    }
  });

  it('checkFinding refuses the default deadline with a deadline issue', () => {
    const rb = { ...hz, calendar: only2017 };
    const r = checkFinding(rb, { unit: '市司法局', clause: '2.1.1a', date: '2017-12-20' }, { year: 2017 });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues).toEqual([
        expect.objectContaining({
          code: 'DEADLINE_NO_CALENDAR',
          field: 'deadline',
          params: { field: 'deadline', year: 2018 },
        }),
      ]);
    // A finding that needs no deadline (threshold, bonus) is fine.
    expect(
      checkFinding(rb, { unit: '市司法局', clause: '5.2.1a', value: 90, date: '2017-12-29' }, { year: 2017 }).ok,
    ).toBe(true);
    expect(checkFinding(rb, { unit: '市司法局', clause: '6.1.1b', date: '2017-12-29' }, { year: 2017 }).ok).toBe(true);
  });
});
