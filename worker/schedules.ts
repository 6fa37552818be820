// Every schedule of the worker, declared here and nowhere else. BullMQ 6 job schedulers
// (upsertJobScheduler, cron pattern, tz Asia/Shanghai); upserting is idempotent, and schedulers
// that are no longer declared are removed, so renaming one here never leaves a ghost behind.
//
// Cron cannot know the official working-day calendar — in particular the make-up working days
// (调休) fall on Saturdays and Sundays (e.g. 2017-09-30) — so every pattern fires on EVERY day
// and the job itself asks worker/reminder-plan.ts (which reads the rulebook's calendar) whether
// today is a working day and whether anything is due. Running a check when nothing is due costs
// one query; the notification ledger makes running it twice harmless.

import type { JobsOptions } from 'bullmq';
import type { QueueKey, Queues } from '../adapters/queue/queues.ts';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from './reminder-plan.ts';

export interface ScheduleDef {
  /** Scheduler id (no ':'). Also the job name. */
  id: string;
  queue: QueueKey;
  /** Cron pattern (minute hour day-of-month month day-of-week), in `tz`. */
  pattern: string;
  tz: string;
  /** Also enqueue one run when the worker starts (catch up after downtime). */
  runOnStart: boolean;
  description: string;
}

export type ScheduleId =
  | 'reminder-sweep'
  | 'month-end-reminder-check'
  | 'month-close-check'
  | 'reconcile-stale-ledgers';

/** Hours (cron field) covering office hours [start, end): 09:00–18:00 → '9-17'. */
export function officeHoursCron(settings: Pick<ReminderSettings, 'officeHours'>): string {
  const startH = Number(settings.officeHours.start.slice(0, 2));
  const [eh, em] = settings.officeHours.end.split(':').map(Number) as [number, number];
  const endH = em > 0 ? eh : eh - 1; // last hour that has office minutes
  return startH === endH ? String(startH) : `${startH}-${endH}`;
}

/** The worker's schedules for the given reminder settings (office hours, time zone). */
export function declaredSchedules(settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): ScheduleDef[] {
  const tz = settings.timeZone;
  const office = officeHoursCron(settings);
  return [
    {
      id: 'reminder-sweep',
      queue: 'reminders',
      pattern: `*/15 ${office} * * *`,
      tz,
      runOnStart: true,
      description:
        'Every 15 minutes in office hours, every day (make-up working days fall on weekends): send the reminder stage due for each open finding.',
    },
    {
      id: 'month-end-reminder-check',
      queue: 'reminders',
      pattern: `5,35 ${office} * * *`,
      tz,
      runOnStart: true,
      description:
        'Twice an hour in office hours: from 3 working days before the month’s last working day, remind inspectors and units with open items (once each).',
    },
    {
      id: 'month-close-check',
      queue: 'month',
      pattern: '0,30 * * * *',
      tz,
      runOnStart: true,
      description:
        'Every half hour, around the clock: close any open month whose close moment (18:00 on its last working day) has passed — on time, or at once after downtime.',
    },
    {
      id: 'reconcile-stale-ledgers',
      queue: 'ledger',
      pattern: '*/10 * * * *',
      tz,
      runOnStart: true,
      description:
        'Every 10 minutes: recompute ledgers whose version is ahead of their snapshot (a lost event), settle abandoned notification attempts.',
    },
  ] satisfies Array<ScheduleDef & { id: ScheduleId }>;
}

/** Options of the jobs the schedulers produce: a failed check is simply run again next time. */
export const SCHEDULED_JOB_OPTIONS: Omit<JobsOptions, 'jobId' | 'repeat' | 'delay' | 'deduplication'> = {
  attempts: 2,
  backoff: { type: 'fixed', delay: 30_000 },
  removeOnComplete: { count: 50 },
  removeOnFail: { count: 200 },
};

export interface UpsertSchedulesResult {
  upserted: string[];
  removed: string[];
}

/**
 * Make Redis hold exactly the declared schedulers (per queue), each job carrying { rulebookId }.
 * Safe to call from every worker process at start.
 */
export async function upsertSchedules(
  queues: Queues,
  opts: { rulebookId: string; settings?: ReminderSettings; runOnStart?: boolean },
): Promise<UpsertSchedulesResult> {
  const defs = declaredSchedules(opts.settings);
  const upserted: string[] = [];
  const removed: string[] = [];
  for (const def of defs) {
    await queues[def.queue].upsertJobScheduler(
      def.id,
      { pattern: def.pattern, tz: def.tz },
      { name: def.id, data: { rulebookId: opts.rulebookId }, opts: SCHEDULED_JOB_OPTIONS },
    );
    upserted.push(def.id);
  }
  for (const q of ['ledger', 'reminders', 'month', 'notify'] as const) {
    const wanted = new Set(defs.filter((d) => d.queue === q).map((d) => d.id));
    for (const s of await queues[q].getJobSchedulers(0, -1)) {
      const id = s.id ?? s.key;
      if (id && !wanted.has(id)) {
        await queues[q].removeJobScheduler(id);
        removed.push(id);
      }
    }
  }
  if (opts.runOnStart) await enqueueStartupRuns(queues, opts.rulebookId, defs);
  return { upserted, removed };
}

/**
 * One immediate run of each `runOnStart` schedule, deduplicated so that several worker
 * processes starting together enqueue it once. The deduplication lasts until that run completes
 * or fails (no time window): a worker restarted a few seconds after a finished start-up run runs
 * it again — a 60 s window used to swallow it silently.
 */
export async function enqueueStartupRuns(
  queues: Queues,
  rulebookId: string,
  defs: readonly ScheduleDef[] = declaredSchedules(),
): Promise<void> {
  for (const def of defs) {
    if (!def.runOnStart) continue;
    await queues[def.queue].add(
      def.id,
      { rulebookId },
      { ...SCHEDULED_JOB_OPTIONS, deduplication: { id: `startup-${def.id}` } },
    );
  }
}
