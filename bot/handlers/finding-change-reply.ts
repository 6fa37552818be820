import type { Actor, FindingState, FindingView } from '../../core/assessment-api.ts';
import { forbidden, may, type Action } from '../../core/authorization.ts';
import { AppError } from '../../core/errors.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t, type MessageKey } from '../../core/i18n/t.ts';
import { statusLabel } from '../../core/messages/format.ts';
import { bold, context, message, paragraph, type Block, type Message } from '../../core/messages/message.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import { MessengerError } from '../../core/ports/messenger.port.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { channelOf } from './recipients.ts';
import { MAX_REASON, type FindingChangeIssue, type FindingChangeKind } from '../parsing/finding-change-text.ts';
import { seqLabel } from './standings-format.ts';

// Shared by the withdraw and deadline handlers: who may, what was wrong with a command and the
// correct form, core's refusals in words people read (#seq, status labels), and telling the unit.

const KINDS: readonly FindingChangeKind[] = ['withdraw', 'deadline'];

/** The actor, if they may do `action`; otherwise the refusal has been sent and null is returned. */
export async function changerOrRefuse(ix: Interaction, action: Action): Promise<Actor | null> {
  if (!ix.actor.ok) {
    await ix.replyPrivately(errorMessage(ix.locale, ix.actor.error));
    return null;
  }
  const actor = ix.actor.value;
  if (!may(actor, action)) {
    await ix.replyPrivately(errorMessage(actor.locale, forbidden(actor, action)));
    return null;
  }
  return actor;
}

/** The usage line and an example of one change command (or both). */
export function changeUsageBlocks(locale: Locale, kinds: readonly FindingChangeKind[] = KINDS): Block[] {
  return kinds.flatMap((k) => [
    paragraph(t(locale, `bot.change.usage.${k}`)),
    context(t(locale, `bot.change.example.${k}`)),
  ]);
}

/** For /finding help: both commands, and who may use them. */
export function changeHelpBlocks(locale: Locale): Block[] {
  return [
    paragraph(bold(t(locale, 'bot.change.help.header'))),
    ...changeUsageBlocks(locale),
    context(t(locale, 'bot.change.help.who')),
  ];
}

export function changeParseErrorMessage(locale: Locale, issue: FindingChangeIssue): Message {
  const head = t(locale, `bot.change.parse.${issue.kind}`);
  const problem = t(locale, `bot.change.problem.${issue.problem}` as MessageKey, {
    value: issue.value,
    max: MAX_REASON,
  });
  return message(
    [
      paragraph(head),
      paragraph(problem),
      context(t(locale, 'bot.change.usage.header')),
      ...changeUsageBlocks(locale, [issue.kind]),
    ],
    { text: `${head} ${problem}` },
  );
}

/** A refusal from core for a typed change: its message, and the correct form when the input was at fault. */
export function changeRefusedMessage(locale: Locale, kind: FindingChangeKind, error: AppError): Message {
  const base = errorMessage(locale, readableError(locale, error));
  const withUsage = ['FINDING.NOT_FOUND', 'FINDING.BAD_REF', 'FINDING.BAD_DATE', 'FINDING.REASON_REQUIRED'].includes(
    error.code,
  );
  return withUsage
    ? message([...base.blocks, context(t(locale, 'bot.change.usage.header')), ...changeUsageBlocks(locale, [kind])], {
        text: base.text,
      })
    : base;
}

const STATES: readonly FindingState[] = ['filed', 'submitted', 'verified', 'withdrawn'];

/** Core names findings by seq (a number) and states by id; people read "#12" and "已销号". */
export function readableError(locale: Locale, e: AppError): AppError {
  const { value, state } = e.params;
  const seq = typeof value === 'number';
  const st = typeof state === 'string' && (STATES as readonly string[]).includes(state);
  if (!seq && !st) return e;
  return new AppError(e.code, e.message, {
    ...(e.field ? { field: e.field } : {}),
    params: {
      ...e.params,
      ...(seq ? { value: seqLabel(value) } : {}),
      ...(st ? { state: statusLabel(locale, state as FindingState) } : {}),
    },
  });
}

export type UnitTold = { kind: 'posted' } | { kind: 'no_channel' } | { kind: 'failed'; code: string };

/** Post to the unit's group channel (in the configured language: many read it). Never throws for the messenger. */
export async function tellUnit(
  deps: BotDeps,
  ix: Interaction,
  actor: Actor,
  f: FindingView,
  build: (locale: Locale) => Message,
): Promise<UnitTold> {
  const channel = await channelOf(deps, actor, ix.platform, f.unit);
  if (!channel) return { kind: 'no_channel' };
  try {
    await ix.messenger.postToChannel(channel, build(deps.defaultLocale));
    return { kind: 'posted' };
  } catch (e) {
    const code = MessengerError.is(e) ? e.code : (e as Error).message;
    deps.logger.warn({ finding: f.id, unit: f.unit, channel, code }, 'unit not told of a finding change');
    return { kind: 'failed', code };
  }
}

/** One line for the person who made the change: whether the unit was told. */
export function unitToldBlock(locale: Locale, unit: string, told: UnitTold): Block {
  switch (told.kind) {
    case 'posted':
      return context(t(locale, 'bot.change.unit.posted', { unit }));
    case 'no_channel':
      return paragraph(t(locale, 'bot.change.unit.noChannel', { unit }));
    case 'failed':
      return paragraph(t(locale, 'bot.change.unit.failed', { unit, code: told.code }));
  }
}

export function sameReason(a: string | null, b: string): boolean {
  return a !== null && a.trim().normalize('NFKC') === b.trim().normalize('NFKC');
}
