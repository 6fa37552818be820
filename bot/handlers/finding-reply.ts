import type { EarlierFinding, FiledFinding, FindingView } from '../../core/assessment-api.ts';
import type { AppError } from '../../core/errors.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t, type MessageKey } from '../../core/i18n/t.ts';
import { findingFiledReplyMessage } from '../../core/messages/findings.ts';
import { formatNumber, formatPoints, sourceLabel } from '../../core/messages/format.ts';
import {
  bold,
  context,
  header,
  list,
  message,
  paragraph,
  type Block,
  type Message,
} from '../../core/messages/message.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import { findingLabels, type FindingLabels } from '../../core/messages/rulebook-labels.ts';
import type { FindingResult } from '../../rules/engine/types.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import { assertNever } from '../../rules/exhaustive.ts';
import type { ParseIssue } from '../parsing/finding-text.ts';
import { FIELD_MAX } from '../parsing/finding-fields.schema.ts';
import { changeHelpBlocks } from './finding-change-reply.ts';
import { officeHelpBlocks } from './office.ts';

// Messages of /finding that only the filer sees: the confirmation with how the finding counts,
// the help, and what was wrong with a command.

export type NoticeOutcome =
  | { kind: 'posted' }
  /** The worker posts it (KAOPING_FILING_NOTICES=worker): the filing was handed to it. */
  | { kind: 'queued' }
  | { kind: 'no_channel' }
  | { kind: 'failed'; code: string }
  /** A repeated request: the notice belongs to the first one. */
  | { kind: 'skipped' };

/** Clause title, section name and level label in the reader's language, for the finding messages. */
export function clauseLabels(
  rb: Rulebook,
  locale: Locale,
  f: Pick<FindingView, 'clause'> & Partial<Pick<FindingView, 'section' | 'level'>>,
): FindingLabels {
  return findingLabels(rb, locale, f);
}

/** Why a finding counts what it counts: the clause's amount, then each multiplier. */
export function whyLines(
  rb: Rulebook,
  locale: Locale,
  r: FindingResult,
  earlier: readonly EarlierFinding[] = [],
): string[] {
  const clause = rb.clauses.get(r.clause);
  const lines: string[] = [];
  const p = { clause: r.clause, amount: formatPoints(r.amount), count: r.count, base: formatPoints(r.base) };
  if (clause)
    switch (clause.kind) {
      case 'per_item':
        lines.push(t(locale, 'bot.finding.why.perItem', p));
        break;
      case 'flat':
        lines.push(t(locale, 'bot.finding.why.flat', p));
        break;
      case 'tiered': {
        const level = clause.levels.find((l) => l.id === r.level);
        const label = level ? level.label[locale] : (r.level ?? '');
        lines.push(
          t(locale, clause.perItem ? 'bot.finding.why.tieredPerItem' : 'bot.finding.why.tiered', {
            ...p,
            level: label,
          }),
        );
        break;
      }
      case 'threshold':
        if ((r.shortfall ?? 0) > 0) lines.push(t(locale, 'bot.finding.why.threshold', p));
        else
          lines.push(
            t(locale, 'bot.finding.why.thresholdMet', {
              value: formatNumber(r.value ?? 0),
              threshold: formatNumber(clause.threshold),
            }),
          );
        break;
      default:
        assertNever(clause, 'clause kind');
    }
  for (const reason of r.reasons) {
    switch (reason.kind) {
      case 'threshold':
        if (reason.shortfall > 0)
          lines.push(
            t(locale, 'domain.reason.threshold', {
              value: formatNumber(reason.value),
              threshold: formatNumber(reason.threshold),
              shortfall: reason.shortfall,
            }),
          );
        break;
      case 'inspection':
        lines.push(
          t(locale, 'domain.reason.inspection', { source: sourceLabel(locale, reason.source), factor: reason.factor }),
        );
        break;
      case 'repeat': {
        const known = new Map(earlier.map((f) => [f.id, f]));
        const ids = reason.ids.map((id) => known.get(id)?.date ?? id).join(t(locale, 'msg.common.listSeparator'));
        lines.push(t(locale, 'domain.reason.repeat', { count: reason.count, ids, factor: reason.factor }));
        for (const id of reason.ids) {
          const f = known.get(id);
          if (f) lines.push(t(locale, 'bot.finding.why.repeatItem', { date: f.date, deadline: f.deadline ?? '' }));
        }
        break;
      }
      case 'superseded':
        lines.push(t(locale, 'domain.reason.superseded', { by: reason.by }));
        break;
      case 'withdrawn':
        lines.push(t(locale, 'domain.reason.withdrawn'));
        break;
      case 'disqualifies': {
        const d = rb.data.disqualifications.find((x) => x.id === reason.disqualification);
        lines.push(t(locale, 'bot.finding.why.disqualifies', { name: d ? d.name[locale] : reason.disqualification }));
        break;
      }
      default:
        assertNever(reason, 'finding reason');
    }
  }
  if (r.status === 'counted' && r.multiplier !== 1)
    lines.push(
      t(locale, 'bot.finding.why.total', {
        base: formatPoints(r.base),
        multiplier: formatNumber(r.multiplier),
        points: formatPoints(r.points),
      }),
    );
  return lines;
}

