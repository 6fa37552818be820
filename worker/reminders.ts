// From open findings to reminder send jobs: worker/reminder-plan.ts decides which stage is due;
// this file says to whom and with which words, and keys each message in the notification ledger
// (finding × 'reminder' × stage × recipient) so that it goes out once however often it is planned.

import type { FindingView } from '../core/assessment-api.ts';
import { toFindingView } from '../core/finding-view.ts';
import type { StoredFinding } from '../core/ports/assessment-store.port.ts';
import { findingReminderMessage, overdueOrganisersMessage, repeatEscalationOf } from './messages.ts';
import { NOTIFICATION_KINDS, channelRecipient, keyString, type NotificationKey } from './notification-ledger.ts';
import type { SendJobData } from '../adapters/queue/queues.ts';
import { ORGANISERS_SCOPE, Recipients } from './recipients.ts';
import {
  dueReminder,
  zonedInstant,
  type ReminderDecision,
  type ReminderFinding,
  type ReminderSettings,
  type ReminderStage,
} from './reminder-plan.ts';
import { beforeGoLive, workerActor, type Assessment, type WorkerDeps } from './context.ts';
import type { Standings } from '../rules/engine/types.ts';

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

export function decideReminder(
  a: Assessment,
  f: StoredFinding,
  now: Date,
  settings: ReminderSettings,
): ReminderDecision {
  return dueReminder(reminderInput(f, now, settings), a.rulebook.calendar, now, settings);
}

export function reminderKey(findingId: string, stage: string, recipient: string): NotificationKey {
  return { subjectType: 'finding', subjectId: findingId, kind: NOTIFICATION_KINDS.reminder, stage, recipient };
}

export interface ReminderPlan {
  sends: SendJobData[];
  /** Findings with a stage due now. */
  due: number;
  /** Messages due but already settled in the ledger (sent or failed): not planned again. */
  settled: number;
  /** Messages not planned because no channel is bound for the unit / the organisers. */
  unbound: number;
}

interface Candidate {
  key: NotificationKey;
  finding: StoredFinding;
  stage: ReminderStage;
  platform: string;
  channelId: string;
  /** The organisers' alert rather than the unit's reminder. */
  organisers: boolean;
}

/** Today's standings as the worker sees them (for the repeat escalation it states), or null. */
async function workerStandings(a: Assessment, day: string): Promise<Standings | null> {
  const r = await a.queries.standingsAsOf(workerActor(), day);
  return r.ok ? r.value : null;
}

/** The ledger keys of the overdue stages before this one, to the same recipient. */
function earlierOverdueKeys(c: Candidate): NotificationKey[] {
  const n = c.stage.startsWith('overdue-') ? Number(c.stage.slice('overdue-'.length)) : 0;
  return Array.from({ length: Math.max(0, n - 1) }, (_, i) =>
    reminderKey(c.finding.id, `overdue-${i + 1}`, c.key.recipient),
  );
}

/**
 * The reminder messages due now for these findings, on every platform the worker sends on:
 * the due stage to the unit's group channel (contacts mentioned), and for overdue stages the
 * alert to the organisers' channel as well. Messages the ledger has already settled are left
 * out before they are built (one query), so the quarter-hourly sweep over thousands of overdue
 * findings costs little once their reminders are out.
 */
export async function planReminders(
  deps: Pick<WorkerDeps, 'recipients' | 'locale' | 'platforms' | 'settings' | 'ledger' | 'startDate'>,
  a: Assessment,
  findings: readonly StoredFinding[],
  now: Date,
  recipients: Recipients = new Recipients(deps, a),
): Promise<ReminderPlan> {
  const plan: ReminderPlan = { sends: [], due: 0, settled: 0, unbound: 0 };
  const candidates: Candidate[] = [];
  for (const f of findings) {
    if (!mayNeedReminder(f)) continue;
    if (beforeGoLive(deps.startDate, f.date)) continue; // imported history: no reminders
    const d = decideReminder(a.forYear(f.year) ?? a, f, now, deps.settings);
    if (d.due === null) continue;
    plan.due++;
    for (const platform of deps.platforms) {
      const channelId = await recipients.channel(platform, f.unit);
      if (channelId)
        candidates.push({
          key: reminderKey(f.id, d.due, channelRecipient(platform, f.unit)),
          finding: f,
          stage: d.due,
          platform,
          channelId,
          organisers: false,
        });
      else plan.unbound++;
      if (!d.due.startsWith('overdue-')) continue;
      const organisers = await recipients.channel(platform, ORGANISERS_SCOPE);
      if (organisers)
        candidates.push({
          key: reminderKey(f.id, d.due, channelRecipient(platform, ORGANISERS_SCOPE)),
          finding: f,
          stage: d.due,
          platform,
          channelId: organisers,
          organisers: true,
        });
      else plan.unbound++;
    }
  }

  // Earlier overdue stages to the same recipient: the count on the reminder says what was sent
  // (a stage the platform refused, or whose outcome is unknown, is not counted).
  const earlierKeys = candidates.flatMap((c) => earlierOverdueKeys(c));
  const [settled, sentBefore] = await Promise.all([
    deps.ledger.settledAmong(candidates.map((c) => c.key)),
    deps.ledger.sentAmong(earlierKeys),
  ]);
  const today = a.today();
  const standings = candidates.some((c) => c.stage.startsWith('overdue-')) ? await workerStandings(a, today) : null;
  const repeatOf = (f: StoredFinding) =>
    standings ? repeatEscalationOf(a.rulebook, standings, f.unit, f.clauseId) : null;
  const views = new Map<string, FindingView>();
  for (const c of candidates) {
    if (settled.has(keyString(c.key))) {
      plan.settled++;
      continue;
    }
    let view = views.get(c.finding.id);
    if (!view) {
      view = toFindingView(a.rulebook, c.finding, today);
      views.set(c.finding.id, view);
    }
    const message = c.organisers
      ? overdueOrganisersMessage(deps.locale, a.rulebook, view, { platform: c.platform, repeat: repeatOf(c.finding) })
      : findingReminderMessage(deps.locale, a.rulebook, c.stage, view, {
          platform: c.platform,
          contacts: await recipients.contacts(c.platform, c.finding.unit),
          overdueMaxTimes: deps.settings.overdueMaxTimes,
          overdueSent: earlierOverdueKeys(c).filter((k) => sentBefore.has(keyString(k))).length,
          repeat: repeatOf(c.finding),
        });
    plan.sends.push({
      key: c.key,
      target: {
        kind: 'channel',
        platform: c.platform,
        scope: c.organisers ? ORGANISERS_SCOPE : c.finding.unit,
        channelId: c.channelId,
      },
      message,
      reviveCancelled: true,
    });
  }
  return plan;
}
