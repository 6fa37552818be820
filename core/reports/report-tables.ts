import type { Locale } from '../i18n/locale.ts';
import { t, type MessageKey } from '../i18n/t.ts';
import { findingStatusLabel, formatNumber, sourceLabel } from '../messages/format.ts';
import { groupLabel, levelLabel } from '../messages/rulebook-labels.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import { disqualificationName, reasonTexts } from '../messages/finding-reasons.ts';
import type { ReportData, ReportFinding } from './report-data.ts';

// A report's tables, in the reader's language: one of standings per group, one of findings with the
// engine's explanation, one each of rectifications, appeals and extensions. The XLSX and the CSV
// writers lay out exactly these (adapters/reports/), and the import reads the findings table back
// by its headers in either language (FINDING_COLUMNS).

/** How a column's cells are typed: numbers keep their decimals, dates are real dates in a workbook. */
export type CellType = 'int' | 'number' | 'text' | 'date' | 'datetime';
export type Cell = string | number | Date | null;

export interface TableColumn {
  key: string;
  header: string;
  type: CellType;
  /** Characters, for the workbook's column width. */
  width: number;
}

export interface ReportTable {
  /** Stable: 'standings-<group>', 'findings', 'rectifications', 'appeals', 'extensions'. */
  id: string;
  /** The sheet's name (≤ 31 characters, as Excel allows) and the CSV file's. */
  name: string;
  columns: TableColumn[];
  rows: Cell[][];
}

/** The findings table's columns, by key: what an import reads back (headers in either language). */
export const FINDING_COLUMNS = [
  ['seq', 'int', 8],
  ['key', 'text', 28],
  ['unit', 'text', 18],
  ['clause', 'text', 9],
  ['section', 'text', 24],
  ['date', 'date', 12],
  ['count', 'int', 6],
  ['value', 'number', 8],
  ['level', 'text', 10],
  ['source', 'text', 12],
  ['deadline', 'date', 12],
  ['base', 'number', 9],
  ['inspectionMultiplier', 'number', 9],
  ['repeatMultiplier', 'number', 9],
  ['multiplier', 'number', 9],
  ['points', 'number', 9],
  ['repeatOf', 'text', 12],
  ['counted', 'text', 10],
  ['state', 'text', 14],
  ['overdue', 'text', 8],
  ['rectifiedOn', 'date', 12],
  ['explanation', 'text', 40],
  ['evidence', 'text', 40],
  ['links', 'text', 30],
  ['filedBy', 'text', 12],
  ['filedAt', 'datetime', 18],
  ['underAppeal', 'text', 8],
  ['withdrawReason', 'text', 20],
] as const satisfies ReadonlyArray<readonly [string, CellType, number]>;

export type FindingColumnKey = (typeof FINDING_COLUMNS)[number][0];

const header = (locale: Locale, key: string) => t(locale, `report.column.${key}` as MessageKey);
const yesNo = (locale: Locale, v: boolean) => t(locale, v ? 'report.yes' : 'report.no');

/** Every table of a report, in the order of the workbook's sheets. */
export function reportTables(rb: Rulebook, locale: Locale, data: ReportData): ReportTable[] {
  return [
    ...standingsTables(rb, locale, data),
    findingsTable(rb, locale, data),
    rectificationsTable(locale, data),
    appealsTable(locale, data),
    extensionsTable(locale, data),
  ];
}

export function standingsTables(rb: Rulebook, locale: Locale, data: ReportData): ReportTable[] {
  const sectionColumns: TableColumn[] = data.sections.map((s) => ({
    key: `section:${s.id}`,
    header: t(locale, 'report.column.sectionScore', {
      id: s.id,
      name: rb.sections.get(s.id)?.name[locale] ?? s.id,
      full: formatNumber(s.full),
    }),
    type: 'number',
    width: 12,
  }));
  return data.groups.map((g) => ({
    id: `standings-${g.group}`,
    name: sheetName(t(locale, 'report.sheet.standings', { group: groupLabel(rb, locale, g.group) })),
    columns: [
      { key: 'rank', header: header(locale, 'rank'), type: 'int', width: 6 },
      { key: 'unit', header: header(locale, 'unit'), type: 'text', width: 20 },
      { key: 'total', header: header(locale, 'total'), type: 'number', width: 9 },
      { key: 'base', header: header(locale, 'baseScore'), type: 'number', width: 9 },
      ...sectionColumns,
      { key: 'deductions', header: header(locale, 'deductions'), type: 'number', width: 9 },
      { key: 'bonuses', header: header(locale, 'bonuses'), type: 'number', width: 9 },
      { key: 'overflow', header: header(locale, 'overflow'), type: 'number', width: 9 },
      { key: 'advanced', header: header(locale, 'advanced'), type: 'text', width: 8 },
      { key: 'disqualified', header: header(locale, 'disqualified'), type: 'text', width: 24 },
    ],
    rows: g.standings.map((s) => [
      s.rank,
      s.unit,
      s.total,
      s.base,
      ...s.sections,
      s.deductions,
      s.bonuses,
      s.overflow,
      yesNo(locale, s.advanced),
      disqualificationNames(rb, locale, s.disqualified),
    ]),
  }));
}

