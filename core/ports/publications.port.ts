// What the office announced, per period — a month ('YYYY-MM') or the year's results ('YYYY') —
// and the tie-breaks it recorded before announcing (shared/spec/lifecycle.md "Months: close →
// draft → publish"). A publication is frozen: its content never changes. Reopening marks the
// latest version reopened (kept, still retrievable); the next publication is version + 1 with the
// units whose result changed and why. The PostgreSQL implementation is
// prisma/repositories/publications.repository.ts.

import type { FindingView } from '../assessment-api.ts';
import type { SectionResult } from '../../rules/engine/types.ts';

/** How the office broke a tie at the quota cut. */
export type TieBreakMethod = 'fewer_deductions' | 'named';

export interface PublishedUnit {
  unit: string;
  group: string;
  total: number;
  base: number;
  rank: number;
  /** As announced: above the cut, or advanced by the office's tie-break. */
  advanced: boolean;
  deductions: number;
  bonuses: number;
  disqualified: string[];
  /** The unit's private detail as the 通报 says it (months; absent in publications made before it was frozen). */
  detail?: PublishedUnitDetail;
}

/**
 * A finding line of the 通报 (the overdue list, a unit's open rectifications) as it was when the
 * month was published: a ruling, a rectification or a deadline change afterwards does not alter it.
 */
export type PublishedFindingLine = Pick<
  FindingView,
  'id' | 'seq' | 'unit' | 'clause' | 'date' | 'status' | 'deadline' | 'workingDaysLeft' | 'underAppeal'
>;

/** A section's score as published, with the bonus it earned (a bonus-only section shows that). */
export interface PublishedSection extends SectionResult {
  bonus: number;
}

export interface PublishedUnitDetail {
  overflow: number;
  sections: PublishedSection[];
  /** Signed points of findings dated in the month. */
  monthPoints: number;
  /** Findings with a deadline still filed or submitted when published. */
  open: PublishedFindingLine[];
}

export interface PublishedTieBreak {
  method: TieBreakMethod;
  /** The tied units the office advanced (more than the places left only with the reason saying why). */
  advanced: string[];
  reason: string;
}

export interface PublishedGroup {
  group: string;
  assessed: number;
  quota: number;
  /** As announced: the units above the cut, then those the tie-break advanced. */
  advanced: string[];
  /** Units tied at the cut for the places left (before any tie-break); empty without a tie. */
  tied: string[];
  /** Places left for the tied units. */
  remaining: number;
  cut: number | null;
  /** null without a tie, or when a tie went out unresolved (auto-publish announces it as a tie). */
  tieBreak: PublishedTieBreak | null;
}

/** A finding that caused a disqualification. */
export interface CausingFinding {
  id: string;
  seq: number;
  clause: string;
  date: string;
}

export interface PublishedDisqualification {
  unit: string;
  group: string;
  disqualification: string;
  findings: CausingFinding[];
}

export interface PublicationContent {
  groups: PublishedGroup[];
  /** By group, then rank, then name. */
  units: PublishedUnit[];
  disqualifications: PublishedDisqualification[];
  /** A month's overdue findings as of its last day, when published (absent before it was frozen). */
  overdue?: PublishedFindingLine[];
}

export interface UnitResult {
  total: number;
  rank: number;
  advanced: boolean;
}

/** A unit whose total, rank or advanced changed between two publications. */
export interface UnitChange {
  unit: string;
  group: string;
  before: UnitResult | null;
  after: UnitResult | null;
}

export interface PublicationRecord {
  id: number;
  rulebookId: string;
  year: number;
  period: string;
  version: number;
  asOf: string;
  ledgerVersion: bigint;
  content: PublicationContent;
  /** Against the previous version of the same period; empty for version 1. */
  changes: UnitChange[];
  /** Why it was republished (the reopening's reason); null for version 1. */
  reason: string | null;
  publishedById: number | null;
  publishedBy: string;
  publishedAt: Date;
  /** Set when the office reopened this version; it stays retrievable. */
  reopened: { at: Date; byId: number | null; reason: string } | null;
}

export type NewPublication = Omit<PublicationRecord, 'id' | 'publishedAt' | 'reopened'>;

export interface TieBreakRecord {
  period: string;
  group: string;
  /** The units tied at the cut when the office decided; the decision holds only for this tie. */
  tied: string[];
  advanced: string[];
  method: TieBreakMethod;
  reason: string;
  decidedById: number | null;
  decidedAt: Date;
}

/** Writes, inside the store's transaction (with the audit entry). */
export interface PublicationsTx {
  /** Serialises publish, reopen and tie-breaks of one period until the transaction ends. */
  lockPeriod(rulebookId: string, period: string): Promise<void>;
  /** The latest version of the period; null when it was never published. */
  latestPublication(rulebookId: string, period: string): Promise<PublicationRecord | null>;
  insertPublication(p: NewPublication): Promise<PublicationRecord>;
  markReopened(id: number, r: { byId: number | null; reason: string }): Promise<PublicationRecord>;
  /** Records (or replaces) a group's tie-break; returns the one it replaced. */
  saveTieBreak(
    rulebookId: string,
    t: Omit<TieBreakRecord, 'decidedAt'>,
  ): Promise<{ before: TieBreakRecord | null; after: TieBreakRecord }>;
}

/** Reads, outside any transaction. */
export interface PublicationsReads {
  /** A period's publication: the given version, else the latest; null when there is none. */
  publication(rulebookId: string, period: string, version?: number): Promise<PublicationRecord | null>;
  /** The latest published month of a year ('YYYY-MM'), its latest version; null when none. */
  latestPublishedMonthOf(rulebookId: string, year: number): Promise<PublicationRecord | null>;
  tieBreaks(rulebookId: string, period: string): Promise<TieBreakRecord[]>;
  /** Findings of the year with a pending extension request: id and the date asked for. */
  pendingExtensions(rulebookId: string, year: number): Promise<Array<{ findingId: string; requestedDeadline: string }>>;
}
