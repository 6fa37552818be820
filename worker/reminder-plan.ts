// Which reminder is due now — pure: no I/O, no clock (the caller passes `now`).
//
// Implements the reminder table of shared/spec/lifecycle.md. The decisions this module makes,
// each pinned by test/worker/reminder-plan.test.ts:
//
// 1. Stage dates (working days from the rulebook's official calendar, time zone Asia/Shanghai):
//      due_soon   `dueSoonDays` (3) working days before the deadline
//      due_today  the deadline day; when the deadline itself is not a working day (an explicit
//                 deadline on a holiday), the last working day before it — reminders only go out
//                 on working days, and "due today" after the deadline would be false
//      overdue-1  the first working day after the deadline
//      overdue-k  `overdueEveryDays` (3) working days after overdue-(k-1), k ≤ `overdueMaxTimes` (5)
// 2. Reminders go out only on a working day, inside office hours [start, end).
// 3. One sequence, latest wins: at any moment at most ONE stage is due — the latest stage whose
//    date is on or before today. A stage missed while the worker was down is therefore sent late
//    once (the sweep on the next working day picks it up), unless a later stage has come due in
//    the meantime, which supersedes it: a "due in 3 days" message on the deadline day, or a "due
//    today" message after the deadline, would be wrong. Whether the due stage was already sent
//    is not this module's business: the notification ledger (one row per finding × stage ×
//    recipient) makes sending it idempotent, so the sweep may ask as often as it likes.
// 4. The filing notice covers every stage dated on or before the day the finding was recorded
//    (a finding filed with a short explicit deadline, or backfilled after its deadline, does not
//    get a burst of catch-up reminders right after its notice).
// 5. No reminders for findings without a deadline (bonus and threshold findings), verified or
//    withdrawn findings, and findings whose rectification is submitted and awaiting
//    verification: lifecycle.md says submitting cancels the stages not yet sent, and "a slow
//    verifier never makes a unit late". If the submission is rejected the finding is 'filed'
//    again and rule 3 resumes with the latest stage due (e.g. an overdue stage when the
//    rejection comes after the deadline — a rejected submission does not count).
//    `rectifiedOn` never affects reminders: a finding with a verified rectification is closed.
// 6. Changing the deadline moves the stages not yet sent (they are derived from the deadline);
//    stages already sent are not repeated — "a stage is sent at most once per finding".
// 7. Month end: the month-end reminder is due from `monthEndReminderDays` (3) working days
//    before the month's last working day until that day (office hours, working days; a missed
//    one is sent late once, not after the close). The month closes at `monthCloseAt` (18:00) on
//    the month's last working day; a close missed while the worker was down is due at once.
// 8. Years without official calendar data are never guessed: the decision says 'no-calendar'.

import { z } from 'zod';
import { CalendarMissingError, type WorkingCalendar } from '../rules/calendar.ts';
import { dayNumber } from '../rules/dates.ts';
import type { FindingState } from '../core/assessment-api.ts';

export type DeadlineStage = 'due_soon' | 'due_today';
export type OverdueStage = `overdue-${number}`;
export type ReminderStage = DeadlineStage | OverdueStage;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

export const reminderSettingsSchema = z
  .object({
    dueSoonDays: z.number().int().min(1).max(30),
    overdueEveryDays: z.number().int().min(1).max(30),
    overdueMaxTimes: z.number().int().min(0).max(50),
    /** Reminders go out in [start, end), local time of `timeZone`. */
    officeHours: z
      .object({ start: hhmm, end: hhmm })
      .refine((h) => h.start < h.end, 'office hours must start before they end'),
    timeZone: z.string().min(1),
    monthEndReminderDays: z.number().int().min(0).max(20),
    /** Local time on the month's last working day after which the month closes. */
    monthCloseAt: hhmm,
  })
  .strict();

export type ReminderSettings = z.infer<typeof reminderSettingsSchema>;

/** The defaults of lifecycle.md. */
export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = Object.freeze({
  dueSoonDays: 3,
  overdueEveryDays: 3,
  overdueMaxTimes: 5,
  officeHours: Object.freeze({ start: '09:00', end: '18:00' }),
  timeZone: 'Asia/Shanghai',
  monthEndReminderDays: 3,
  monthCloseAt: '18:00',
}) as ReminderSettings;