function disqualificationNames(rb: Rulebook, locale: Locale, ids: readonly string[]): string {
  return ids.map((id) => disqualificationName(rb, locale, id)).join(t(locale, 'msg.common.listSeparator'));
}

export function findingsTable(rb: Rulebook, locale: Locale, data: ReportData): ReportTable {
  const sep = t(locale, 'msg.common.listSeparator');
  return {
    id: 'findings',
    name: sheetName(t(locale, 'report.sheet.findings')),
    columns: FINDING_COLUMNS.map(([key, type, width]) => ({ key, header: header(locale, key), type, width })),
    rows: data.findings.map((rf): Cell[] => {
      const f = rf.finding;
      const r = rf.result;
      const row: Record<FindingColumnKey, Cell> = {
        seq: f.seq,
        key: rf.key,
        unit: f.unit,
        clause: f.clause,
        section: rb.sections.get(f.section)?.name[locale] ?? f.section,
        date: f.date,
        count: f.count,
        value: f.value,
        level: f.level === null ? null : levelLabel(rb, locale, f.clause, f.level),
        source: sourceLabel(locale, f.source),
        deadline: f.deadline,
        base: r.base,
        inspectionMultiplier: r.inspectionMultiplier,
        repeatMultiplier: r.repeatMultiplier,
        multiplier: r.multiplier,
        points: r.points,
        repeatOf: rf.repeatOfSeqs.map((s) => `#${s}`).join(sep) || null,
        counted: t(locale, `report.counted.${r.status}`),
        state: findingStatusLabel(locale, f),
        overdue: yesNo(locale, r.overdue),
        rectifiedOn: f.rectifiedOn,
        explanation: explanation(rb, locale, rf).join('；') || null,
        evidence: f.evidenceText || null,
        links: f.evidenceLinks.join(' ') || null,
        filedBy: f.filedBy.displayName ?? f.filedBy.externalId,
        filedAt: new Date(f.filedAt),
        underAppeal: yesNo(locale, f.underAppeal),
        withdrawReason: f.withdrawReason,
      };
      return FINDING_COLUMNS.map(([key]) => row[key]);
    }),
  };
}

/** The engine's reasons for a finding's points, in words, with the findings they name as #seq. */
function explanation(rb: Rulebook, locale: Locale, rf: ReportFinding): string[] {
  const seqs = new Map(rf.result.repeatOf.map((id, i) => [id, rf.repeatOfSeqs[i]] as const));
  if (rf.result.supersededBy !== undefined && rf.supersededBySeq !== null)
    seqs.set(rf.result.supersededBy, rf.supersededBySeq);
  return reasonTexts(rb, locale, rf.result, (id) => {
    const seq = seqs.get(id);
    return seq === undefined ? id : `#${seq}`;
  });
}

