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
 * At the console, a file by its path; in chat the person is told where imports are done (a slash
 * command cannot carry a file). One summary per unit goes to the unit's channel afterwards.
 */
async function importFile(deps: BotDeps, ix: Interaction, actor: Actor, path: string | null): Promise<void> {
  const locale = actor.locale;
  if (ix.platform !== 'console' || path === null)
    return ix.replyPrivately(usageMessage(locale, 'import', t(locale, 'report.import.chatUsage')));
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return ix.replyPrivately(usageMessage(locale, 'import', t(locale, 'report.import.notFound', { value: path })));
  }
  const outcome = await importFindings(deps, actor, basename(path), bytes);
  await ix.replyPrivately(importOutcomeMessage(locale, outcome));
  if (!outcome.ok) return;
  for (const [unit, notice] of unitSummaries(deps.rulebook, deps.defaultLocale, outcome)) {
    const channel = await channelOf(deps, actor, ix.platform, unit);
    if (channel) await bestEffort(deps, 'import.unit', () => ix.messenger.postToChannel(channel, notice));
  }
}