/** Defaults overridden by `partial`, validated (throws a ZodError on nonsense). */
export function reminderSettings(partial: Partial<ReminderSettings> = {}): ReminderSettings {
  return reminderSettingsSchema.parse({ ...DEFAULT_REMINDER_SETTINGS, ...partial });
}

// ---- time of day in the assessment's time zone -------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalMoment {
  /** Civil date, 'YYYY-MM-DD'. */
  date: string;
  /** 'HH:MM' */
  time: string;
  /** Minutes since local midnight. */
  minutes: number;
}

// Intl's formatToParts costs tens of microseconds; a sweep asks about the same `now` (and filing
// minutes) thousands of times. Results are per whole minute (all we return), memoised, bounded.
const momentCache = new Map<string, LocalMoment>();

/** The civil date and wall-clock time of an instant in `timeZone`. */
export function localMoment(instant: Date, timeZone: string): LocalMoment {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid instant');
  const key = `${timeZone}|${Math.floor(ms / 60_000)}`;
  const hit = momentCache.get(key);
  if (hit) return hit;
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  const time = `${parts.hour}:${parts.minute}`;
  const moment: LocalMoment = Object.freeze({
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  });
  if (momentCache.size >= 20_000) momentCache.clear();
  momentCache.set(key, moment);
  return moment;
}

/** The instant at which the wall clock in `timeZone` shows `time` on `date`. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const wall = dayNumber(date) * 86_400_000 + (h * 60 + m) * 60_000;
  // Offset of the zone at (about) that moment; a second pass settles DST edges elsewhere.
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const lm = localMoment(new Date(guess), timeZone);
    const shown = dayNumber(lm.date) * 86_400_000 + lm.minutes * 60_000;
    guess += wall - shown;
  }
  return new Date(guess);
}

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export function inOfficeHours(moment: LocalMoment, settings: ReminderSettings): boolean {
  return (
    moment.minutes >= minutesOf(settings.officeHours.start) && moment.minutes < minutesOf(settings.officeHours.end)
  );
}

// ---- finding reminders ---------------------------------------------------------------------------

export interface ReminderFinding {
  deadline: string | null;
  status: FindingState;
  /** Redundant with status 'withdrawn'; either one stops reminders. */
  withdrawn?: boolean;
  /** Accepted for completeness; never changes the decision (see rule 5). */
  rectifiedOn?: string | null;
  /** When the finding was recorded (its notice went out): an instant or an ISO timestamp. */
  filedAt: Date | string;
}

export interface ScheduledStage {
  stage: ReminderStage;
  /** Working day on which the stage is due. */
  date: string;
  /** false when the filing notice covers it (dated on or before the filing day). */
  applicable: boolean;
}

export type NoReminderReason =
  | 'no-deadline' // bonus / threshold findings
  | 'closed' // verified or withdrawn
  | 'awaiting-verification' // submitted, not yet verified or rejected
  | 'not-working-day'
  | 'outside-office-hours'
  | 'nothing-due-yet' // before the first applicable stage
  | 'no-more-reminders' // past the deadline with no overdue stage configured
  | 'no-calendar'; // a date needed lies in a year without official calendar data

export type ReminderDecision =
  | {
      due: ReminderStage;
      /** The stage's scheduled date; earlier than today when it is sent late. */
      scheduledFor: string;
      late: boolean;
      /** Earlier applicable stages, in order: whichever of them was not sent by now never will be. */
      supersedes: ReminderStage[];
      today: string;
    }
  | { due: null; reason: NoReminderReason; today: string };

export const overdueStage = (k: number): OverdueStage => `overdue-${k}`;

/**
 * A plan stage in the terms of core/messages' reminderMessage(locale, stage, finding, { attempt,
 * maxAttempts }): 'overdue-3' → { stage: 'overdue', attempt: 3 }.
 */
export function messageStage(stage: ReminderStage): { stage: 'due_soon' | 'due_today' | 'overdue'; attempt?: number } {
  if (stage === 'due_soon' || stage === 'due_today') return { stage };
  return { stage: 'overdue', attempt: Number(stage.slice('overdue-'.length)) };
}

