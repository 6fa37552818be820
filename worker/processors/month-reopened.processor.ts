// month/month-reopened: the office reopened a month. Its close messages not yet sent are stopped
// (claimed rows cancelled here; queued ones are re-checked by the send processor, due-check.ts).
// The 'month:YYYY-MM' snapshot stays until the month is closed again, which replaces it.

import type { Job } from 'bullmq';
import { z } from 'zod';
import { assessmentFor, monthSchema, parseJobData, rulebookIdSchema, yearSchema, type WorkerDeps } from '../context.ts';
import { NOTIFICATION_KINDS, monthSubjectId } from '../notification-ledger.ts';

export const monthReopenedDataSchema = z.object({ rulebookId: rulebookIdSchema, year: yearSchema, month: monthSchema });

export function createMonthReopenedProcessor(deps: Pick<WorkerDeps, 'assessments' | 'ledger' | 'logger'>) {
  return async function processMonthReopened(job: Pick<Job, 'name' | 'id' | 'data'>): Promise<{ cancelled: number }> {
    const data = parseJobData(monthReopenedDataSchema, job);
    assessmentFor(deps, data.rulebookId, data.year);
    const cancelled = await deps.ledger.cancel({
      subjectType: 'month',
      subjectId: monthSubjectId(data.rulebookId, data.month),
      kind: NOTIFICATION_KINDS.monthClose,
    });
    deps.logger.info({ job: job.id, month: data.month, cancelled }, 'month reopened');
    return { cancelled };
  };
}
