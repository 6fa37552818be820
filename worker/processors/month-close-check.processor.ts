// month/month-close-check (every half hour, around the clock): enqueue the close of every month
// of every assessment year held (in January, the old year's December too) whose close moment — `monthCloseAt` (18:00) on its last working day, by
// the official calendar — has passed and which has not been closed and published yet: on time,
// or at once after downtime. A month that was published and then reopened by the office is left
// to the office to close again (its close then runs from the month.closed event).
//
// Catching up after downtime is one notice per recipient, never a month-by-month flood: of the
// months due at once, the earlier ones close silently (closed and snapshotted, nothing sent) and
// the latest one's notices name them — its standings are the year to date, so they cover them.
// With no official calendar for today the worker sends nothing date-based: it closes nothing and
// tells the organisers once, in chat.

import type { Job } from 'bullmq';
import { z } from 'zod';
import { CalendarMissingError } from '../../rules/calendar.ts';
import {
  assessmentFor,
  assessmentYears,
  beforeGoLive,
  monthEnd,
  monthsOf,
  parseJobData,
  rulebookIdSchema,
  type WorkerDeps,
} from '../context.ts';
import { jobId } from '../../adapters/queue/queues.ts';
import { localMoment, monthCloseDue } from '../reminder-plan.ts';
import { alertCalendarMissing } from './reminder-sweep.processor.ts';
import { monthLabel } from '../../core/ports/standing-snapshots.port.ts';

export const monthCloseCheckDataSchema = z.object({ rulebookId: rulebookIdSchema });

export interface MonthCloseCheckResult {
  /** Months whose close was enqueued. */
  enqueued: string[];
}

type Deps = Pick<
  WorkerDeps,
  | 'assessments'
  | 'startDate'
  | 'snapshots'
  | 'clock'
  | 'queues'
  | 'settings'
  | 'logger'
  | 'recipients'
  | 'ledger'
  | 'platforms'
  | 'locale'
>;

/** The month-close job's options: one run per month at a time, the latest request kept. */
export const monthCloseJobOptions = (rulebookId: string, month: string) => ({
  deduplication: { id: jobId('month-close', rulebookId, month), keepLastIfActive: true },
});

export function createMonthCloseCheckProcessor(deps: Deps) {
  return async function processMonthCloseCheck(job: Pick<Job, 'name' | 'id' | 'data'>): Promise<MonthCloseCheckResult> {
    const { rulebookId } = parseJobData(monthCloseCheckDataSchema, job);
    const a = assessmentFor(deps, rulebookId);
    const now = deps.clock.now();
    const today = localMoment(now, deps.settings.timeZone).date;
    try {
      a.rulebook.calendar.isWorkingDay(today);
    } catch (e) {
      if (!(e instanceof CalendarMissingError)) throw e;
      deps.logger.warn({ job: job.id, year: e.year }, 'no official calendar for today: months are not closed');
      await alertCalendarMissing(deps, a, e.year);
      return { enqueued: [] };
    }
    // Every year held: in January the old year's December still closes (then its year results).
    const due: string[] = [];
    for (const year of assessmentYears(a))
      for (const month of monthsOf(year.year)) {
        let isDue: boolean;
        try {
          isDue = monthCloseDue(year.rulebook.calendar, month, now, deps.settings);
        } catch (e) {
          if (!(e instanceof CalendarMissingError)) throw e;
          deps.logger.error(
            { job: job.id, month, year: e.year },
            'no official calendar: cannot tell when the month closes',
          );
          break;
        }
        if (!isDue) break; // months close in order
        if (await deps.snapshots.has(rulebookId, year.year, monthLabel(month))) continue;
        due.push(month);
      }
    // Months that ended before go-live close silently; of the others due at once, the latest speaks.
    const live = due.filter((m) => !beforeGoLive(deps.startDate, monthEnd(m)));
    const latest = live.at(-1);
    for (const month of due) {
      const catchUp = month === latest ? live.slice(0, -1) : [];
      await deps.queues.add(
        'month',
        'month-close',
        {
          rulebookId,
          year: Number(month.slice(0, 4)),
          month,
          cause: 'schedule',
          ...(month !== latest ? { silent: true } : {}),
          ...(catchUp.length > 0 ? { catchUp } : {}),
        },
        monthCloseJobOptions(rulebookId, month),
      );
    }
    const enqueued = due;
    if (enqueued.length > 0) deps.logger.info({ job: job.id, months: enqueued }, 'month close due');
    return { enqueued };
  };
}
