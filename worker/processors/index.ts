// One processor function per queue, dispatching on the job name to the processors of this folder
// (one file per job name). An unknown name is a deployment mismatch: never retried.

import { UnrecoverableError, type Job } from 'bullmq';
import type { WorkerDeps } from '../context.ts';
import type { QueueKey } from '../../adapters/queue/queues.ts';
import { createFindingChangedProcessor } from './finding-changed.processor.ts';
import { createFindingNoticeProcessor } from './finding-notice.processor.ts';
import { createMonthCloseCheckProcessor } from './month-close-check.processor.ts';
import { createMonthCloseProcessor } from './month-close.processor.ts';
import { createMonthEndReminderCheckProcessor } from './month-end-reminder-check.processor.ts';
import { createMonthPublishedProcessor } from './month-published.processor.ts';
import { createMonthReopenedProcessor } from './month-reopened.processor.ts';
import { createReconcileProcessor } from './reconcile-stale-ledgers.processor.ts';
import { createRecomputeProcessor } from './recompute.processor.ts';
import { createReminderSweepProcessor } from './reminder-sweep.processor.ts';
import { createReportProcessor } from './report.processor.ts';

type JobLike = Pick<Job, 'name' | 'id' | 'data'>;
export type QueueProcessor = (job: Job, token?: string) => Promise<unknown>;

function dispatch(queue: string, table: Record<string, (job: JobLike) => Promise<unknown>>): QueueProcessor {
  return async (job) => {
    const run = table[job.name];
    if (!run) throw new UnrecoverableError(`queue ${queue} has no processor for job ${JSON.stringify(job.name)}`);
    return run(job);
  };
}

/** The processors of the ledger, reminders, month and reports queues (notify: send.processor.ts). */
export function createQueueProcessors(deps: WorkerDeps): Record<Exclude<QueueKey, 'notify'>, QueueProcessor> {
  return {
    ledger: dispatch('ledger', {
      recompute: createRecomputeProcessor(deps),
      'reconcile-stale-ledgers': createReconcileProcessor(deps),
    }),
    reminders: dispatch('reminders', {
      'reminder-sweep': createReminderSweepProcessor(deps),
      'month-end-reminder-check': createMonthEndReminderCheckProcessor(deps),
      'finding-changed': createFindingChangedProcessor(deps),
      'finding-notice': createFindingNoticeProcessor(deps),
    }),
    month: dispatch('month', {
      'month-close-check': createMonthCloseCheckProcessor(deps),
      'month-close': createMonthCloseProcessor(deps),
      'month-reopened': createMonthReopenedProcessor(deps),
      'month-published': createMonthPublishedProcessor(deps),
    }),
    reports: dispatch('reports', { report: createReportProcessor(deps) }),
  };
}
