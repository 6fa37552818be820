import type { Locale } from '../../core/i18n/locale.ts';
import type { OutgoingFile } from '../../core/ports/messenger.port.ts';
import type { ReportFormat, ReportKind } from '../../core/ports/report-jobs.port.ts';
import type { ReportData } from '../../core/reports/report-data.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import { exportFiles } from './export-files.ts';

/** The files of a report request: an export (XLSX or CSV) or the 通报 document with its charts. */
export async function reportFiles(
  rb: Rulebook,
  locale: Locale,
  data: ReportData,
  kind: ReportKind,
  format: ReportFormat,
): Promise<OutgoingFile[]> {
  if (kind === 'export') return exportFiles(rb, locale, data, format === 'csv' ? 'csv' : 'xlsx');
  throw new Error(`report kind ${kind} is not made yet`);
}
