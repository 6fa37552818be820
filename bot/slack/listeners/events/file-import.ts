import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { importSentFile, type ReceivedFile } from '../../../handlers/reports.ts';
import { downloadReceivedFile } from '../../../received-file-download.ts';
import { SeenMessages } from '../../../dingtalk/seen-messages.ts';
import { answerAfterAck } from '../../slack-interaction.ts';

// "kaoping import" with a file attached (a DM with the bot or a channel it is in): the message
// event carries the file's id; files.info says its name and size (message events may only say
// "check_file_info"), and url_private_download gives its bytes with the bot token as Bearer
// (scopes files:read, plus im:history / channels:history for the message events). Slack's own
// client would take a leading "/" as a slash command, so the words are matched with or without it.
const IMPORT_WORDS = /^\s*(?:\/?kaoping\s+)?(?:import|导入)(?:\s|$)/i;

interface FileShareEvent {
  user?: string;
  bot_id?: string;
  text?: string;
  channel?: string;
  files?: Array<{ id?: string }>;
}

export function registerFileImport(app: App, deps: BotDeps): void {
  // Slack redelivers an event it thinks we missed, with the same event_id: one answer only (a
  // second import would add nothing anyway — the row keys — but the person would be answered twice).
  const seen = new SeenMessages();
  app.event('message', async ({ event, body, client, context }) => {
    const e = event as FileShareEvent;
    const fileId = e.files?.[0]?.id;
    if (!fileId || !e.user || e.bot_id || !IMPORT_WORDS.test(e.text ?? '')) return;
    const eventId = (body as { event_id?: string }).event_id ?? `${e.channel}:${fileId}`;
    if (!seen.firstTime(eventId)) return;
    const token = context.botToken ?? client.token ?? '';
    let info: Promise<{ filename: string; size: number; url: string }> | undefined;
    const describe = () =>
      (info ??= client.files.info({ file: fileId }).then((r) => ({
        filename: String(r.file?.name ?? fileId),
        size: Number(r.file?.size ?? 0),
        url: String(r.file?.url_private_download ?? ''),
      })));
    const file: ReceivedFile = {
      describe,
      download: async () => downloadReceivedFile((await describe()).url, { authorization: `Bearer ${token}` }),
    };
    await answerAfterAck(
      deps,
      { client, context, userId: e.user, channelId: e.channel ?? null, requestKey: `slack:event:${eventId}` },
      'import',
      (ix) => importSentFile(deps, ix, file),
    );
  });
}
