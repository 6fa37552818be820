import type { OutgoingFile } from '../../core/ports/messenger.port.ts';
import { fileNotDeliveredMessage } from '../../core/reports/delivery-messages.ts';
import type { BotDeps, Interaction } from '../interaction.ts';

/**
 * Hands files to the person who asked, in their chat with the bot, one after the other. A file
 * that cannot go (over the platform's limit, upload failed) is explained to them, and the rest
 * are not tried. Returns whether every file went.
 */
export async function deliverFilesPrivately(
  deps: BotDeps,
  ix: Interaction,
  files: readonly OutgoingFile[],
): Promise<boolean> {
  for (const file of files) {
    try {
      await ix.messenger.sendFile({ userId: ix.userId }, file);
    } catch (error) {
      deps.logger.warn({ err: error, file: file.filename, size: file.bytes.byteLength }, 'file not delivered');
      await ix.replyPrivately(fileNotDeliveredMessage(ix.locale, file.filename, error));
      return false;
    }
  }
  return true;
}
