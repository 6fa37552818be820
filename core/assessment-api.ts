import type { Result } from './errors.ts';
import { DEFAULT_LOCALE, type Locale } from './i18n/locale.ts';
import type { FindingResult, GroupResult, SectionResult, UnitStanding } from '../rules/engine/types.ts';

// The use cases that bot and worker call. Implemented by core/assessment-service.ts.
// Every method returns a Result: expected refusals (validation, authorisation, state) are
// AppErrors with a user message; only the unexpected is thrown.
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
  filedBy: { memberId: number; platform: string; externalId: string; displayName: string | null };
  filedAt: string;
  withdrawReason: string | null;
  noticeRef: string | null;
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

export interface FiledFinding {
  finding: FindingView;
  /** false when this key had already been filed: nothing new was written. */
  created: boolean;
  /** How the finding counts in the year-to-date ledger: points, multipliers and why. */
  result: FindingResult;
}

export interface UnitBreakdown {
  unit: string;
  group: string;
  asOf: string;
  standing: UnitStanding; // total, base, sections, overflow, bonuses, disqualified, rank, advanced, findings
  groupSize: number;
  groupResult: GroupResult;
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
  groups: Array<{ group: string; name: string; assessed: number; advanced: string[] }>;
  own: { unit: string; group: string; total: number; rank: number; groupSize: number; advanced: boolean } | null;
}

export interface AssessmentApi {
  readonly rulebookId: string;
  resolveActor(platform: string, externalId: string): Promise<Result<Actor>>;
  fileFinding(actor: Actor, cmd: FileFindingCommand): Promise<Result<FiledFinding>>;
  withdrawFinding(actor: Actor, cmd: { findingId: string; reason: string }): Promise<Result<FindingView>>;
  changeDeadline(
    actor: Actor,
    cmd: { findingId: string; deadline: string; reason: string },
  ): Promise<Result<FindingView>>;
  submitRectification(
    actor: Actor,
    cmd: { findingId: string; evidenceText: string; evidenceLinks?: string[]; idempotencyKey: string },
  ): Promise<Result<FindingView>>;
  verifyRectification(actor: Actor, cmd: { findingId: string }): Promise<Result<FindingView>>;
  rejectRectification(actor: Actor, cmd: { findingId: string; reason: string }): Promise<Result<FindingView>>;
  getFinding(actor: Actor, findingId: string): Promise<Result<FindingView>>;
  setNoticeRef(findingId: string, ref: string): Promise<void>;
  /** Own unit for unit contacts; any unit (canonical or alias) for organisers and inspectors. */
  unitBreakdown(actor: Actor, cmd: { unit?: string; asOf?: string }): Promise<Result<UnitBreakdown>>;
  groupStandings(actor: Actor, cmd: { asOf?: string }): Promise<Result<GroupStandings>>;
  /** Anyone known may see what was published; null until a month has been closed and published. */
  publishedStandings(actor: Actor): Promise<Result<PublishedStandings | null>>;
  addMember(
    actor: Actor,
    cmd: { platform: string; externalId: string; role: Role; unit?: string; displayName?: string; locale?: Locale },
  ): Promise<Result<{ memberId: number }>>;
  /** Deactivates a member (nothing is deleted): from then on kaoping does not know them. */
  removeMember(actor: Actor, cmd: { platform: string; externalId: string }): Promise<Result<{ memberId: number }>>;
  bindChannel(
    actor: Actor,
    cmd: { platform: string; scope: string; channelId: string },
  ): Promise<Result<{ scope: string }>>;
  setLocale(actor: Actor, locale: Locale): Promise<Result<Actor>>;
  setMonthState(
    actor: Actor,
    cmd: { month: string; state: 'open' | 'closed' },
  ): Promise<Result<{ month: string; state: 'open' | 'closed' }>>;
  /** Today's civil date in the rulebook's time zone (from the injected clock). */
  today(): string;
  /** Where to post for a scope ('organisers' or a unit's canonical name) on a platform. */
  channelFor(platform: string, scope: string): Promise<string | null>;
  /** Active contacts of a unit (for mentions), by platform user id. */
  unitContacts(platform: string, unit: string): Promise<string[]>;
}

/** Published after a change commits; the worker turns these into recompute and reminder jobs. */
export type LedgerEvent =
  | { type: 'finding.filed'; findingId: string; rulebookId: string; year: number }
  | { type: 'finding.withdrawn'; findingId: string; rulebookId: string; year: number }
  | { type: 'finding.deadline_changed'; findingId: string; rulebookId: string; year: number }
  | {
      type: 'rectification.submitted' | 'rectification.verified' | 'rectification.rejected';
      findingId: string;
      rulebookId: string;
      year: number;
    }
  | { type: 'month.closed' | 'month.reopened'; rulebookId: string; year: number; month: string };

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
