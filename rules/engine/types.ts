// The engine's input and output. Inputs are already validated (see rules/finding-input.ts):
// canonical unit names, known clauses, deadlines resolved.

export type Source = string; // one of rulebook.settings.sources

export interface EngineFinding {
  id: string;
  unit: string; // canonical name
  clause: string;
  date: string; // YYYY-MM-DD
  /** Filing order; breaks ties between threshold measurements on the same date (later filed counts). */
  filedSeq: number;
  count: number;
  value?: number | null;
  level?: string | null;
  source: Source;
  /** Resolved rectification deadline; null for threshold and bonus findings. */
  deadline: string | null;
  /** Submission date of the rectification an inspector verified; null when none. */
  rectifiedOn: string | null;
  withdrawn: boolean;
}

export interface StandingsInput {
  year: number;
  asOf: string;
  /** Canonical names of the assessed units; quotas are computed over them. */
  units: readonly string[];
  findings: readonly EngineFinding[];
}

export type FindingStatus = 'counted' | 'withdrawn' | 'superseded';

export interface FindingResult {
  id: string;
  clause: string;
  section: string;
  date: string;
  status: FindingStatus;
  /** Signed contribution after multipliers (bonuses positive). */
  points: number;
  /** Product of inspection doubling and repeat escalation; 0 when withdrawn or superseded. */
  multiplier: number;
  /** Signed amount before multipliers: amount × count, or amount × points below threshold. */
  base: number;
  amount: number;
  count: number;
  value: number | undefined;
  level: string | undefined;
  /** For threshold clauses: full points below the threshold. */
  shortfall: number | undefined;
  inspectionMultiplier: number;
  repeatMultiplier: number;
  /** Ids of earlier overdue findings of the same clause that made this one a repeat. */
  repeatOf: readonly string[];
  supersededBy: string | undefined;
  deadline: string | null;
  overdue: boolean;
  /** Why the multipliers and points are what they are; adapters render these via i18n. */
  reasons: FindingReason[];
}

export type FindingReason =
  | { kind: 'inspection'; source: string; factor: number }
  | { kind: 'repeat'; count: number; ids: readonly string[]; factor: number }
  | { kind: 'threshold'; value: number; threshold: number; shortfall: number }
  | { kind: 'superseded'; by: string }
  | { kind: 'withdrawn' }
  | { kind: 'disqualifies'; disqualification: string };

export interface SectionResult {
  id: string;
  full: number;
  score: number;
  deductions: number;
  overflow: number;
}

export interface UnitStanding {
  unit: string;
  group: string;
  base: number;
  total: number;
  deductions: number;
  bonuses: number;
  overflow: number;
  sections: SectionResult[];
  disqualified: string[];
  rank: number;
  advanced: boolean;
  findings: FindingResult[];
}

export interface GroupResult {
  group: string;
  assessed: number;
  quota: number;
  advanced: string[];
  tiedAtCut: boolean;
  /** The score of the last unit chosen; null when nobody was chosen. */
  cutScore: number | null;
}

export interface Standings {
  rulebook: string;
  year: number;
  asOf: string;
  units: UnitStanding[];
  groups: Record<string, GroupResult>;
}