/** Every stage of the sequence, in order, for the given number of overdue reminders. */
export function allStages(settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): ReminderStage[] {
  return ['due_soon', 'due_today', ...Array.from({ length: settings.overdueMaxTimes }, (_, i) => overdueStage(i + 1))];
}

/** The last working day on or before `date`. */
function workingDayOnOrBefore(calendar: WorkingCalendar, date: string): string {
  return calendar.isWorkingDay(date) ? date : calendar.addWorkingDays(date, -1);
}

// Stage dates are pure functions of (calendar, deadline, stage, day counts): memoised per calendar,
// because every sweep asks for the same few deadlines again and again.
const stageDateCache = new WeakMap<WorkingCalendar, Map<string, string | CalendarMissingError>>();

/** The date of one stage for a deadline (throws CalendarMissingError for unknown years). */
export function stageDate(
  calendar: WorkingCalendar,
  deadline: string,
  stage: ReminderStage,
  settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS,
): string {
  let cache = stageDateCache.get(calendar);
  if (!cache) {
    cache = new Map();
    stageDateCache.set(calendar, cache);
  }
  const key = `${deadline}|${stage}|${settings.dueSoonDays}|${settings.overdueEveryDays}|${settings.overdueMaxTimes}`;
  let hit = cache.get(key);
  if (hit === undefined) {
    try {
      hit = computeStageDate(calendar, deadline, stage, settings);
    } catch (e) {
      if (!(e instanceof CalendarMissingError)) throw e;
      hit = e;
    }
    if (cache.size >= 50_000) cache.clear();
    cache.set(key, hit);
  }
  if (hit instanceof CalendarMissingError) throw hit;
  return hit;
}

function computeStageDate(
  calendar: WorkingCalendar,
  deadline: string,
  stage: ReminderStage,
  settings: ReminderSettings,
): string {
  if (stage === 'due_soon') return calendar.addWorkingDays(deadline, -settings.dueSoonDays);
  if (stage === 'due_today') return workingDayOnOrBefore(calendar, deadline);
  const k = Number(stage.slice('overdue-'.length));
  if (!Number.isInteger(k) || k < 1 || k > settings.overdueMaxTimes)
    throw new RangeError(`no such reminder stage: ${stage}`);
  // addWorkingDays(d, 1) is the first working day after d, whether or not d is a working day.
  return calendar.addWorkingDays(deadline, 1 + settings.overdueEveryDays * (k - 1));
}

function civilDateOf(at: Date | string, timeZone: string): string {
  const instant = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(instant.getTime())) throw new RangeError(`invalid filedAt: ${String(at)}`);
  return localMoment(instant, timeZone).date;
}

/**
 * The full schedule of a finding's reminders (for display: "next reminder on …"). Stages whose
 * date cannot be computed because the calendar lacks the year are left out.
 */
export function reminderSchedule(
  finding: Pick<ReminderFinding, 'deadline' | 'filedAt'>,
  calendar: WorkingCalendar,
  settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS,
): ScheduledStage[] {
  if (finding.deadline === null) return [];
  const filedOn = civilDateOf(finding.filedAt, settings.timeZone);
  const out: ScheduledStage[] = [];
  for (const stage of allStages(settings)) {
    let date: string;
    try {
      date = stageDate(calendar, finding.deadline, stage, settings);
    } catch (e) {
      if (e instanceof CalendarMissingError) continue;
      throw e;
    }
    out.push({ stage, date, applicable: date > filedOn });
  }
  return out;
}

