import { DEFAULT_LOCALE, type Locale } from './i18n/locale.ts';
import type { FindingResult, GroupResult, SectionResult, UnitStanding } from '../rules/engine/types.ts';

// What the use cases that bot and worker call take and give (the use cases: core/assessment.ts,
// by area in core/use-cases/). Every use case returns a Result: expected refusals (validation,
// authorisation, state) are AppErrors with a user message; only the unexpected is thrown.
// Every `findingId` may be the finding's storage id (a uuid, as buttons carry it) or its filing
// number as people type it: '#123' or '123' (FindingView.seq). Unknown → FINDING.NOT_FOUND;
// neither form → FINDING.BAD_REF.

export type Role = 'organiser' | 'inspector' | 'unit_contact';

export interface Actor {
  memberId: number;
  platform: string; // 'slack' | 'dingtalk' | 'console'
  externalId: string;
  role: Role;
  /** Canonical unit name, for unit contacts. */
  unit: string | null;
  locale: Locale;
  displayName: string | null;
}

/** A member's user id on one messenger platform. */
export interface MemberIdentity {
  platform: string;
  externalId: string;
}

/**
 * Who filed a finding: platform/externalId is their identity on the platform the finding was filed
 * on (or their oldest one); identities are all of them, so a message on another platform can still
 * mention them.
 */
export interface FiledBy extends MemberIdentity {
  memberId: number;
  displayName: string | null;
  identities: MemberIdentity[];
}

export type FindingState = 'filed' | 'submitted' | 'verified' | 'withdrawn';

export interface FindingView {
  id: string;
  seq: number;
  rulebookId: string;
  unit: string;
  group: string;
  clause: string;
  section: string;
  date: string;
  count: number;
  value: number | null;
  level: string | null;
  source: string;
  deadline: string | null;
  status: FindingState;
  rectifiedOn: string | null;
  /** Derived for the given day: deadline before it and no on-time verified rectification. */
  overdue: boolean;
  /** Working days left until the deadline (negative when past); null without a deadline. */
  workingDaysLeft: number | null;
  evidenceText: string;
  evidenceLinks: string[];
  filedBy: FiledBy;
  filedAt: string;
  withdrawReason: string | null;
  noticeRef: string | null;
  /** An appeal on it is pending: its points are provisional (待复核) until an organiser rules. */
  underAppeal: boolean;
}

export type AppealState = 'pending' | 'upheld' | 'reduced' | 'withdrawn';

/** An appeal (申诉) and, once ruled, its ruling (复核). */
export interface AppealView {
  id: number;
  findingId: string;
  findingSeq: number;
  unit: string;
  state: AppealState;
  reasons: string;
  evidenceLinks: string[];
  filedById: number;
  ruling: string | null;
  finding: FindingView;
}

/** How an organiser rules on an appeal. `reduced` changes the facts; the engine re-scores them. */
export type AppealRuling =
  | { outcome: 'upheld'; ruling: string }
  | { outcome: 'reduced'; ruling: string; count?: number; value?: number; level?: string }
  | { outcome: 'withdrawn'; ruling: string };

export type ExtensionState = 'pending' | 'approved' | 'refused';

/** An extension request (延期) and its decision. */
export interface ExtensionView {
  id: number;
  findingId: string;
  findingSeq: number;
  unit: string;
  state: ExtensionState;
  currentDeadline: string;
  requestedDeadline: string;
  reason: string;
  requestedById: number;
  approvedDeadline: string | null;
  decisionReason: string | null;
  finding: FindingView;
}

export interface FileFindingCommand {
  unit: string; // canonical name or alias
  clause: string;
  date?: string; // default: today, Asia/Shanghai
  count?: number;
  value?: number;
  level?: string;
  source?: string;
  deadline?: string; // default: rulebook working-day rule
  evidenceText?: string;
  evidenceLinks?: string[];
  /** Same key → same finding, however often it is sent (Slack retries, double clicks). */
  idempotencyKey: string;
  channel: string;
}

/** An earlier overdue finding that made a filing a repeat, as the ledger holds it: enough to name it. */
export interface EarlierFinding {
  id: string;
  seq: number;
  date: string;
  deadline: string | null;
}

export interface FiledFinding {
  finding: FindingView;
  /** false when this key had already been filed: nothing new was written. */
  created: boolean;
  /** How the finding counts in the year-to-date ledger: points, multipliers and why. */
  result: FindingResult;
  /** The first ten of `result.repeatOf`, in its order: the earlier overdue findings that made it a repeat. */
  earlier: readonly EarlierFinding[];
  /**
   * True when this filing was handed to the worker (the ledger events queue took it): the worker
   * will then post the unit's filing notice if the bot does not. False for a repeated request, with
   * no worker, or when the queue refused it.
   */
  published: boolean;
}

/**
 * Bulk intake: many findings filed in one call (an import, the console demo). Each row is checked
 * exactly as a chat filing is; the batch is all-or-nothing.
 */
/**
 * What an imported row may carry beyond a chat filing: a rectification verified before the import
 * (the finding is stored verified, rectified on that day), so a year re-imported scores the same.
 */
export interface BatchRowExtras {
  rectifiedOn?: string;
}

export interface FileBatchCommand {
  /** Where the findings come from, kept as each finding's channel (e.g. 'import'). */
  channel: string;
  /** Named in the batch's audit entry, e.g. the imported file's name. */
  label?: string;
  /** Each row as a chat filing takes it; its idempotencyKey makes filing it again a no-op. */
  rows: ReadonlyArray<Omit<FileFindingCommand, 'channel'> & BatchRowExtras>;
}

