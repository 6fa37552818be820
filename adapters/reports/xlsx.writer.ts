import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, CellType, ReportTable } from '../../core/reports/report-tables.ts';

// A report's tables as one XLSX workbook, with exceljs's streaming writer (rows are written and
// let go as they come, so a year of 100,000 findings does not sit in memory as cell objects):
// one sheet per table, the header row bold and frozen, numbers as numbers with their decimals
// shown, civil dates as real dates, timestamps in Asia/Shanghai time.

const NUMBER_FORMAT: Record<CellType, string | undefined> = {
  int: '0',
  number: '0.00',
  text: undefined,
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};

/** Shanghai is UTC+8 all year: a workbook has no time zones, so the wall-clock time is written. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** A cell as the workbook stores it. */
export function workbookValue(type: CellType, v: Cell): ExcelJS.CellValue {
  if (v === null || v === '') return null;
  if (type === 'date' && typeof v === 'string') {
    const [y, m, d] = v.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d));
  }
  if (type === 'datetime') {
    const at = v instanceof Date ? v : new Date(String(v));
    return new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  }
  return v as ExcelJS.CellValue;
}

export async function writeXlsx(tables: readonly ReportTable[]): Promise<Uint8Array> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'kaoping';
  for (const table of tables) {
    const ws = wb.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    ws.columns = table.columns.map((c) => ({
      header: c.header,
      key: c.key,
      width: c.width,
      ...(NUMBER_FORMAT[c.type] ? { style: { numFmt: NUMBER_FORMAT[c.type]! } } : {}),
    }));
    const head = ws.getRow(1);
    head.font = { bold: true };
    head.commit();
    for (const row of table.rows) {
      ws.addRow(row.map((v, i) => workbookValue(table.columns[i]!.type, v))).commit();
    }
    ws.commit();
  }
  await wb.commit();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
