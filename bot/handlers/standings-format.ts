import type { FindingView } from '../../core/assessment-api.ts';
import { shortRef, unexpectedError } from './failure.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import { deadlineText, findingStatusLabel } from '../../core/messages/format.ts';
import { bold, text, type Inline } from '../../core/messages/message.ts';
import type { FindingMessageOptions } from '../../core/messages/findings.ts';
import { findingLabels, groupLabel } from '../../core/messages/rulebook-labels.ts';
import { MessengerError } from '../../core/ports/messenger.port.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import { assertNever } from '../../rules/exhaustive.ts';
import type { BotDeps, Interaction } from '../interaction.ts';

// Helpers shared by the /myscore, /standings, App Home and rectification handlers: rulebook
// names in the user's language, deadline urgency, reasons, and the catch-all for the unexpected.

/** "Due soon" starts this many working days before the deadline (shared/spec/lifecycle.md). */
export const DUE_SOON_WORKING_DAYS = 3;

export type Urgency = 'overdue' | 'due_today' | 'due_soon' | null;

/** How urgent an open finding is today (FindingView is computed for the service's today). */
export function urgencyOf(f: Pick<FindingView, 'deadline' | 'overdue' | 'workingDaysLeft' | 'status'>): Urgency {
  if (f.deadline === null || f.status === 'verified' || f.status === 'withdrawn') return null;
  if (f.overdue) return 'overdue';
  if (f.workingDaysLeft === null) return null;
  if (f.workingDaysLeft === 0) return 'due_today';
  if (f.workingDaysLeft > 0 && f.workingDaysLeft <= DUE_SOON_WORKING_DAYS) return 'due_soon';
  return null;
}

export function urgencyLabel(locale: Locale, u: Urgency): string {
  switch (u) {
    case 'overdue':
      return t(locale, 'bot.standing.urgency.overdue');
    case 'due_today':
      return t(locale, 'bot.standing.urgency.dueToday');
    case 'due_soon':
      return t(locale, 'bot.standing.urgency.dueSoon');
    case null:
      return '';
    default:
      return assertNever(u, 'urgency');
  }
}

export const seqLabel = (seq: number): string => `#${seq}`;

export function groupName(rb: Rulebook, locale: Locale, groupId: string): string {
  return groupLabel(rb, locale, groupId);
}

export function clauseText(rb: Rulebook, locale: Locale, clauseId: string): string {
  return rb.clauses.get(clauseId)?.text[locale] ?? '';
}

/** Clause title, section name and level label for the core finding messages. */
export function findingOptions(
  rb: Rulebook,
  locale: Locale,
  f: Pick<FindingView, 'clause' | 'section'> & Partial<Pick<FindingView, 'level'>>,
  platform: string,
): FindingMessageOptions {
  return { platform, ...findingLabels(rb, locale, f) };
}

/** One open finding as a list line: "#12 · 条款 2.1.1a · 2017-09-05 · 待整改 · 期限 …  【已逾期】". */
export function openItemLine(locale: Locale, f: FindingView): Inline[] {
  const u = urgencyOf(f);
  const line = t(locale, 'bot.standing.openItem', {
    seq: seqLabel(f.seq),
    clause: f.clause,
    date: f.date,
    status: findingStatusLabel(locale, f),
    deadline: deadlineText(locale, f),
  });
  // the status says 待复核 while an appeal is pending (findingStatusLabel)
  return u ? [text(`${line} `), bold(urgencyLabel(locale, u))] : [text(line)];
}

/** The locale of the person asking, whether kaoping knows them or not. */
export function localeOf(ix: Interaction): Locale {
  return ix.actor.ok ? ix.actor.value.locale : ix.locale;
}

/**
 * Run a handler body; anything unexpected is logged and answered with error.INTERNAL, never a
 * stack trace. Messenger failures while answering are logged only.
 */
export async function guarded(deps: BotDeps, ix: Interaction, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    deps.logger.error(
      {
        err: { message: (e as Error).message, code: (e as { code?: string }).code },
        what,
        user: ix.userId,
        platform: ix.platform,
        requestId: ix.requestId,
      },
      'handler failed',
    );
    try {
      await ix.replyPrivately(errorMessage(localeOf(ix), unexpectedError(e, what), shortRef(ix.requestId)));
    } catch (e2) {
      deps.logger.warn({ err: (e2 as Error).message }, 'could not tell the user about the failure');
    }
  }
}

/** A messenger call whose failure must not undo what the core already committed: log and go on. */
export async function bestEffort<T>(deps: BotDeps, what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    const me = MessengerError.is(e)
      ? { code: e.code, permanent: e.permanent, operation: e.operation }
      : { message: (e as Error).message };
    deps.logger.warn({ err: me, what }, 'messenger call failed; continuing');
    return undefined;
  }
}