export interface FiledBatchRow {
  /** The row's position in FileBatchCommand.rows, from 0. */
  index: number;
  id: string;
  /** The finding's filing number (#seq). */
  seq: number;
  /** false when the row's key had already been filed: nothing new was written for it. */
  created: boolean;
}

export interface FiledBatch {
  /** Findings written by this call. */
  created: number;
  /** Rows whose key had already been filed (by an earlier batch or a chat filing). */
  existing: number;
  /** One per row, in the command's order. */
  rows: FiledBatchRow[];
}

export interface UnitBreakdown {
  unit: string;
  group: string;
  /** The group's name in the asking person's language. */
  groupName: string;
  asOf: string;
  /** The unit's own score: total, base, sections, overflow, bonuses, disqualifications, findings. */
  standing: Omit<UnitStanding, 'rank' | 'advanced'>;
  /**
   * The live rank and the advanced line — other units' scores in disguise. null for unit contacts:
   * lifecycle.md lets them see ranks only from published months (`published`).
   */
  ranking: { rank: number; advanced: boolean; groupSize: number; groupResult: GroupResult } | null;
  /** For unit contacts: the unit's result in the latest published month, or null when none is. */
  published: { month: string; total: number; rank: number; groupSize: number; advanced: boolean } | null;
  /** Signed points of findings dated in asOf's month. */
  monthPoints: number;
  sections: Array<SectionResult & { name: string }>;
  openRectifications: FindingView[];
  findings: FindingView[];
}

export interface GroupStandings {
  asOf: string;
  year: number;
  groups: Array<
    GroupResult & {
      name: string;
      units: Array<Pick<UnitStanding, 'unit' | 'total' | 'rank' | 'advanced' | 'disqualified'>>;
    }
  >;
  overdue: FindingView[];
}

/**
 * What the office has published: the latest closed month's advanced units per group and, for a
 * unit contact, their own unit's result — never another unit's breakdown.
 */
export interface PublishedStandings {
  month: string;
  asOf: string;
  /** `advanced`: settled advanced units; `tied`: units tied at the cut for `remaining` places (the office decides). */
  groups: Array<{
    group: string;
    name: string;
    assessed: number;
    quota: number;
    advanced: string[];
    tied: string[];
    remaining: number;
    cut: number | null;
    /** The office's resolution of a tie at the cut (its reason is announced with the units). */
    tieBreak: { advanced: string[]; reason: string } | null;
  }>;
  own: { unit: string; group: string; total: number; rank: number; groupSize: number; advanced: boolean } | null;
}

export interface LinkIdentityCommand {
  /** The user id the organiser pointed at (a mention on their own platform). */
  member: MemberIdentity;
  /** The user id on another platform, as typed. */
  identity: MemberIdentity;
}

export interface LinkedIdentity {
  /** The member both user ids now belong to, after the change. */
  member: { id: number; role: Role; unit: string | null; identities: MemberIdentity[] };
  /** The identity that was added to the member. */
  linked: MemberIdentity;
  /** The member's previous identity on that platform, now gone. */
  replaced: MemberIdentity | null;
  /** false: the two were already the same member; nothing was written. */
  changed: boolean;
}

/** Published after a change commits; the worker turns these into recompute and reminder jobs. */
export type LedgerEvent =
  | { type: 'finding.filed'; findingId: string; rulebookId: string; year: number }
  | { type: 'finding.withdrawn'; findingId: string; rulebookId: string; year: number }
  | { type: 'finding.deadline_changed'; findingId: string; rulebookId: string; year: number }
  | {
      type: 'appeal.filed' | 'appeal.ruled' | 'appeal.reopened' | 'extension.requested' | 'extension.refused';
      findingId: string;
      rulebookId: string;
      year: number;
    }
  | {
      type: 'rectification.submitted' | 'rectification.verified' | 'rectification.rejected';
      findingId: string;
      rulebookId: string;
      year: number;
    }
  | { type: 'month.closed' | 'month.reopened'; rulebookId: string; year: number; month: string }
  /** A batch of findings was filed at once (bulk intake): one recompute, no per-finding notices. */
  | { type: 'findings.imported'; rulebookId: string; year: number; count: number }
  /** A month ('YYYY-MM') or the year's results ('YYYY') published as `version`: the 通报 goes out. */
  | { type: 'period.published'; rulebookId: string; year: number; period: string; version: number };

// ---- the system as an actor ---------------------------------------------------------------------

/** The member id of the system: no member row has it (ids start at 1); stored as closed_by 0. */
export const SYSTEM_MEMBER_ID = 0;
export const SYSTEM_PLATFORM = 'system';

/**
 * The system acting on its own, e.g. the worker closing a month on schedule ('worker'). It may do
 * what an organiser may; the audit log records it as `system:<name>` with no member id.
 * resolveActor never returns it: only code that runs without a person behind it builds one.
 */
export function systemActor(name: string, locale: Locale = DEFAULT_LOCALE): Actor {
  if (!/^[a-z][a-z0-9-]*$/.test(name))
    throw new Error(`system actor name must be like 'worker', got ${JSON.stringify(name)}`);
  return {
    memberId: SYSTEM_MEMBER_ID,
    platform: SYSTEM_PLATFORM,
    externalId: name,
    role: 'organiser',
    unit: null,
    locale,
    displayName: null,
  };
}

export function isSystemActor(actor: Actor): boolean {
  return actor.memberId === SYSTEM_MEMBER_ID && actor.platform === SYSTEM_PLATFORM;
}
