// The worker's messages. Most come straight from core/messages (reminders, notices, month-end
// reminders, the month-close summary and breakdown); this file adds what only the worker says:
// the repeat warning on the organisers' overdue alert, what a unit's group channel is told when
// a month closes (the office's choice), and the missing-calendar alert.

import type { FindingView, GroupStandings } from '../core/assessment-api.ts';
import type { Locale } from '../core/i18n/locale.ts';
import { t } from '../core/i18n/t.ts';
import {
  findingNoticeMessage,
  overdueAlertMessage,
  reminderMessage,
  type FindingMessageOptions,
} from '../core/messages/findings.ts';
import { formatNumber } from '../core/messages/format.ts';
import { context, header, message, paragraph, type Block, type Message } from '../core/messages/message.ts';
import type { Rulebook } from '../rules/rulebook.ts';
import type { PublishPolicy } from './context.ts';
import { messageStage, type ReminderStage } from './reminder-plan.ts';

/** Clause title and section name in the reader's language, for the finding fields. */
export function findingLabels(
  rb: Rulebook,
  locale: Locale,
  f: Pick<FindingView, 'clause' | 'section'>,
): Pick<FindingMessageOptions, 'clauseTitle' | 'sectionName'> {
  const clause = rb.clauses.get(f.clause);
  const section = rb.sections.get(f.section);
  return {
    ...(clause ? { clauseTitle: clause.text[locale] } : {}),
    ...(section ? { sectionName: section.name[locale] } : {}),
  };
}

/** Blocks inserted before the first actions block (buttons stay last). */
function insertBeforeActions(m: Message, extra: Block[]): Message {
  const i = m.blocks.findIndex((b) => b.type === 'actions');
  const blocks = i < 0 ? [...m.blocks, ...extra] : [...m.blocks.slice(0, i), ...extra, ...m.blocks.slice(i)];
  return message(blocks, { text: m.text });
}

/** The factor a repeat finding of this clause gets while one is overdue, or null (no escalation). */
export function repeatFactor(rb: Rulebook, clauseId: string): number | null {
  const clause = rb.clauses.get(clauseId);
  const esc = rb.settings.repeatEscalation;
  if (!clause || !(esc.appliesToKinds as readonly string[]).includes(clause.kind)) return null;
  return esc.base;
}

/** A reminder stage to the unit's group channel, its contacts mentioned. */
export function findingReminderMessage(
  locale: Locale,
  rb: Rulebook,
  stage: ReminderStage,
  f: FindingView,
  opts: { platform: string; contacts: readonly string[]; overdueMaxTimes: number },
): Message {
  const ms = messageStage(stage);
  return reminderMessage(locale, ms.stage, f, {
    platform: opts.platform,
    contacts: opts.contacts,
    ...findingLabels(rb, locale, f),
    ...(ms.attempt !== undefined ? { attempt: ms.attempt, maxAttempts: opts.overdueMaxTimes } : {}),
  });
}

/**
 * The organisers' overdue alert, saying what happens next: a repeat finding of that clause now
 * counts double (×base of the rulebook's repeat escalation) — when the clause escalates at all.
 */
export function overdueOrganisersMessage(
  locale: Locale,
  rb: Rulebook,
  f: FindingView,
  opts: { platform: string },
): Message {
  const base = overdueAlertMessage(locale, f, { platform: opts.platform, ...findingLabels(rb, locale, f) });
  const factor = repeatFactor(rb, f.clause);
  return factor === null
    ? base
    : insertBeforeActions(base, [context(t(locale, 'worker.overdue.repeat', { clause: f.clause, factor }))]);
}

/** The filing notice, when the worker posts it (the bot did not). */
export function workerNoticeMessage(
  locale: Locale,
  rb: Rulebook,
  f: FindingView,
  opts: { platform: string; contacts: readonly string[] } & Pick<FindingMessageOptions, 'result'>,
): Message {
  return findingNoticeMessage(locale, f, {
    platform: opts.platform,
    contacts: opts.contacts,
    ...(opts.result ? { result: opts.result } : {}),
    ...findingLabels(rb, locale, f),
  });
}

/**
 * What a unit's group channel is told when a month closes: by default the advanced units of every
 * group and the unit's own result — never another unit's score or breakdown. null when the
 * policy publishes nothing.
 */
export function monthPublishedMessage(
  locale: Locale,
  p: { month: string; unit: string; standings: GroupStandings; policy: PublishPolicy; detailSentPrivately: boolean },
): Message | null {
  if (!p.policy.advancedUnits && !p.policy.ownResult) return null;
  const blocks: Block[] = [header(t(locale, 'worker.month.published.header', { month: p.month }))];
  if (p.policy.advancedUnits) {
    for (const g of p.standings.groups) {
      const advanced = g.units
        .filter((u) => u.advanced)
        .sort((a, b) => a.rank - b.rank || a.unit.localeCompare(b.unit, 'zh-CN'))
        .map((u) => u.unit);
      blocks.push(
        paragraph(
          advanced.length > 0
            ? t(locale, 'worker.month.published.advanced', {
                group: g.name,
                units: advanced.join(t(locale, 'msg.common.listSeparator')),
              })
            : t(locale, 'worker.month.published.noAdvanced', { group: g.name }),
        ),
      );
    }
  }
  if (p.policy.ownResult) {
    const g = p.standings.groups.find((x) => x.units.some((u) => u.unit === p.unit));
    const own = g?.units.find((u) => u.unit === p.unit);
    if (g && own)
      blocks.push(
        paragraph(
          t(locale, 'worker.month.published.own', {
            unit: own.unit,
            total: formatNumber(own.total),
            rank: own.rank,
            size: g.assessed,
            group: g.name,
          }),
        ),
      );
  }
  if (p.detailSentPrivately) blocks.push(context(t(locale, 'worker.month.published.detail')));
  return message(blocks);
}

/** To the organisers: working days cannot be told for a year (reminders are paused). */
export function calendarMissingMessage(locale: Locale, year: number): Message {
  return message([paragraph(t(locale, 'worker.calendar.missing', { year }))]);
}

/** What a notification is, in words: 'due-today reminder', 'month-close report', … */
export function notificationWhat(locale: Locale, kind: string, stage: string): string {
  if (kind === 'reminder') {
    if (stage === 'due_soon' || stage === 'due_today') return t(locale, `worker.stage.${stage}`);
    const n = /^overdue-(\d+)$/.exec(stage)?.[1];
    if (n) return t(locale, 'worker.stage.overdue', { n });
  }
  if (kind === 'finding-notice') return t(locale, 'worker.stage.notice');
  if (kind === 'month-end-reminder') return t(locale, 'worker.stage.month_end');
  if (kind === 'month-close') return t(locale, 'worker.stage.month_close');
  return `${kind}/${stage}`;
}

/** To the organisers: a message could not be delivered (failed), or may not have been (unknown). */
export function deliveryAlertMessage(
  locale: Locale,
  p: { what: string; target: string; reason: string; unknown: boolean },
): Message {
  return message([
    header(t(locale, 'worker.delivery.failed.header')),
    paragraph(
      p.unknown
        ? t(locale, 'worker.delivery.unknown.body', { what: p.what, target: p.target })
        : t(locale, 'worker.delivery.failed.body', { what: p.what, target: p.target, reason: p.reason }),
    ),
  ]);
}
