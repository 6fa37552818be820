// reminders/finding-changed: a finding was filed, withdrawn, its deadline changed, or its
// rectification submitted / verified / rejected. Deduplicated per finding (queues.ts), so a burst
// of changes runs once, after the latest; the job re-reads the finding from PostgreSQL.
//
//   submitted, verified, withdrawn, deadline changed → cancel the reminder stages claimed but not
//        yet sent (the notification ledger port's cancel). Queued send jobs need nothing: the send
//        processor re-checks each stage right before sending (due-check.ts).
//   every change → re-plan this finding now: a rejection, or a deadline moved to today, may make
//        a stage due at once (inside office hours on a working day; otherwise the next sweep).
//   filed → schedule the notice check (finding-notice.processor.ts): the bot posts the filing
//        notice itself; the worker posts it only if the bot has not, after a grace period.

import type { Job } from 'bullmq';
import { z } from 'zod';
import { assessmentFor, parseJobData, rulebookIdSchema, yearSchema, type WorkerDeps } from '../context.ts';
import { NOTIFICATION_KINDS } from '../notification-ledger.ts';
import { enqueueSends, jobId, type FindingEventType } from '../../adapters/queue/queues.ts';
import { planReminders } from '../reminders.ts';
import { reminderWindowClosed } from './reminder-sweep.processor.ts';

const FINDING_EVENTS = [
  'finding.filed',
  'finding.withdrawn',
  'finding.deadline_changed',
  'rectification.submitted',
  'rectification.verified',
  'rectification.rejected',
] as const satisfies readonly FindingEventType[];
/** After these, stages planned before the change may be wrong: stop the ones not yet sent. */
const CANCELLING: ReadonlySet<FindingEventType> = new Set([
  'finding.withdrawn',
  'finding.deadline_changed',
  'rectification.submitted',
  'rectification.verified',
]);

export const findingChangedDataSchema = z.object({
  rulebookId: rulebookIdSchema,
  year: yearSchema,
  findingId: z.uuid(),
  event: z.enum(FINDING_EVENTS),
});

export interface FindingChangedResult {
  event: FindingEventType;
  status: string | null;
  cancelled: number;
  planned: number;
  noticeCheck: boolean;
}

type Deps = Pick<
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
  | 'noticeGraceMs'
  | 'logger'
>;

export function createFindingChangedProcessor(deps: Deps) {
  return async function processFindingChanged(job: Pick<Job, 'name' | 'id' | 'data'>): Promise<FindingChangedResult> {
    const data = parseJobData(findingChangedDataSchema, job);
    const a = assessmentFor(deps, data.rulebookId, data.year);
    const f = await deps.store.getFinding(data.findingId);
    const result: FindingChangedResult = {
      event: data.event,
      status: f?.status ?? null,
      cancelled: 0,
      planned: 0,
      noticeCheck: false,
    };
    if (!f || f.rulebookId !== data.rulebookId) {
      deps.logger.warn({ job: job.id, findingId: data.findingId }, 'finding-changed for a finding that does not exist');
      return result;
    }

    if (CANCELLING.has(data.event)) {
      result.cancelled = await deps.ledger.cancel({
        subjectType: 'finding',
        subjectId: f.id,
        kind: NOTIFICATION_KINDS.reminder,
      });
      if (f.status === 'withdrawn')
        result.cancelled += await deps.ledger.cancel({
          subjectType: 'finding',
          subjectId: f.id,
          kind: NOTIFICATION_KINDS.findingNotice,
        });
    }

    if (data.event === 'finding.filed' && deps.noticeGraceMs !== null) {
      await deps.queues.add(
        'reminders',
        'finding-notice',
        { rulebookId: f.rulebookId, year: f.year, findingId: f.id },
        { jobId: jobId('finding-notice', f.id), delay: deps.noticeGraceMs, removeOnComplete: true },
      );
      result.noticeCheck = true;
    }

    const now = deps.clock.now();
    if (reminderWindowClosed(a, now, deps.settings) === null) {
      const plan = await planReminders(deps, a, [f], now);
      result.planned = await enqueueSends(deps.queues, plan.sends); // already without the settled ones
    }
    deps.logger.info({ job: job.id, findingId: f.id, ...result }, 'finding changed');
    return result;
  };
}
