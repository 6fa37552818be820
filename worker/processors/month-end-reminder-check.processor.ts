// reminders/month-end-reminder-check (twice an hour in office hours, every day): from
// `monthEndReminderDays` (3) working days before the month's last working day until its close,
// remind every inspector privately ("file this month's findings before close") and each unit
// with open rectifications in its group channel (contacts mentioned). Once per month and
// recipient (notification ledger: month × 'month-end-reminder' × 'month-end' × recipient); a
// reminder missed while the worker was down goes out late, once, never after the close.

import type { Job } from 'bullmq';
import { z } from 'zod';
import { toFindingView } from '../../core/finding-view.ts';
import { monthEndReminderForInspectors, monthEndReminderForUnit } from '../../core/messages/standings.ts';
import { assessmentFor, assessmentYears, parseJobData, rulebookIdSchema, type WorkerDeps } from '../context.ts';
import {
  NOTIFICATION_KINDS,
  channelRecipient,
  monthSubjectId,
  userRecipient,
  type NotificationKey,
} from '../notification-ledger.ts';
import { enqueueUnsettled, type SendJobData } from '../../adapters/queue/queues.ts';
import { Recipients } from '../recipients.ts';
import { monthEndReminderDue, type MonthEndDecision } from '../reminder-plan.ts';

export const monthEndReminderCheckDataSchema = z.object({ rulebookId: rulebookIdSchema });

export type MonthEndResult =
  | { due: true; month: string; late: boolean; inspectors: number; units: number; sends: number }
  | { due: false; month: string; reason: Extract<MonthEndDecision, { due: false }>['reason'] | 'month-closed' };

type Deps = Pick<
  WorkerDeps,
  | 'assessments'
  | 'recipients'
  | 'months'
  | 'store'
  | 'clock'
  | 'queues'
  | 'ledger'
  | 'platforms'
  | 'settings'
  | 'locale'
  | 'logger'
>;

export function monthEndKey(rulebookId: string, month: string, recipient: string): NotificationKey {
  return {
    subjectType: 'month',
    subjectId: monthSubjectId(rulebookId, month),
    kind: NOTIFICATION_KINDS.monthEndReminder,
    stage: 'month-end',
    recipient,
  };
}

export function createMonthEndReminderCheckProcessor(deps: Deps) {
  return async function processMonthEndReminderCheck(job: Pick<Job, 'name' | 'id' | 'data'>): Promise<MonthEndResult> {
    const { rulebookId } = parseJobData(monthEndReminderCheckDataSchema, job);
    const a = assessmentFor(deps, rulebookId);
    const now = deps.clock.now();
    const d = monthEndReminderDue(a.rulebook.calendar, now, deps.settings);
    if (!d.due) return { due: false, month: d.month, reason: d.reason };
    if ((await deps.months.monthState(rulebookId, d.month)) === 'closed')
      return { due: false, month: d.month, reason: 'month-closed' };

    const closeDate = a.rulebook.calendar.lastWorkingDayOfMonth(d.month);
    const recipients = new Recipients(deps, a);
    const sends: SendJobData[] = [];
    let inspectors = 0;
    for (const platform of deps.platforms) {
      for (const insp of await recipients.inspectors(platform)) {
        inspectors++;
        sends.push({
          key: monthEndKey(rulebookId, d.month, userRecipient(platform, insp.userId)),
          target: { kind: 'private', platform, userId: insp.userId },
          message: monthEndReminderForInspectors(insp.locale, { month: d.month, closeDate }),
        });
      }
    }

    // Units with rectifications still open (filed, or submitted and awaiting review).
    const today = a.today();
    const open = new Map<string, ReturnType<typeof toFindingView>[]>();
    // every year held: a December rectification still open in January is an open item
    for (const year of assessmentYears(a))
      for (const f of await deps.store.findingsForYear(rulebookId, year.year)) {
        if (f.deadline === null || (f.status !== 'filed' && f.status !== 'submitted') || f.date > today) continue;
        const list = open.get(f.unit) ?? [];
        list.push(toFindingView(year.rulebook, f, today));
        open.set(f.unit, list);
      }
    for (const [unit, findings] of open) {
      for (const platform of deps.platforms) {
        const channelId = await recipients.channel(platform, unit);
        if (!channelId) continue;
        const contacts = await recipients.contacts(platform, unit);
        sends.push({
          key: monthEndKey(rulebookId, d.month, channelRecipient(platform, unit)),
          target: { kind: 'channel', platform, scope: unit, channelId },
          message: monthEndReminderForUnit(deps.locale, { month: d.month, closeDate, unit, open: findings, contacts }),
        });
      }
    }
    const enqueued = await enqueueUnsettled(deps.queues, deps.ledger, sends);
    const result = { due: true as const, month: d.month, late: d.late, inspectors, units: open.size, sends: enqueued };
    deps.logger.info({ job: job.id, ...result }, 'month-end reminders planned');
    return result;
  };
}
