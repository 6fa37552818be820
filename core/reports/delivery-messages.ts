import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { context, message, paragraph, type Message } from '../messages/message.ts';
import { FILE_TOO_LARGE, MessengerError } from '../ports/messenger.port.ts';

/** What a person is told when a file could not be handed to them: too large, or the upload failed. */
export function fileNotDeliveredMessage(locale: Locale, filename: string, error: unknown): Message {
  const e = MessengerError.is(error) ? error : null;
  const what =
    e?.code === FILE_TOO_LARGE
      ? t(locale, 'report.delivery.tooLarge', { file: filename })
      : t(locale, 'report.delivery.failed', { file: filename });
  const hint = e && !e.permanent ? t(locale, 'report.delivery.retry') : t(locale, 'report.delivery.ask');
  return message([paragraph(what), context(hint), context(t(locale, 'msg.error.code', { code: e?.code ?? 'error' }))], {
    text: what,
  });
}
