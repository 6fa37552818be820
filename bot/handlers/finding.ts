import type { Actor, FileFindingCommand, FiledFinding } from '../../core/assessment-api.ts';
import { may, forbidden } from '../../core/authorization.ts';
import { AppError, err, type Result } from '../../core/errors.ts';
import { findingNoticeMessage } from '../../core/messages/findings.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import { MessengerError } from '../../core/ports/messenger.port.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { channelOf, contactsOf, rememberNotice } from './recipients.ts';
import { parseFindingText, type FindingDraft } from '../parsing/finding-text.ts';
import { parseFindingChangeText } from '../parsing/finding-change-text.ts';
import { parseOfficeText } from '../parsing/office-text.ts';
import { handleOfficeCommand } from './office.ts';
import { handleFindingChangeCommand } from './finding-change.ts';
import {
  clauseLabels,
  findingConfirmationMessage,
  findingHelpMessage,
  findingRefusedMessage,
  parseErrorMessage,
  type NoticeOutcome,
} from './finding-reply.ts';

// /finding, whichever messenger it came from: parse the quick form, file it through core, tell
// the filer how it counts and post the notice to the unit's group channel. `withdraw` and
// `deadline` as the first word change a filed finding instead (bot/handlers/finding-change.ts). Messengers with forms
// (Slack) pass `openForm`; the others answer a partial command with what is missing.

export interface FindingCommandOptions {
  /** Open the filing form pre-filled with what the command gave (Slack: views.open, at once). */
  openForm?: (draft: FindingDraft, actor: Actor) => Promise<void>;
}

/** The actor, if they may file; otherwise the refusal has been sent and null is returned. */
export async function filerOrRefuse(ix: Interaction): Promise<Actor | null> {
  if (!ix.actor.ok) {
    await ix.replyPrivately(errorMessage(ix.locale, ix.actor.error));
    return null;
  }
  const actor = ix.actor.value;
  if (!may(actor, 'finding.file')) {
    await ix.replyPrivately(errorMessage(actor.locale, forbidden(actor, 'finding.file')));
    return null;
  }
  return actor;
}

export async function handleFindingCommand(
  deps: BotDeps,
  ix: Interaction,
  text: string,
  opts: FindingCommandOptions = {},
): Promise<void> {
  // `/finding withdraw #123 …`, `/finding deadline #123 …`: changes to a filed finding
  const change = parseFindingChangeText(text);
  if (change) return handleFindingChangeCommand(deps, ix, change);
  // `/finding appeal|rule|reopen|extend|extension #123 …`: appeals and extension requests
  const office = parseOfficeText(text);
  if (office) return handleOfficeCommand(deps, ix, office);
  const actor = await filerOrRefuse(ix);
  if (!actor) return;
  const locale = actor.locale;
  const parsed = parseFindingText(deps.rulebook, text);
  switch (parsed.kind) {
    case 'help':
      return ix.replyPrivately(findingHelpMessage(locale, deps.rulebook));
    case 'invalid':
      return ix.replyPrivately(parseErrorMessage(locale, parsed.issues));
    case 'partial':
      if (opts.openForm) return opts.openForm(parsed.draft, actor);
      return ix.replyPrivately(
        parseErrorMessage(
          locale,
          parsed.missing.map((field) => ({ field, problem: 'required', value: '' })),
        ),
      );
    case 'complete': {
      const filed = await fileFinding(deps, ix, actor, parsed.draft, ix.requestKey);
      if (!filed.ok) return ix.replyPrivately(findingRefusedMessage(locale, filed.error));
      return announceFiledFinding(deps, ix, actor, filed.value);
    }
  }
}

/** Files a complete draft; the same key files one finding however often it is sent. */
export function fileFinding(
  deps: BotDeps,
  ix: Interaction,
  actor: Actor,
  draft: FindingDraft,
  idempotencyKey: string,
): Promise<Result<FiledFinding>> {
  if (draft.unit === undefined || draft.clause === undefined) {
    const field = draft.unit === undefined ? 'unit' : 'clause';
    return Promise.resolve(err(new AppError('FINDING.MISSING_FIELD', `${field}: required`, { field })));
  }
  const cmd: FileFindingCommand = {
    unit: draft.unit,
    clause: draft.clause,
    idempotencyKey,
    channel: (ix.channelId ?? ix.platform).slice(0, 40),
    ...(draft.date !== undefined ? { date: draft.date } : {}),
    ...(draft.count !== undefined ? { count: draft.count } : {}),
    ...(draft.value !== undefined ? { value: draft.value } : {}),
    ...(draft.level !== undefined ? { level: draft.level } : {}),
    ...(draft.source !== undefined ? { source: draft.source } : {}),
    ...(draft.deadline !== undefined ? { deadline: draft.deadline } : {}),
    ...(draft.evidenceText !== undefined ? { evidenceText: draft.evidenceText } : {}),
    ...(draft.evidenceLinks !== undefined ? { evidenceLinks: draft.evidenceLinks } : {}),
  };
  return deps.findings.file(actor, cmd).then((r) => {
    if (r.ok) deps.metrics?.findingsFiled.inc();
    return r;
  });
}

/**
 * After a finding is filed: the notice to the unit's group channel (first time only; its ref is
 * stored for later updates), then the filer's confirmation with the points and why. When the
 * notices are the worker's and the filing reached its queue, the bot leaves the notice to it: the
 * Slack call, the stored ref and the message's rendering are then off the request (a third of the
 * bot's work per filing, README "Benchmarks").
 */
export async function announceFiledFinding(
  deps: BotDeps,
  ix: Interaction,
  actor: Actor,
  filed: FiledFinding,
): Promise<void> {
  const notice: NoticeOutcome = !filed.created
    ? { kind: 'skipped' }
    : deps.workerNotices?.includes(ix.platform) && filed.published
      ? await noticeLeftToWorker(deps, ix, actor, filed)
      : await postNotice(deps, ix, actor, filed);
  await ix.replyPrivately(
    findingConfirmationMessage(deps.rulebook, actor.locale, filed, { platform: ix.platform, notice }),
  );
}

async function postNotice(deps: BotDeps, ix: Interaction, actor: Actor, filed: FiledFinding): Promise<NoticeOutcome> {
  const f = filed.finding;
  const channel = await channelOf(deps, actor, ix.platform, f.unit);
  if (!channel) return { kind: 'no_channel' };
  const contacts = await contactsOf(deps, actor, ix.platform, f.unit);
  const locale = deps.defaultLocale; // the unit's channel is read by many: the configured language
  const msg = findingNoticeMessage(locale, f, {
    platform: ix.platform,
    contacts,
    result: filed.result,
    ...clauseLabels(deps.rulebook, locale, f),
  });
  try {
    const posted = await ix.messenger.postToChannel(channel, msg);
    await rememberNotice(deps, actor, f.id, posted.ref);
    return { kind: 'posted' };
  } catch (e) {
    if (!MessengerError.is(e)) throw e;
    deps.logger.warn({ findingId: f.id, unit: f.unit, channel, code: e.code }, 'finding notice not posted');
    return { kind: 'failed', code: e.code };
  }
}

/** The worker posts it (worker/processors/finding-notice.processor.ts); the filer still learns of a missing channel. */
async function noticeLeftToWorker(
  deps: BotDeps,
  ix: Interaction,
  actor: Actor,
  filed: FiledFinding,
): Promise<NoticeOutcome> {
  const channel = await channelOf(deps, actor, ix.platform, filed.finding.unit);
  return channel ? { kind: 'queued' } : { kind: 'no_channel' };
}
