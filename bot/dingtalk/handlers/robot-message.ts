import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { t } from '../../../core/i18n/t.ts';
import { header, message, paragraph } from '../../../core/messages/message.ts';
import { errorMessage } from '../../../core/messages/standings.ts';
import { parsePressCommand } from '../../../adapters/messenger/console/console-text.renderer.ts';
import type { Interaction } from '../../interaction.ts';
import { handleAdminCommand } from '../../handlers/admin.ts';
import { handleFindingCommand } from '../../handlers/finding.ts';
import { handleHomeOpened } from '../../handlers/home.ts';
import { handleMyScore } from '../../handlers/myscore.ts';
import { handleStandings } from '../../handlers/standings.ts';
import { importSentFile, type ReceivedFile } from '../../handlers/reports.ts';
import { downloadReceivedFile } from '../../received-file-download.ts';
import { type DingTalkBotDeps, robotMessageInteraction } from '../dingtalk-interaction.ts';
import { adminText, messageText } from '../message-text.ts';
import type { RobotMessage } from '../robot-message.schema.ts';
import { pressButton } from './press.ts';

// A message to the robot (a group message that @-mentions it, or any one-to-one message): the
// same commands as Slack's slash commands and the console, typed. A one-to-one message that is
// not a command answers the guided form the person has open.

const COMMANDS = new Set(['/finding', '/myscore', '/standings', '/kaoping', '/help', '/press', '/cancel', '/home']);

export async function handleRobotMessage(deps: DingTalkBotDeps, msg: RobotMessage): Promise<void> {
  const ix = await robotMessageInteraction(deps, msg);
  try {
    await route(deps, ix, msg);
  } catch (e) {
    deps.logger.error({ err: (e as Error).message, user: ix.userId }, 'DingTalk message handler failed');
    await ix
      .replyPrivately(errorMessage(ix.locale, new AppError('INTERNAL', (e as Error).message)))
      .catch(() => undefined);
  }
}

async function route(deps: DingTalkBotDeps, ix: Interaction, msg: RobotMessage): Promise<void> {
  // a file sent to the robot is a findings file to import (organisers; a robot message cannot
  // carry a file and words together, so the file alone says it)
  if (msg.msgtype === 'file') {
    const file = fileContentSchema.safeParse(msg.content);
    if (file.success) return importSentFile(deps, ix, receivedFile(deps, file.data));
  }
  const text = messageText(msg);
  if (text === null) return ix.replyPrivately(message([paragraph(t(ix.locale, 'bot.dingtalk.unsupported'))]));
  // an answer to an open form (whichever bot process asked it)
  if (msg.conversationType === '1' && !text.startsWith('/') && (await deps.forms.answer(ix, text))) return;
  const m = /^(\/?\S+)\s*([\s\S]*)$/.exec(text);
  const word = (m?.[1] ?? '').toLowerCase();
  // the slash is optional: phones make it awkward to type
  const command = word.startsWith('/') ? word : `/${word}`;
  const rest = m?.[2] ?? '';
  if (!COMMANDS.has(command)) {
    if (text === '') return help(ix);
    return ix.replyPrivately(message([paragraph(t(ix.locale, 'bot.dingtalk.unknownCommand', { command: word }))]));
  }
  switch (command) {
    case '/finding':
      return handleFindingCommand(deps, ix, rest);
    case '/myscore':
      return handleMyScore(deps, ix, rest);
    case '/standings':
      return handleStandings(deps, ix, rest);
    case '/kaoping':
      return handleAdminCommand(deps, ix, adminText(rest, msg));
    case '/home':
      return handleHomeOpened(deps, ix);
    case '/cancel':
      if (!(await deps.forms.cancel(ix))) return help(ix);
      return;
    case '/press': {
      const p = parsePressCommand(text.startsWith('/') ? text : `/${text}`);
      if (!p?.actionId) return help(ix);
      return pressButton(deps, ix, p.actionId, p.value, null);
    }
    default:
      return help(ix);
  }
}

const fileContentSchema = z.object({
  downloadCode: z.string().min(1).max(2000),
  fileName: z.string().min(1).max(500),
});

function receivedFile(deps: DingTalkBotDeps, f: z.infer<typeof fileContentSchema>): ReceivedFile {
  return {
    describe: async () => ({ filename: f.fileName, size: null }),
    download: async () => downloadReceivedFile(await deps.messenger.messageFileUrl(f.downloadCode)),
  };
}

function help(ix: Interaction): Promise<void> {
  return ix.replyPrivately(
    message([header(t(ix.locale, 'bot.dingtalk.help.header')), paragraph(t(ix.locale, 'bot.dingtalk.help.body'))]),
  );
}
