// reminders/reminder-sweep (every 15 minutes in office hours, every day — the job checks the
// official calendar): for each open finding, the reminder stage due now (reminder-plan.ts) →
// one send job per recipient: the unit's group channel with its contacts mentioned, and for
// overdue stages the organisers' channel too. Only on working days, inside office hours. Running
// it twice, or on two workers at once, is harmless: send job ids and the notification ledger
// make every (finding, stage, recipient) go out once.

import type { Job } from 'bullmq';
import { z } from 'zod';
import { CalendarMissingError } from '../../rules/calendar.ts';
import { assessmentFor, parseJobData, rulebookIdSchema, type Assessment, type WorkerDeps } from '../context.ts';
import { calendarMissingMessage } from '../messages.ts';
import { NOTIFICATION_KINDS, channelRecipient } from '../notification-ledger.ts';
import { enqueueSends, enqueueUnsettled, type SendJobData } from '../../adapters/queue/queues.ts';
import { ORGANISERS_SCOPE, Recipients } from '../recipients.ts';
import { inOfficeHours, localMoment } from '../reminder-plan.ts';
import { mayNeedReminder, planReminders } from '../reminders.ts';

export const reminderSweepDataSchema = z.object({ rulebookId: rulebookIdSchema });

export type SweepResult =
  | {
      swept: true;
      today: string;
      open: number;
      due: number;
      settled: number;
      sends: number;
      unbound: number;
      ms: number;
      phases: { loadMs: number; planMs: number; enqueueMs: number };
    }
  | { swept: false; today: string; reason: 'not-working-day' | 'outside-office-hours' | 'no-calendar' };

type SweepDeps = Pick<
  WorkerDeps,
  | 'assessments'
  | 'startDate'
  | 'recipients'
  | 'store'
  | 'clock'
  | 'queues'
  | 'ledger'
  | 'platforms'
  | 'settings'
  | 'locale'
  | 'logger'
>;

/** Why reminders cannot go out now, or null when it is a working day inside office hours. */
export function reminderWindowClosed(
  a: Assessment,
  now: Date,
  settings: WorkerDeps['settings'],
): 'not-working-day' | 'outside-office-hours' | CalendarMissingError | null {
  const m = localMoment(now, settings.timeZone);
  try {
    if (!a.rulebook.calendar.isWorkingDay(m.date)) return 'not-working-day';
  } catch (e) {
    if (e instanceof CalendarMissingError) return e;
    throw e;
  }
  return inOfficeHours(m, settings) ? null : 'outside-office-hours';
}

/** Once per missing year, to the organisers: reminders are paused until the calendar is added. */
export async function alertCalendarMissing(
  deps: Pick<SweepDeps, 'recipients' | 'platforms' | 'queues' | 'ledger' | 'locale'>,
  a: Assessment,
  year: number,
): Promise<void> {
  const recipients = new Recipients(deps, a);
  const sends: SendJobData[] = [];
  for (const platform of deps.platforms) {
    const channelId = await recipients.channel(platform, ORGANISERS_SCOPE);
    if (!channelId) continue;
    sends.push({
      key: {
        subjectType: 'year',
        subjectId: `${a.rulebook.id}/${year}`,
        kind: NOTIFICATION_KINDS.calendarMissing,
        stage: 'alert',
        recipient: channelRecipient(platform, ORGANISERS_SCOPE),
      },
      target: { kind: 'channel', platform, scope: ORGANISERS_SCOPE, channelId },
      message: calendarMissingMessage(deps.locale, year),
    });
  }
  await enqueueUnsettled(deps.queues, deps.ledger, sends);
}

export function createReminderSweepProcessor(deps: SweepDeps) {
  return async function processReminderSweep(job: Pick<Job, 'name' | 'id' | 'data'>): Promise<SweepResult> {
    const t0 = Date.now();
    const { rulebookId } = parseJobData(reminderSweepDataSchema, job);
    const a = assessmentFor(deps, rulebookId);
    const now = deps.clock.now();
    const today = localMoment(now, deps.settings.timeZone).date;
    const closed = reminderWindowClosed(a, now, deps.settings);
    if (closed instanceof CalendarMissingError) {
      deps.logger.error({ job: job.id, year: closed.year }, 'no official calendar for this year: reminders paused');
      await alertCalendarMissing(deps, a, closed.year);
      return { swept: false, today, reason: 'no-calendar' };
    }
    if (closed) return { swept: false, today, reason: closed };

    // every year held: December's rectifications still run into January
    const open = (await Promise.all(a.years.map((y) => deps.store.findingsForYear(rulebookId, y))))
      .flat()
      .filter(mayNeedReminder);
    const t1 = Date.now();
    const plan = await planReminders(deps, a, open, now);
    const t2 = Date.now();
    const sends = await enqueueSends(deps.queues, plan.sends); // already without the settled ones
    const t3 = Date.now();
    const result = {
      swept: true as const,
      today,
      open: open.length,
      due: plan.due,
      settled: plan.settled,
      sends,
      unbound: plan.unbound,
      ms: t3 - t0,
      phases: { loadMs: t1 - t0, planMs: t2 - t1, enqueueMs: t3 - t2 },
    };
    if (plan.unbound > 0)
      deps.logger.warn(
        { job: job.id, unbound: plan.unbound },
        'reminders not planned: no channel bound for some units or the organisers',
      );
    deps.logger.info({ job: job.id, ...result }, 'reminder sweep');
    return result;
  };
}
