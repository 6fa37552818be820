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
  repeatWarningText,
  type FindingMessageOptions,
  type RepeatEscalation,
} from '../core/messages/findings.ts';
import { formatNumber } from '../core/messages/format.ts';
import { context, header, message, paragraph, type Block, type Message } from '../core/messages/message.ts';
import type { Rulebook } from '../rules/rulebook.ts';
import type { Standings } from '../rules/engine/types.ts';
import { findingLabels as coreFindingLabels, type FindingLabels } from '../core/messages/rulebook-labels.ts';
import type { PublishPolicy } from './context.ts';
import { splitAdvanced } from '../core/messages/advanced-cut.ts';
import { messageStage, type ReminderStage } from './reminder-plan.ts';

/** Clause title, section name and level label in the reader's language, for the finding fields. */
export function findingLabels(
  rb: Rulebook,
  locale: Locale,
  f: Pick<FindingView, 'clause' | 'section'> & Partial<Pick<FindingView, 'level'>>,
): FindingLabels {
  return coreFindingLabels(rb, locale, f);
}

/** Blocks inserted before the first actions block (buttons stay last). */
function insertBeforeActions(m: Message, extra: Block[]): Message {
  const i = m.blocks.findIndex((b) => b.type === 'actions');
  const blocks = i < 0 ? [...m.blocks, ...extra] : [...m.blocks.slice(0, i), ...extra, ...m.blocks.slice(i)];
  return message(blocks, { text: m.text });
}

/**
 * What a repeat finding of this unit and clause costs now: ×base per finding of theirs overdue
 * today (the engine's base^k, counting late-rectified ones too), or null when the clause does not
 * escalate. `standings` are as of today.
 */
export function repeatEscalationOf(
  rb: Rulebook,
  standings: Pick<Standings, 'units'>,
  unit: string,
  clauseId: string,
): RepeatEscalation | null {
  const clause = rb.clauses.get(clauseId);
  const esc = rb.settings.repeatEscalation;
  if (!clause || !(esc.appliesToKinds as readonly string[]).includes(clause.kind)) return null;
  const findings = standings.units.find((u) => u.unit === unit)?.findings ?? [];
  const count = findings.filter((r) => r.clause === clauseId && r.status !== 'withdrawn' && r.overdue).length;
  if (count === 0) return null;
  return { count, factor: esc.base ** count, base: esc.base };
}

/** A reminder stage to the unit's group channel, its contacts mentioned. */
export function findingReminderMessage(
  locale: Locale,
  rb: Rulebook,
  stage: ReminderStage,
  f: FindingView,
  opts: {
    platform: string;
    contacts: readonly string[];
    overdueMaxTimes: number;
    /** Overdue reminders of this finding already sent to this channel. */
    overdueSent?: number;
    repeat?: RepeatEscalation | null;
  },
): Message {
  const ms = messageStage(stage);
  return reminderMessage(locale, ms.stage, f, {
    platform: opts.platform,
    contacts: opts.contacts,
    ...findingLabels(rb, locale, f),
    // The count says what was sent: a first alert after downtime is 1, whatever the stage's number.
    ...(ms.attempt !== undefined
      ? { attempt: (opts.overdueSent ?? ms.attempt - 1) + 1, maxAttempts: opts.overdueMaxTimes }
      : {}),
    ...(opts.repeat ? { repeat: opts.repeat } : {}),
  });
}

/** The organisers' overdue alert, saying what a repeat finding of that clause now costs the unit. */
export function overdueOrganisersMessage(
  locale: Locale,
  rb: Rulebook,
  f: FindingView,
  opts: { platform: string; repeat?: RepeatEscalation | null },
): Message {
  const base = overdueAlertMessage(locale, f, { platform: opts.platform, ...findingLabels(rb, locale, f) });
  return opts.repeat ? insertBeforeActions(base, [context(repeatWarningText(locale, f.clause, opts.repeat))]) : base;
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
  p: {
    month: string;
    unit: string;
    standings: Omit<GroupStandings, 'overdue'>;
    policy: PublishPolicy;
    detailSentPrivately: boolean;
  },
): Message | null {
  if (!p.policy.advancedUnits && !p.policy.ownResult) return null;
  const blocks: Block[] = [header(t(locale, 'worker.month.published.header', { month: p.month }))];
  if (p.policy.advancedUnits) {
    const sep = t(locale, 'msg.common.listSeparator');
    for (const g of p.standings.groups) {
      const split = splitAdvanced(g.units, g.quota);
      if (split.settled.length === 0 && split.tied.length === 0)
        blocks.push(paragraph(t(locale, 'worker.month.published.noAdvanced', { group: g.name })));
      else if (split.tied.length === 0)
        blocks.push(
          paragraph(t(locale, 'worker.month.published.advanced', { group: g.name, units: split.settled.join(sep) })),
        );
      else {
        // A tie at the cut is the office's to resolve: never announced as more advanced units than places.
        if (split.settled.length > 0)
          blocks.push(
            paragraph(
              t(locale, 'worker.month.published.advancedSettled', {
                group: g.name,
                quota: g.quota,
                count: split.settled.length,
                units: split.settled.join(sep),
              }),
            ),
          );
        blocks.push(
          paragraph(
            t(locale, 'worker.month.published.tied', {
              group: g.name,
              remaining: split.remaining,
              count: split.tied.length,
              cut: formatNumber(split.cut ?? 0),
              units: split.tied.join(sep),
            }),
          ),
        );
      }
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
