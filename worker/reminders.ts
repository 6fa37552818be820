// From open findings to reminder send jobs: worker/reminder-plan.ts decides which stage is due;
// this file says to whom and with which words, and keys each message in the notification ledger
// (finding × 'reminder' × stage × recipient) so that it goes out once however often it is planned.

import { toFindingView } from '../core/finding-view.ts';
import type { StoredFinding } from '../core/ports/assessment-store.port.ts';
import { findingReminderMessage, overdueOrganisersMessage } from './messages.ts';
import { NOTIFICATION_KINDS, channelRecipient, type NotificationKey } from './notification-ledger.ts';
import type { SendJobData } from './queues.ts';
import { ORGANISERS_SCOPE, Recipients } from './recipients.ts';
import { dueReminder, zonedInstant, type ReminderDecision, type ReminderFinding, type ReminderSettings } from './reminder-plan.ts';
import type { Assessment, WorkerDeps } from './context.ts';

/** Findings that may still need reminders: a deadline, not closed. (Submitted ones wait for review.) */
export function mayNeedReminder(f: StoredFinding): boolean {
  return f.deadline !== null && (f.status === 'filed' || f.status === 'submitted');
}

/**
 * The planner's view of a finding. `filedAt` says which stages the filing notice covered. It is
 * the database's clock, so under a clock that is not the real one (KAOPING_NOW rehearsals of a
 * past year, tests) it can lie after `now`; then the finding's own date stands in for its filing
 * day (a finding is never dated after the day it is filed).
 */
export function reminderInput(f: StoredFinding, now: Date, settings: ReminderSettings): ReminderFinding {
  const filedAt = f.filedAt.getTime() <= now.getTime() ? f.filedAt : zonedInstant(f.date, '12:00', settings.timeZone);
  return { deadline: f.deadline, status: f.status, rectifiedOn: f.rectifiedOn, filedAt };
}

export function decideReminder(a: Assessment, f: StoredFinding, now: Date, settings: ReminderSettings): ReminderDecision {
  return dueReminder(reminderInput(f, now, settings), a.rulebook.calendar, now, settings);
}

export function reminderKey(findingId: string, stage: string, recipient: string): NotificationKey {
  return { subjectType: 'finding', subjectId: findingId, kind: NOTIFICATION_KINDS.reminder, stage, recipient };
}

export interface ReminderPlan {
  sends: SendJobData[];
  /** Findings with a stage due now. */
  due: number;
  /** Messages not planned because no channel is bound for the unit / the organisers. */
  unbound: number;
}

/**
 * The reminder messages due now for these findings, on every platform the worker sends on:
 * the due stage to the unit's group channel (contacts mentioned), and for overdue stages the
 * alert to the organisers' channel as well.
 */
export async function planReminders(
  deps: Pick<WorkerDeps, 'prisma' | 'store' | 'locale' | 'platforms' | 'settings'>,
  a: Assessment,
  findings: readonly StoredFinding[],
  now: Date,
  recipients: Recipients = new Recipients(deps, a),
): Promise<ReminderPlan> {
  const plan: ReminderPlan = { sends: [], due: 0, unbound: 0 };
  const today = a.service.today();
  const locale = deps.locale;
  for (const f of findings) {
    if (!mayNeedReminder(f)) continue;
    const d = decideReminder(a, f, now, deps.settings);
    if (d.due === null) continue;
    plan.due++;
    const view = toFindingView(a.rulebook, f, today);
    for (const platform of deps.platforms) {
      const channelId = await recipients.channel(platform, f.unit);
      if (channelId) {
        const contacts = await recipients.contacts(platform, f.unit);
        plan.sends.push({
          key: reminderKey(f.id, d.due, channelRecipient(platform, f.unit)),
          target: { kind: 'channel', platform, scope: f.unit, channelId },
          message: findingReminderMessage(locale, a.rulebook, d.due, view, { platform, contacts, overdueMaxTimes: deps.settings.overdueMaxTimes }),
          reviveCancelled: true,
        });
      } else plan.unbound++;
      if (!d.due.startsWith('overdue-')) continue;
      const organisers = await recipients.channel(platform, ORGANISERS_SCOPE);
      if (organisers) {
        plan.sends.push({
          key: reminderKey(f.id, d.due, channelRecipient(platform, ORGANISERS_SCOPE)),
          target: { kind: 'channel', platform, scope: ORGANISERS_SCOPE, channelId: organisers },
          message: overdueOrganisersMessage(locale, a.rulebook, view, { platform }),
          reviveCancelled: true,
        });
      } else plan.unbound++;
    }
  }
  return plan;
}