/** Which reminder stage of this finding is due at `now` (at most one; see the rules above). */
export function dueReminder(
  finding: ReminderFinding,
  calendar: WorkingCalendar,
  now: Date,
  settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS,
): ReminderDecision {
  const moment = localMoment(now, settings.timeZone);
  const today = moment.date;
  const none = (reason: NoReminderReason): ReminderDecision => ({ due: null, reason, today });

  if (finding.deadline === null) return none('no-deadline');
  if (finding.withdrawn || finding.status === 'withdrawn' || finding.status === 'verified') return none('closed');
  if (finding.status === 'submitted') return none('awaiting-verification');

  try {
    if (!calendar.isWorkingDay(today)) return none('not-working-day');
  } catch (e) {
    if (e instanceof CalendarMissingError) return none('no-calendar');
    throw e;
  }
  if (!inOfficeHours(moment, settings)) return none('outside-office-hours');

  const filedOn = civilDateOf(finding.filedAt, settings.timeZone);
  const todayN = dayNumber(today);
  let due: { stage: ReminderStage; date: string } | null = null;
  const passed: ReminderStage[] = [];
  for (const stage of allStages(settings)) {
    let date: string;
    try {
      date = stageDate(calendar, finding.deadline, stage, settings);
    } catch (e) {
      if (!(e instanceof CalendarMissingError)) throw e;
      // Today's year is known. A missing later year means this stage lies in the future; a
      // missing earlier year means we cannot tell what is due.
      if (e.year > Number(today.slice(0, 4))) break;
      return none('no-calendar');
    }
    if (dayNumber(date) > todayN) break; // stages are in date order
    if (date <= filedOn) continue; // covered by the filing notice
    if (due) passed.push(due.stage);
    due = { stage, date };
  }
  if (!due) return none('nothing-due-yet');
  // "Due soon" / "due today" are never sent after the deadline (only matters with no overdue stages).
  if ((due.stage === 'due_soon' || due.stage === 'due_today') && today > finding.deadline)
    return none('no-more-reminders');
  return { due: due.stage, scheduledFor: due.date, late: due.date !== today, supersedes: passed, today };
}

// ---- month end ---------------------------------------------------------------------------------

/** The month-end reminder's date: `monthEndReminderDays` working days before the last working day. */
export function monthEndReminderDate(
  calendar: WorkingCalendar,
  month: string,
  settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS,
): string {
  return calendar.addWorkingDays(calendar.lastWorkingDayOfMonth(month), -settings.monthEndReminderDays);
}

/** The instant the month closes: `monthCloseAt` local time on the month's last working day. */
export function monthCloseMoment(
  calendar: WorkingCalendar,
  month: string,
  settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS,
): Date {
  return zonedInstant(calendar.lastWorkingDayOfMonth(month), settings.monthCloseAt, settings.timeZone);
}

export type MonthEndDecision =
  | { due: true; month: string; scheduledFor: string; late: boolean; today: string }
  | {
      due: false;
      month: string;
      reason: 'not-working-day' | 'outside-office-hours' | 'not-yet' | 'too-late' | 'no-calendar';
      today: string;
    };

/**
 * Whether the month-end reminder for the month containing `now` is due. From its date until the
 * month's last working day, inside office hours; the ledger makes it once per month and recipient.
 */
export function monthEndReminderDue(
  calendar: WorkingCalendar,
  now: Date,
  settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS,
): MonthEndDecision {
  const moment = localMoment(now, settings.timeZone);
  const today = moment.date;
  const month = today.slice(0, 7);
  const no = (reason: Extract<MonthEndDecision, { due: false }>['reason']): MonthEndDecision => ({
    due: false,
    month,
    reason,
    today,
  });
  let date: string, last: string;
  try {
    if (!calendar.isWorkingDay(today)) return no('not-working-day');
    last = calendar.lastWorkingDayOfMonth(month);
    date = calendar.addWorkingDays(last, -settings.monthEndReminderDays);
  } catch (e) {
    if (e instanceof CalendarMissingError) return no('no-calendar');
    throw e;
  }
  if (!inOfficeHours(moment, settings)) return no('outside-office-hours');
  if (today < date) return no('not-yet');
  if (today > last || now.getTime() >= monthCloseMoment(calendar, month, settings).getTime()) return no('too-late');
  return { due: true, month, scheduledFor: date, late: today !== date, today };
}

/** Whether `month` ('YYYY-MM') is due to close at `now` (at or after its close moment). */
export function monthCloseDue(
  calendar: WorkingCalendar,
  month: string,
  now: Date,
  settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS,
): boolean {
  return now.getTime() >= monthCloseMoment(calendar, month, settings).getTime();
}

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
