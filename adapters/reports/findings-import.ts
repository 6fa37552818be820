import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Actor, BatchRowExtras, FileFindingCommand, FiledBatch } from '../../core/assessment-api.ts';
import type { Assessment } from '../../core/assessment.ts';
import { type AppError, InvalidRowsError } from '../../core/errors.ts';
import { LOCALES, type Locale } from '../../core/i18n/locale.ts';
import { t, type MessageKey } from '../../core/i18n/t.ts';
import { context, list, message, paragraph, type Message } from '../../core/messages/message.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import { FINDING_COLUMNS, type FindingColumnKey } from '../../core/reports/report-tables.ts';
import type { Rulebook } from '../../rules/rulebook.ts';

// `/kaoping import` and `npm run import`: the findings sheet of an export (XLSX, or its CSV),
// headers in either language, read back into filings and handed to the bulk intake
// (findings.fileBatch: every row checked as a chat filing is, all-or-nothing, idempotent per row
// key, one audit entry, one recompute). Every problem is reported by row and column as the file
// has them. Rows the export marks withdrawn are left out (they count for nothing); a row with a
// rectification date is filed as verified on that day, so a re-imported year scores the same.

export type CellValue = string | number | Date | null;

export interface ImportProblem {
  /** The row as the spreadsheet numbers it (the header is row 1). */
  row: number;
  /** The column's header as the file has it. */
  column: string;
  message: string;
}

export interface ImportedRow {
  row: number;
  command: Omit<FileFindingCommand, 'channel'> & BatchRowExtras;
}

export interface ReadFindings {
  rows: ImportedRow[];
  /** Rows left out because the export marks them withdrawn. */
  withdrawn: number;
  problems: ImportProblem[];
  /** Header text by column key, as the file has it. */
  headers: Map<FindingColumnKey, string>;
}

export type ImportOutcome =
  | { ok: true; batch: FiledBatch; rows: ImportedRow[]; withdrawn: number }
  | { ok: false; problems: ImportProblem[]; error?: AppError };

const REQUIRED: readonly FindingColumnKey[] = ['unit', 'clause', 'date'];

/** Header text (either language) → column key. */
function headerKeys(): Map<string, FindingColumnKey> {
  const m = new Map<string, FindingColumnKey>();
  for (const [key] of FINDING_COLUMNS)
    for (const locale of LOCALES) m.set(norm(t(locale, `report.column.${key}` as MessageKey)), key);
  return m;
}

const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();

/** A workbook cell's value: text of rich text and hyperlinks, a formula's result. */
function cellValue(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
  }
  return String(v);
}

/** The file's table: header row and data rows, whatever the format. */
async function table(filename: string, bytes: Uint8Array): Promise<CellValue[][] | null> {
  if (/\.csv$/i.test(filename)) return parse(Buffer.from(bytes), { bom: true, skip_empty_lines: true }) as string[][];
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const keys = headerKeys();
  const headerOf = (ws: ExcelJS.Worksheet) =>
    ((ws.getRow(1).values as ExcelJS.CellValue[]) ?? []).slice(1).map((v) => norm(String(cellValue(v) ?? '')));
  // the findings sheet: by its name in either language, else the first sheet with the required headers
  const names = new Set(LOCALES.map((l) => t(l, 'report.sheet.findings')));
  const ws =
    wb.worksheets.find((w) => names.has(w.name)) ??
    wb.worksheets.find((w) => REQUIRED.every((k) => headerOf(w).some((h) => keys.get(h) === k)));
  if (!ws) return null;
  const out: CellValue[][] = [];
  const width = ws.getRow(1).cellCount;
  ws.eachRow({ includeEmpty: true }, (row) => {
    const cells: CellValue[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellValue(row.getCell(c).value));
    out.push(cells);
  });
  return out;
}

const isoDate = (v: CellValue): string | null => {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v.trim())) return v.trim();
  return null;
};