/** The filer's confirmation: core's reply, the reasons behind the points, and where the notice went. */
export function findingConfirmationMessage(
  rb: Rulebook,
  locale: Locale,
  filed: FiledFinding,
  opts: { platform: string; notice: NoticeOutcome },
): Message {
  const base = findingFiledReplyMessage(locale, filed, {
    platform: opts.platform,
    ...clauseLabels(rb, locale, filed.finding),
  });
  const why = whyLines(rb, locale, filed.result, filed.earlier);
  const whyBlocks: Block[] = why.length > 0 ? [paragraph(bold(t(locale, 'bot.finding.why.header'))), list(why)] : [];
  // core's reply ends with the Withdraw button (ACTION.withdraw → bot/handlers/withdraw.ts)
  const blocks = [...base.blocks];
  const at = blocks.findIndex((b) => b.type === 'fields');
  blocks.splice(at < 0 ? blocks.length : at, 0, ...whyBlocks);
  return message([...blocks, noticeBlock(locale, filed.finding.unit, opts.notice)], { text: base.text });
}

/** What the filer is told about the unit's notice (nothing for a repeated request). */
function noticeBlock(locale: Locale, unit: string, notice: NoticeOutcome): Block | null {
  switch (notice.kind) {
    case 'posted':
      return context(t(locale, 'bot.finding.notice.posted', { unit }));
    case 'queued':
      return context(t(locale, 'bot.finding.notice.queued', { unit }));
    case 'no_channel':
      return paragraph(t(locale, 'bot.finding.notice.noChannel', { unit }));
    case 'failed':
      return paragraph(t(locale, 'bot.finding.notice.failed', { unit, code: notice.code }));
    case 'skipped':
      return null;
  }
}

export function usageBlocks(locale: Locale): Block[] {
  return [
    context(t(locale, 'bot.finding.usage')),
    context(t(locale, 'bot.finding.example')),
    context(t(locale, 'bot.finding.formHint')),
  ];
}

export function findingHelpMessage(locale: Locale, rb: Rulebook): Message {
  return message([
    header(t(locale, 'bot.finding.help.header')),
    paragraph(t(locale, 'bot.finding.usage')),
    paragraph(t(locale, 'bot.finding.help.words')),
    context(t(locale, 'bot.finding.example')),
    context(t(locale, 'bot.finding.formHint')),
    ...changeHelpBlocks(locale),
    ...officeHelpBlocks(locale, rb),
  ]);
}

export function fieldName(locale: Locale, field: string): string {
  return t(locale, `bot.finding.field.${field}` as MessageKey);
}

/** One sentence per issue, in the reader's language. */
export function parseIssueText(locale: Locale, issue: ParseIssue): string {
  const max = (FIELD_MAX as Record<string, number>)[issue.field];
  const text = t(locale, `bot.finding.problem.${issue.problem}` as MessageKey, {
    field: fieldName(locale, issue.field),
    value: issue.value,
    ...(max !== undefined ? { max } : {}),
  });
  const suggestions = issue.suggestions ?? [];
  return suggestions.length === 0
    ? text
    : text + t(locale, 'msg.common.didYouMean', { options: suggestions.join(t(locale, 'msg.common.listSeparator')) });
}

export function parseErrorMessage(locale: Locale, issues: readonly ParseIssue[]): Message {
  const lines = issues.map((i) => parseIssueText(locale, i));
  return message([paragraph(t(locale, 'bot.finding.parse.header')), list(lines), ...usageBlocks(locale)], {
    text: `${t(locale, 'bot.finding.parse.header')} ${lines.join(' ')}`,
  });
}

/** A refusal from core for a typed command: its message, and the correct form. */
export function findingRefusedMessage(locale: Locale, error: AppError): Message {
  const base = errorMessage(locale, error);
  const withUsage = error.code.startsWith('FINDING.') || error.code.startsWith('UNIT.');
  return withUsage ? message([...base.blocks, ...usageBlocks(locale)], { text: base.text }) : base;
}
