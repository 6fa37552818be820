import type { Cell, CellType, ReportTable } from '../../core/reports/report-tables.ts';

// A report table as CSV (RFC 4180): UTF-8 with a byte-order mark, which is what makes Excel open
// Chinese text correctly instead of guessing a legacy code page; CRLF line ends; every field that
// holds a comma, quote or line break quoted. Numbers are written in full; dates as YYYY-MM-DD and
// timestamps as YYYY-MM-DD HH:mm in Asia/Shanghai, the same values the workbook shows.

const BOM = '\uFEFF';

function text(type: CellType, v: Cell): string {
  if (v === null) return '';
  if (type === 'datetime') {
    const at = v instanceof Date ? v : new Date(String(v));
    return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  }
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

function field(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function writeCsv(table: ReportTable): Uint8Array {
  const lines = [table.columns.map((c) => field(c.header)).join(',')];
  for (const row of table.rows) lines.push(row.map((v, i) => field(text(table.columns[i]!.type, v))).join(','));
  return new TextEncoder().encode(`${BOM}${lines.join('\r\n')}\r\n`);
}