/** Reads and converts every row; problems of reading (dates, numbers, missing columns) by row and column. */
export async function readFindingsFile(
  rb: Rulebook,
  locale: Locale,
  filename: string,
  bytes: Uint8Array,
): Promise<ReadFindings> {
  const headers = new Map<FindingColumnKey, string>();
  const problems: ImportProblem[] = [];
  let rowsIn: CellValue[][] | null;
  try {
    rowsIn = await table(filename, bytes);
  } catch (e) {
    return {
      rows: [],
      withdrawn: 0,
      headers,
      problems: [
        { row: 0, column: '', message: t(locale, 'report.import.unreadable', { detail: String(e).slice(0, 200) }) },
      ],
    };
  }
  if (!rowsIn?.length)
    return {
      rows: [],
      withdrawn: 0,
      headers,
      problems: [{ row: 0, column: '', message: t(locale, 'report.import.noSheet') }],
    };
  const keys = headerKeys();
  const index = new Map<FindingColumnKey, number>();
  rowsIn[0]!.forEach((h, i) => {
    const key = keys.get(norm(String(h ?? '')));
    if (key && !index.has(key)) {
      index.set(key, i);
      headers.set(key, String(h));
    }
  });
  const missing = REQUIRED.filter((k) => !index.has(k));
  if (missing.length)
    return {
      rows: [],
      withdrawn: 0,
      headers,
      problems: missing.map((k) => ({
        row: 1,
        column: t(locale, `report.column.${k}` as MessageKey),
        message: t(locale, 'report.import.missingColumn'),
      })),
    };

  const label = (key: FindingColumnKey) => headers.get(key) ?? t(locale, `report.column.${key}` as MessageKey);
  const withdrawnWords = new Set(LOCALES.map((l) => norm(t(l, 'report.counted.withdrawn'))));
  const sources = new Map<string, string>();
  for (const s of rb.data.settings.sources) {
    sources.set(norm(s), s);
    for (const l of LOCALES) sources.set(norm(t(l, `domain.source.${s}` as MessageKey)), s);
  }
  const rows: ImportedRow[] = [];
  let withdrawn = 0;
  for (let r = 1; r < rowsIn.length; r++) {
    const cells = rowsIn[r]!;
    const at = (key: FindingColumnKey): CellValue => {
      const i = index.get(key);
      const v = i === undefined ? null : (cells[i] ?? null);
      return typeof v === 'string' && v.trim() === '' ? null : v;
    };
    if (cells.every((c) => c === null || String(c).trim() === '')) continue;
    const rowNumber = r + 1;
    if (withdrawnWords.has(norm(String(at('counted') ?? '')))) {
      withdrawn++;
      continue;
    }
    const problem = (key: FindingColumnKey, messageKey: MessageKey, value: CellValue) =>
      problems.push({ row: rowNumber, column: label(key), message: t(locale, messageKey, { value: String(value) }) });
    const date = isoDate(at('date'));
    if (at('date') !== null && date === null) problem('date', 'report.import.badDate', at('date'));
    const rectifiedRaw = at('rectifiedOn');
    const rectifiedOn = rectifiedRaw === null ? null : isoDate(rectifiedRaw);
    if (rectifiedRaw !== null && rectifiedOn === null) problem('rectifiedOn', 'report.import.badDate', rectifiedRaw);
    const deadlineRaw = at('deadline');
    const deadline = deadlineRaw === null ? null : isoDate(deadlineRaw);
    if (deadlineRaw !== null && deadline === null) problem('deadline', 'report.import.badDate', deadlineRaw);
    const number = (key: FindingColumnKey, integer: boolean): number | undefined => {
      const v = at(key);
      if (v === null) return undefined;
      const n = typeof v === 'number' ? v : Number(String(v).trim());
      if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
        problem(key, integer ? 'report.import.badInteger' : 'report.import.badNumber', v);
        return undefined;
      }
      return n;
    };
    const count = number('count', true);
    const value = number('value', false);
    const clause = String(at('clause') ?? '').trim();
    const levelRaw = at('level');
    const level =
      levelRaw === null
        ? undefined
        : (() => {
            const c = rb.clauses.get(clause);
            const s = norm(String(levelRaw));
            const found =
              c?.kind === 'tiered'
                ? c.levels.find((l) => norm(l.id) === s || LOCALES.some((loc) => norm(l.label[loc]) === s))
                : undefined;
            return found?.id ?? String(levelRaw).trim();
          })();
    const sourceRaw = at('source');
    const source = sourceRaw === null ? undefined : (sources.get(norm(String(sourceRaw))) ?? String(sourceRaw).trim());
    const evidence = at('evidence');
    const links = at('links');
    const command: Omit<FileFindingCommand, 'channel'> & BatchRowExtras = {
      unit: String(at('unit') ?? '').trim(),
      clause,
      ...(date ? { date } : at('date') === null ? { date: '' } : {}),
      ...(count === undefined ? {} : { count }),
      ...(value === undefined ? {} : { value }),
      ...(level === undefined ? {} : { level }),
      ...(source === undefined ? {} : { source }),
      ...(deadline ? { deadline } : {}),
      ...(rectifiedOn ? { rectifiedOn } : {}),
      ...(evidence === null ? {} : { evidenceText: String(evidence) }),
      ...(links === null ? {} : { evidenceLinks: String(links).split(/\s+/).filter(Boolean) }),
      idempotencyKey: '',
    };
    const key = at('key');
    command.idempotencyKey =
      key === null
        ? `import:${createHash('sha256').update(JSON.stringify(command)).digest('hex').slice(0, 40)}`
        : String(key).trim();
    rows.push({ row: rowNumber, command });
  }
  return { rows, withdrawn, problems, headers };
}

