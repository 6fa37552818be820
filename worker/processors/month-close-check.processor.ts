// month/month-close-check (every half hour, around the clock): enqueue the close of every month
// of the assessment year whose close moment — `monthCloseAt` (18:00) on its last working day, by
// the official calendar — has passed and which has not been closed and published yet: on time,
// or at once after downtime. A month that was published and then reopened by the office is left
// to the office to close again (its close then runs from the month.closed event).

import type { Job } from 'bullmq';
import { z } from 'zod';
import { CalendarMissingError } from '../../rules/calendar.ts';
import { assessmentFor, monthsOf, parseJobData, rulebookIdSchema, type WorkerDeps } from '../context.ts';
import { jobId } from '../../adapters/queue/queues.ts';
import { monthCloseDue } from '../reminder-plan.ts';
import { monthLabel } from '../../core/ports/standing-snapshots.port.ts';

export const monthCloseCheckDataSchema = z.object({ rulebookId: rulebookIdSchema });

export interface MonthCloseCheckResult {
  /** Months whose close was enqueued. */
  enqueued: string[];
}

type Deps = Pick<WorkerDeps, 'assessments' | 'snapshots' | 'clock' | 'queues' | 'settings' | 'logger'>;

/** The month-close job's options: one run per month at a time, the latest request kept. */
export const monthCloseJobOptions = (rulebookId: string, month: string) => ({
  deduplication: { id: jobId('month-close', rulebookId, month), keepLastIfActive: true },
});

export function createMonthCloseCheckProcessor(deps: Deps) {
  return async function processMonthCloseCheck(job: Pick<Job, 'name' | 'id' | 'data'>): Promise<MonthCloseCheckResult> {
    const { rulebookId } = parseJobData(monthCloseCheckDataSchema, job);
    const a = assessmentFor(deps, rulebookId);
    const now = deps.clock.now();
    const enqueued: string[] = [];
    for (const month of monthsOf(a.year)) {
      let due: boolean;
      try {
        due = monthCloseDue(a.rulebook.calendar, month, now, deps.settings);
      } catch (e) {
        if (!(e instanceof CalendarMissingError)) throw e;
        deps.logger.error(
          { job: job.id, month, year: e.year },
          'no official calendar: cannot tell when the month closes',
        );
        break;
      }
      if (!due) break; // months close in order
      if (await deps.snapshots.has(rulebookId, a.year, monthLabel(month))) continue;
      await deps.queues.add(
        'month',
        'month-close',
        { rulebookId, year: a.year, month, cause: 'schedule' },
        monthCloseJobOptions(rulebookId, month),
      );
      enqueued.push(month);
    }
    if (enqueued.length > 0) deps.logger.info({ job: job.id, months: enqueued }, 'month close due');
    return { enqueued };
  };
}
