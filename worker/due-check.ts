// "Is this message still wanted?" — asked by the send processor after it has claimed the
// notification and right before the platform call. A reminder planned at 09:00 may reach the
// front of the queue after the unit submitted its rectification, after the deadline moved, or
// once office hours are over; a month-close message after the month was reopened; the year's
// results after the office reopened them. Such a message
// is not sent, and its claim is released, so that a later plan can send it if it becomes due again
// (e.g. a rejected submission resumes the reminders).

import { monthEndReminderDue } from './reminder-plan.ts';
import { NOTIFICATION_KINDS } from './notification-ledger.ts';
import type { SendJobData } from '../adapters/queue/queues.ts';
import { decideReminder } from './reminders.ts';
import type { WorkerDeps } from './context.ts';

/** null: still due. Otherwise why not. */
export type DueCheck = (data: SendJobData) => Promise<string | null>;

function splitMonthSubject(subjectId: string): { rulebookId: string; month: string } | null {
  const i = subjectId.lastIndexOf('/');
  return i > 0 ? { rulebookId: subjectId.slice(0, i), month: subjectId.slice(i + 1) } : null;
}

export function createDueCheck(
  deps: Pick<WorkerDeps, 'assessments' | 'store' | 'months' | 'clock' | 'settings'>,
): DueCheck {
  const monthState = (rulebookId: string, month: string) => deps.months.monthState(rulebookId, month);

  return async ({ key }) => {
    switch (key.kind) {
      case NOTIFICATION_KINDS.reminder: {
        const f = await deps.store.getFinding(key.subjectId);
        const a = f ? deps.assessments.get(f.rulebookId)?.forYear(f.year) : undefined;
        if (!f || !a) return 'finding gone';
        const d = decideReminder(a, f, deps.clock.now(), deps.settings);
        if (d.due === key.stage) return null;
        return d.due === null ? d.reason : `superseded by ${d.due}`;
      }
      case NOTIFICATION_KINDS.findingNotice: {
        const f = await deps.store.getFinding(key.subjectId);
        if (!f) return 'finding gone';
        if (f.status === 'withdrawn') return 'withdrawn';
        return f.noticeRef === null ? null : 'the bot posted the notice';
      }
      case NOTIFICATION_KINDS.monthEndReminder: {
        const s = splitMonthSubject(key.subjectId);
        const a = s ? deps.assessments.get(s.rulebookId) : undefined;
        if (!s || !a) return 'unknown month';
        const d = monthEndReminderDue(a.rulebook.calendar, deps.clock.now(), deps.settings);
        if (!d.due) return d.reason;
        if (d.month !== s.month) return 'another month';
        return (await monthState(s.rulebookId, s.month)) === 'closed' ? 'month closed' : null;
      }
      case NOTIFICATION_KINDS.monthClose: {
        const s = splitMonthSubject(key.subjectId);
        if (!s) return 'unknown month';
        return (await monthState(s.rulebookId, s.month)) === 'closed' ? null : 'month reopened';
      }
      case NOTIFICATION_KINDS.yearResults: {
        // the year's 通报 of version N (stages 'summary', 'published', '…-N'); drafts always go
        const s = splitMonthSubject(key.subjectId);
        if (!s) return 'unknown year';
        if (key.stage.startsWith('draft')) return null;
        const version = Number(/-(\d+)$/.exec(key.stage)?.[1] ?? 1);
        const p = await deps.store.publications.publication(s.rulebookId, s.month);
        return p && p.version === version && !p.reopened ? null : 'year results reopened';
      }
      default:
        return null;
    }
  };
}
