import type {
  PublicationContent,
  PublicationRecord,
  TieBreakMethod,
  UnitChange,
} from '../../ports/publications.port.ts';
import type { OpenTie } from './publication-content.ts';

// What the month-review use cases return (shared/spec/lifecycle.md "Months: close → draft → publish").

export type { OpenTie } from './publication-content.ts';

/** A finding named in a draft. */
export interface DraftFinding {
  id: string;
  seq: number;
  unit: string;
  clause: string;
  date: string;
}

/** What the organisers review before publishing a month or the year's results. */
export interface PeriodDraft {
  period: string;
  kind: 'month' | 'year';
  asOf: string;
  /** A month's state (null: never opened or closed, counts as open); null for the year. */
  monthState: 'open' | 'closed' | null;
  /** For the year: whether December's results are published (the year can be published after it). */
  decemberPublished: boolean;
  /** The period's latest publication, if any (a republication's draft shows it reopened). */
  latest: Pick<PublicationRecord, 'version' | 'reopened' | 'publishedAt'> | null;
  content: PublicationContent;
  /** Ties at the cut without a recorded tie-break: publishing is refused until they are resolved. */
  openTies: OpenTie[];
  /** What `changes` compares with: the period's last version, else the last published month. */
  comparedWith: { period: string; version: number } | null;
  changes: UnitChange[];
  /** Findings of the month filed in its last working days (the month-end reminder's window). */
  lateFindings: DraftFinding[];
  pendingAppeals: DraftFinding[];
  pendingExtensions: Array<DraftFinding & { deadline: string | null; requested: string }>;
}

export type TieBreakChoice = { method: 'fewer_deductions' } | { method: 'named'; units: string[] };

export interface RecordedTieBreak {
  period: string;
  group: string;
  tied: string[];
  remaining: number;
  advanced: string[];
  method: TieBreakMethod;
  reason: string;
}

export interface Published {
  publication: PublicationRecord;
  /** The version it replaces (reopened), null for version 1. */
  previous: PublicationRecord | null;
}

export interface Reopened {
  period: string;
  /** The published version the office reopened; null when the period was closed but not published. */
  reopenedVersion: number | null;
  /** For a month: whether it is open again for findings. */
  monthReopened: boolean;
}

/** A publication as a person may see it: unit contacts get only their own unit's rows. */
export interface PublishedSnapshot extends PublicationRecord {
  /** The period's latest version (to say whether this one was superseded). */
  latestVersion: number;
}
