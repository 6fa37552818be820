import type { Locale } from '../../core/i18n/locale.ts';
import type { OutgoingFile } from '../../core/ports/messenger.port.ts';
import type { ReportData } from '../../core/reports/report-data.ts';
import { reportBaseName, reportTables } from '../../core/reports/report-tables.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import { writeCsv } from './csv.writer.ts';
import { writeXlsx } from './xlsx.writer.ts';

export type ExportFormat = 'xlsx' | 'csv';

/** A period's export as files to hand on: one workbook, or one CSV per table. */
export async function exportFiles(
  rb: Rulebook,
  locale: Locale,
  data: ReportData,
  format: ExportFormat,
): Promise<OutgoingFile[]> {
  const tables = reportTables(rb, locale, data);
  const base = reportBaseName(locale, data.period);
  if (format === 'xlsx')
    return [{ filename: `${base}.xlsx`, bytes: await writeXlsx(tables), kind: 'file', title: base }];
  return tables.map((table) => ({
    filename: `${base}-${table.name}.csv`,
    bytes: writeCsv(table),
    kind: 'file' as const,
    title: `${base} ${table.name}`,
  }));
}