/** Core's field names → the findings table's columns. */
const FIELD_COLUMN: Record<string, FindingColumnKey> = {
  unit: 'unit',
  clause: 'clause',
  date: 'date',
  count: 'count',
  value: 'value',
  level: 'level',
  source: 'source',
  deadline: 'deadline',
  evidenceText: 'evidence',
  evidenceLinks: 'links',
  idempotencyKey: 'key',
  rectifiedOn: 'rectifiedOn',
};

/**
 * Read the file and file every row through the bulk intake, as `actor` (organisers). Nothing is
 * written unless every row is valid; then a row filed before (same row key) is not filed again.
 */
export async function importFindings(
  a: Pick<Assessment, 'findings' | 'rulebook'>,
  actor: Actor,
  filename: string,
  bytes: Uint8Array,
): Promise<ImportOutcome> {
  const locale = actor.locale;
  const read = await readFindingsFile(a.rulebook, locale, filename, bytes);
  if (read.problems.length) return { ok: false, problems: read.problems };
  if (!read.rows.length)
    return { ok: false, problems: [{ row: 0, column: '', message: t(locale, 'report.import.empty') }] };
  const r = await a.findings.fileBatch(actor, {
    channel: 'import',
    label: filename,
    rows: read.rows.map((x) => x.command),
  });
  if (r.ok) return { ok: true, batch: r.value, rows: read.rows, withdrawn: read.withdrawn };
  if (!(r.error instanceof InvalidRowsError)) return { ok: false, problems: [], error: r.error };
  const label = (key: FindingColumnKey | undefined) =>
    key ? (read.headers.get(key) ?? t(locale, `report.column.${key}` as MessageKey)) : '';
  return {
    ok: false,
    problems: r.error.rows.map((e) => ({
      row: read.rows[e.index]!.row,
      column: label(FIELD_COLUMN[e.field]) || e.field,
      message: e.error.userMessage(locale),
    })),
  };
}

/** How many problems one answer lists (the rest are counted). */
const MAX_PROBLEMS_SHOWN = 50;

/** The answer to the person who imported: every problem by row and column, or what was filed. */
export function importOutcomeMessage(locale: Locale, outcome: ImportOutcome): Message {
  if (outcome.ok)
    return message([
      paragraph(
        t(locale, 'report.import.done', {
          created: outcome.batch.created,
          existing: outcome.batch.existing,
          withdrawn: outcome.withdrawn,
        }),
      ),
    ]);
  if (outcome.error) return errorMessage(locale, outcome.error);
  const lines = outcome.problems
    .slice(0, MAX_PROBLEMS_SHOWN)
    .map((p) =>
      p.row > 0
        ? t(locale, 'report.import.problem', { row: p.row, column: p.column, message: p.message })
        : t(locale, 'report.import.problemFile', { message: p.message }),
    );
  const more = outcome.problems.length - lines.length;
  return message(
    [
      paragraph(t(locale, 'report.import.refused')),
      list(lines),
      more > 0 ? context(t(locale, 'report.import.more', { count: more })) : null,
    ],
    { text: `${t(locale, 'report.import.refused')}\n${lines.join('\n')}` },
  );
}

/** One notice per unit of what the import filed for it (never one message per row). */
export function unitSummaries(
  rb: Rulebook,
  locale: Locale,
  outcome: ImportOutcome & { ok: true },
): Map<string, Message> {
  const byUnit = new Map<string, string[]>();
  for (const r of outcome.batch.rows) {
    if (!r.created) continue;
    const c = outcome.rows[r.index]!.command;
    const unit = rb.resolveUnit(c.unit) ?? c.unit;
    const items = byUnit.get(unit) ?? [];
    items.push(t(locale, 'report.import.unitItem', { seq: r.seq, clause: c.clause, date: c.date ?? '' }));
    byUnit.set(unit, items);
  }
  const out = new Map<string, Message>();
  for (const [unit, items] of byUnit) {
    const head = t(locale, 'report.import.unitSummary', { unit, count: items.length });
    const shown = items.slice(0, MAX_PROBLEMS_SHOWN);
    out.set(
      unit,
      message(
        [
          paragraph(head),
          list(shown),
          items.length > shown.length
            ? context(t(locale, 'report.import.moreItems', { count: items.length - shown.length }))
            : null,
        ],
        { text: head },
      ),
    );
  }
  return out;
}
