import type { AppealRecord, ExtensionRecord, RectificationEventRecord } from '../ports/assessment-store.port.ts';
import type { PublishedGroup } from '../ports/publications.port.ts';
import type { FindingResult } from '../../rules/engine/types.ts';
import type { FindingView } from '../assessment-api.ts';

// What an export, the 通报 document and the charts are made of: one period's standings as the
// office published them (or, before it publishes, the engine's as of the period's last day), with
// every finding of the period and the engine's explanation of it, and the office's cycle around
// them. Built once by core/use-cases/reports/report-data.use-case.ts; the writers (XLSX, CSV,
// .docx) only lay it out, so every format shows the same numbers.

export interface ReportStanding {
  rank: number;
  unit: string;
  total: number;
  base: number;
  /** Scores in the order of ReportData.sections. */
  sections: number[];
  deductions: number;
  bonuses: number;
  overflow: number;
  advanced: boolean;
  /** Disqualification ids. */
  disqualified: string[];
}

export interface ReportGroup {
  group: string;
  assessed: number;
  quota: number;
  cut: number | null;
  advanced: string[];
  tied: string[];
  tieBreak: PublishedGroup['tieBreak'];
  /** By rank, then name. */
  standings: ReportStanding[];
}

export interface ReportFinding {
  finding: FindingView;
  /** The finding's idempotency key: the row key an import of this export files it under again. */
  key: string;
  /** The engine's result as of the period's last day (points, multipliers, repeat-of, overdue). */
  result: FindingResult;
  /** The filing numbers of the findings this one repeats. */
  repeatOfSeqs: number[];
  /** The filing number of the finding that superseded it, if any. */
  supersededBySeq: number | null;
}

export interface ReportData {
  /** 'YYYY-MM' or 'YYYY'. */
  period: string;
  kind: 'month' | 'year';
  year: number;
  asOf: string;
  /** The publication the standings are (null: not published yet, the engine's standings as of asOf). */
  published: { version: number; publishedAt: Date; reopened: boolean } | null;
  sections: Array<{ id: string; full: number }>;
  groups: ReportGroup[];
  /** Findings dated in the period, in filing order. */
  findings: ReportFinding[];
  rectifications: Array<RectificationEventRecord & { findingId: string; seq: number; unit: string }>;
  appeals: Array<AppealRecord & { seq: number; unit: string }>;
  extensions: Array<ExtensionRecord & { seq: number; unit: string }>;
  /** Member names by id (filers, rectifiers, deciders), for the record sheets. */
  memberNames: ReadonlyMap<number, string>;
}
