import { may } from '../../core/authorization.ts';
import { forbidden } from '../../core/authorization.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t, type MessageKey } from '../../core/i18n/t.ts';
import { context, message, paragraph, type Message } from '../../core/messages/message.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import { reportFiles } from '../../adapters/reports/report-files.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { parseReportText, type ReportCommand } from '../parsing/report-text.ts';
import { deliverFilesPrivately } from './file-delivery.ts';
import { bestEffort, guarded } from './standings-format.ts';
import { channelOf } from './recipients.ts';
import { importFindings, importOutcomeMessage, unitSummaries } from '../../adapters/reports/findings-import.ts';
import type { Actor } from '../../core/assessment-api.ts';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_IMPORT_BYTES, ReceivedFileTooLarge } from '../received-file-download.ts';

// /kaoping export|report|import: the files the office hands on. With a worker (Slack, DingTalk)
// the request is acknowledged at once and the worker sends the file when it is made; the console
// has no worker and makes it while the person waits.

export function reportUsageLines(locale: Locale): string[] {
  return [t(locale, 'report.usage.export'), t(locale, 'report.usage.bulletin'), t(locale, 'report.usage.import')];
}

function usageMessage(locale: Locale, kind: ReportCommand['kind'], problem?: string): Message {
  return message([problem ? paragraph(problem) : null, context(t(locale, `report.usage.${kind}`))]);
}

export async function handleReportCommand(deps: BotDeps, ix: Interaction, text: string): Promise<void> {
  await guarded(deps, ix, 'report', async () => {
    const locale = ix.actor.ok ? ix.actor.value.locale : ix.locale;
    const parsed = parseReportText(text);
    if (!parsed.ok)
      return ix.replyPrivately(
        usageMessage(
          locale,
          parsed.kind,
          t(locale, `report.problem.${parsed.problem}` as MessageKey, { value: parsed.value, year: deps.year }),
        ),
      );
    if (!ix.actor.ok) return ix.replyPrivately(errorMessage(locale, ix.actor.error));
    const actor = ix.actor.value;
    const cmd = parsed.command;
    if (cmd.kind === 'import') return importFile(deps, ix, actor, cmd.path);
    // refused at once, before anything is queued: the worker checks again as the same person
    if (!may(actor, 'report.export')) return ix.replyPrivately(errorMessage(locale, forbidden(actor, 'report.export')));
    const format = cmd.kind === 'export' ? cmd.format : 'docx';
    if (deps.reportJobs) {
      await deps.reportJobs.enqueue({
        kind: cmd.kind,
        period: cmd.period,
        format,
        platform: ix.platform,
        userId: ix.userId,
        requestKey: ix.requestKey,
      });
      return ix.replyPrivately(message([paragraph(t(locale, 'report.queued', { period: cmd.period }))]));
    }
    const data = await deps.reports.data(actor, { period: cmd.period, published: cmd.kind === 'bulletin' });
    if (!data.ok) return ix.replyPrivately(errorMessage(locale, data.error));
    const files = await reportFiles(deps.rulebook, locale, data.value, cmd.kind, format);
    if (await deliverFilesPrivately(deps, ix, files))
      await ix.replyPrivately(
        message([paragraph(t(locale, 'report.sent', { period: cmd.period, count: files.length }))]),
      );
  });
}

/**
 * At the console, a file by its path; in chat a slash command cannot carry a file, so the person
 * is told how to send one (Slack: importSentFile below). One summary per unit goes to the unit's
 * channel afterwards.
 */
async function importFile(deps: BotDeps, ix: Interaction, actor: Actor, path: string | null): Promise<void> {
  const locale = actor.locale;
  if (ix.platform !== 'console' || path === null) {
    const how =
      ix.platform === 'slack'
        ? 'report.import.chatUsageSlack'
        : ix.platform === 'dingtalk'
          ? 'report.import.chatUsageDingTalk'
          : 'report.import.chatUsage';
    return ix.replyPrivately(usageMessage(locale, 'import', t(locale, how)));
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return ix.replyPrivately(usageMessage(locale, 'import', t(locale, 'report.import.notFound', { value: path })));
  }
  await importBytes(deps, ix, actor, basename(path), bytes);
}

async function importBytes(
  deps: BotDeps,
  ix: Interaction,
  actor: Actor,
  filename: string,
  bytes: Uint8Array,
): Promise<void> {
  const outcome = await importFindings(deps, actor, filename, bytes);
  await ix.replyPrivately(importOutcomeMessage(actor.locale, outcome));
  if (!outcome.ok) return;
  for (const [unit, notice] of unitSummaries(deps.rulebook, deps.defaultLocale, outcome)) {
    const channel = await channelOf(deps, actor, ix.platform, unit);
    if (channel) await bestEffort(deps, 'import.unit', () => ix.messenger.postToChannel(channel, notice));
  }
}

/** A file a person sent in chat: what the platform says of it, and its bytes on demand. */
export interface ReceivedFile {
  /** size null: the platform does not say (DingTalk); the download stops at the limit. */
  describe(): Promise<{ filename: string; size: number | null }>;
  download(): Promise<Uint8Array>;
}

/**
 * A findings file sent in chat with "kaoping import": organisers only, refused before anything is
 * fetched; the type and the size are checked before the download; the person hears at once that
 * the file arrived, then what was imported or every problem by row and column.
 */
export async function importSentFile(deps: BotDeps, ix: Interaction, file: ReceivedFile): Promise<void> {
  await guarded(deps, ix, 'import', async () => {
    if (!ix.actor.ok) return ix.replyPrivately(errorMessage(ix.locale, ix.actor.error));
    const actor = ix.actor.value;
    const locale = actor.locale;
    if (!may(actor, 'finding.import'))
      return ix.replyPrivately(errorMessage(locale, forbidden(actor, 'finding.import')));
    const { filename, size } = await file.describe();
    const say = (key: MessageKey, vars: Record<string, string | number> = {}) =>
      ix.replyPrivately(message([paragraph(t(locale, key, { filename, ...vars }))]));
    if (!/\.(xlsx|csv)$/i.test(filename)) return say('report.import.wrongType');
    const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
    if (size !== null && size > MAX_IMPORT_BYTES)
      return say('report.import.tooLarge', { size: mb(size), max: mb(MAX_IMPORT_BYTES) });
    await say('report.import.received');
    let bytes: Uint8Array;
    try {
      bytes = await file.download();
    } catch (e) {
      if (e instanceof ReceivedFileTooLarge)
        return e.size === null
          ? say('report.import.tooLargeRead', { max: mb(MAX_IMPORT_BYTES) })
          : say('report.import.tooLarge', { size: mb(e.size), max: mb(MAX_IMPORT_BYTES) });
      deps.logger.warn({ err: (e as Error).message }, 'a file sent for import could not be fetched');
      return say('report.import.downloadFailed');
    }
    await importBytes(deps, ix, actor, filename, bytes);
  });
}