function rectificationsTable(locale: Locale, data: ReportData): ReportTable {
  const name = (id: number | null) => (id === null ? null : (data.memberNames.get(id) ?? `#${id}`));
  return {
    id: 'rectifications',
    name: sheetName(t(locale, 'report.sheet.rectifications')),
    columns: [
      { key: 'seq', header: header(locale, 'seq'), type: 'int', width: 8 },
      { key: 'unit', header: header(locale, 'unit'), type: 'text', width: 18 },
      { key: 'event', header: header(locale, 'event'), type: 'text', width: 10 },
      { key: 'submittedOn', header: header(locale, 'submittedOn'), type: 'date', width: 12 },
      { key: 'by', header: header(locale, 'by'), type: 'text', width: 12 },
      { key: 'at', header: header(locale, 'at'), type: 'datetime', width: 18 },
      { key: 'evidence', header: header(locale, 'evidence'), type: 'text', width: 40 },
      { key: 'links', header: header(locale, 'links'), type: 'text', width: 30 },
      { key: 'reason', header: header(locale, 'reason'), type: 'text', width: 30 },
    ],
    rows: data.rectifications.map((e) => [
      e.seq,
      e.unit,
      t(locale, `report.rectification.${e.kind}`),
      e.submittedOn,
      name(e.actorId),
      e.createdAt,
      e.evidenceText,
      e.evidenceLinks.join(' ') || null,
      e.reason,
    ]),
  };
}

function appealsTable(locale: Locale, data: ReportData): ReportTable {
  const name = (id: number | null) => (id === null ? null : (data.memberNames.get(id) ?? `#${id}`));
  return {
    id: 'appeals',
    name: sheetName(t(locale, 'report.sheet.appeals')),
    columns: [
      { key: 'seq', header: header(locale, 'seq'), type: 'int', width: 8 },
      { key: 'unit', header: header(locale, 'unit'), type: 'text', width: 18 },
      { key: 'appealState', header: header(locale, 'appealState'), type: 'text', width: 10 },
      { key: 'reasons', header: header(locale, 'reasons'), type: 'text', width: 40 },
      { key: 'links', header: header(locale, 'links'), type: 'text', width: 30 },
      { key: 'by', header: header(locale, 'by'), type: 'text', width: 12 },
      { key: 'at', header: header(locale, 'at'), type: 'datetime', width: 18 },
      { key: 'ruling', header: header(locale, 'ruling'), type: 'text', width: 30 },
      { key: 'ruledBy', header: header(locale, 'ruledBy'), type: 'text', width: 12 },
    ],
    rows: data.appeals.map((a) => [
      a.seq,
      a.unit,
      t(locale, `report.appeal.${a.state}`),
      a.reasons,
      a.evidenceLinks.join(' ') || null,
      name(a.filedById),
      a.filedAt,
      a.ruling,
      name(a.ruledById),
    ]),
  };
}

function extensionsTable(locale: Locale, data: ReportData): ReportTable {
  const name = (id: number | null) => (id === null ? null : (data.memberNames.get(id) ?? `#${id}`));
  return {
    id: 'extensions',
    name: sheetName(t(locale, 'report.sheet.extensions')),
    columns: [
      { key: 'seq', header: header(locale, 'seq'), type: 'int', width: 8 },
      { key: 'unit', header: header(locale, 'unit'), type: 'text', width: 18 },
      { key: 'extensionState', header: header(locale, 'extensionState'), type: 'text', width: 10 },
      { key: 'currentDeadline', header: header(locale, 'currentDeadline'), type: 'date', width: 12 },
      { key: 'requestedDeadline', header: header(locale, 'requestedDeadline'), type: 'date', width: 12 },
      { key: 'approvedDeadline', header: header(locale, 'approvedDeadline'), type: 'date', width: 12 },
      { key: 'reason', header: header(locale, 'reason'), type: 'text', width: 30 },
      { key: 'by', header: header(locale, 'by'), type: 'text', width: 12 },
      { key: 'at', header: header(locale, 'at'), type: 'datetime', width: 18 },
      { key: 'decision', header: header(locale, 'decision'), type: 'text', width: 30 },
      { key: 'decidedBy', header: header(locale, 'decidedBy'), type: 'text', width: 12 },
    ],
    rows: data.extensions.map((x) => [
      x.seq,
      x.unit,
      t(locale, `report.extension.${x.state}`),
      x.currentDeadline,
      x.requestedDeadline,
      x.approvedDeadline,
      x.reason,
      name(x.requestedById),
      x.createdAt,
      x.decisionReason,
      name(x.decidedById),
    ]),
  };
}

/** Excel refuses sheet names over 31 characters and with []:*?/\ in them. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

/** The report's file name without extension: 考评结果-2017-09 / kaoping-2017-09. */
export function reportBaseName(locale: Locale, period: string): string {
  return t(locale, 'report.fileName', { period });
}
