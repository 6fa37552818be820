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
import { guarded } from './standings-format.ts';

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
    if (cmd.kind === 'import') return ix.replyPrivately(usageMessage(locale, 'import'));
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
