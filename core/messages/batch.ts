import type { InvalidRowsError, RowError } from '../errors.ts';
import type { Locale } from '../i18n/locale.ts';
import { hasMessage, t } from '../i18n/t.ts';
import { context, list, message, paragraph, type Message } from './message.ts';

// A refused batch (bulk intake) in words: the summary and one line per invalid row, numbered from
// 1 as people count rows, naming the field in the person's language, never its code.

const FIELD_LABELS: Record<string, string> = {
  unit: 'msg.label.unit',
  clause: 'msg.label.clause',
  date: 'msg.label.date',
  count: 'msg.label.count',
  value: 'msg.label.value',
  level: 'msg.label.level',
  source: 'msg.label.source',
  deadline: 'msg.label.deadline',
  rectifiedOn: 'msg.label.rectifiedOn',
  evidenceText: 'msg.label.evidence',
  evidenceLinks: 'msg.label.evidenceLinks',
  idempotencyKey: 'msg.label.importKey',
};

/** "Row 3 (Clause): there is no clause 9.9.9 …" */
export function rowErrorLine(locale: Locale, e: RowError): string {
  // a nested field (evidenceLinks.2) is named by its first part
  const key = FIELD_LABELS[e.field.split('.')[0]!];
  const field = t(locale, key && hasMessage(key) ? key : 'msg.label.row');
  return t(locale, 'msg.batch.row', { row: e.index + 1, field, message: e.error.userMessage(locale) });
}

/** The refusal with every invalid row listed (at most `limit` lines; the rest are counted). */
export function invalidRowsMessage(locale: Locale, error: InvalidRowsError, limit = 50): Message {
  const lines = error.rows.slice(0, limit).map((r) => rowErrorLine(locale, r));
  const summary = error.userMessage(locale);
  return message(
    [
      paragraph(summary),
      list(lines),
      error.rows.length > limit && context(t(locale, 'msg.common.more', { count: error.rows.length - limit })),
    ],
    { text: summary },
  );
}
