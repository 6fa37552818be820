import type { FiledBy, FindingState, MemberIdentity, Role } from '../assessment-api.ts';
import type { Locale } from '../i18n/locale.ts';
import type { PublicationsReads, PublicationsTx } from './publications.port.ts';
import type { RecipientDirectoryPort } from './recipient-directory.port.ts';

// What core needs from the store of record. The PostgreSQL implementation is
// prisma/repositories/prisma-assessment-store.ts; core never sees Prisma.

/** A person: one role, unit and language, reached through at most one identity per platform. */
export interface MemberRecord {
  id: number;
  /** Oldest first. */
  identities: MemberIdentity[];
  displayName: string | null;
  role: Role;
  unit: string | null;
  locale: Locale | null;
  active: boolean;
}

export interface StoredFinding {
  id: string;
  seq: number;
  rulebookId: string;
  year: number;
  unit: string;
  clauseId: string;
  date: string;
  count: number;
  value: number | null;
  level: string | null;
  source: string;
  deadline: string | null;
  deadlineIsDefault: boolean;
  status: FindingState;
  rectifiedOn: string | null;
  evidenceText: string;
  evidenceLinks: string[];
  filedBy: FiledBy;
  filedAt: Date;
  channel: string;
  idempotencyKey: string;
  noticeRef: string | null;
  withdrawnAt: Date | null;
  withdrawReason: string | null;
  /** An appeal on it is pending (derived from the appeal table). */
  underAppeal: boolean;
  /** Ledger version of the row's last change. */
  changeSeq: bigint;
}

/**
 * What the ledger cache keeps of every finding of the year: the columns the engine scores and the
 * cache indexes by. No evidence, filer or timestamps: those are display fields, read per unit on
 * demand (findingsByIds), so a cold start reads only these.
 */
export type LedgerRow = Pick<
  StoredFinding,
  | 'id'
  | 'seq'
  | 'unit'
  | 'clauseId'
  | 'date'
  | 'count'
  | 'value'
  | 'level'
  | 'source'
  | 'deadline'
  | 'status'
  | 'rectifiedOn'
  | 'changeSeq'
>;

/** What filing writes: the stored fields that are not assigned by the store or later changes. */
export type NewFinding = Pick<
  StoredFinding,
  | 'rulebookId'
  | 'year'
  | 'unit'
  | 'clauseId'
  | 'date'
  | 'count'
  | 'value'
  | 'level'
  | 'source'
  | 'deadline'
  | 'deadlineIsDefault'
  | 'evidenceText'
  | 'evidenceLinks'
  | 'channel'
  | 'idempotencyKey'
  | 'changeSeq'
> & {
  filedById: number;
  /** Bulk intake only: stored verified, rectified on this day (insertFindings; a chat filing has none). */
  rectifiedOn?: string | null;
};

/** A finding as its idempotency key finds it. */
export interface FindingKeyed {
  idempotencyKey: string;
  id: string;
  seq: number;
}

export interface AuditEntry {
  actorId: number | null;
  actorLabel: string;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export interface FindingPatch {
  /** The ledger version this change belongs to (from bumpLedger in the same transaction). */
  changeSeq: bigint;
  status?: FindingState;
  rectifiedOn?: string | null;
  deadline?: string | null;
  deadlineIsDefault?: boolean;
  withdrawnAt?: Date | null;
  withdrawnById?: number | null;
  withdrawReason?: string | null;
  count?: number;
  value?: number | null;
  level?: string | null;
}

export interface AppealRecord {
  id: number;
  findingId: string;
  filedById: number;
  reasons: string;
  evidenceLinks: string[];
  state: 'pending' | 'upheld' | 'reduced' | 'withdrawn';
  ruling: string | null;
  ruledById: number | null;
  /** The finding's facts before the latest ruling, for a reopen. */
  ruledFrom: { count: number; value: number | null; level: string | null; status: FindingState } | null;
  filedAt: Date;
}

export interface ExtensionRecord {
  id: number;
  findingId: string;
  requestedById: number;
  currentDeadline: string;
  requestedDeadline: string;
  reason: string;
  state: 'pending' | 'approved' | 'refused';
  decidedById: number | null;
  approvedDeadline: string | null;
  decisionReason: string | null;
  createdAt: Date;
}

export interface RectificationEventRecord {
  kind: 'submitted' | 'verified' | 'rejected';
  actorId: number;
  submittedOn: string | null;
  evidenceText: string | null;
  evidenceLinks: string[];
  reason: string | null;
  createdAt: Date;
}

export interface StoreTx {
  /** Publications and tie-breaks of months and years (core/ports/publications.port.ts). */
  readonly publications: PublicationsTx;
  /** Locks the row until the transaction ends (SELECT … FOR UPDATE). */
  lockFinding(id: string): Promise<StoredFinding | null>;
  findingByKey(idempotencyKey: string): Promise<StoredFinding | null>;
  monthState(rulebookId: string, month: string): Promise<'open' | 'closed' | null>;
  /** Inserts unless the idempotency key exists; returns the stored row either way. */
  insertFinding(f: NewFinding): Promise<{ finding: StoredFinding; created: boolean }>;
  /** The findings already filed under any of these keys: key → id and filing number. */
  findingsByKeys(keys: readonly string[]): Promise<Map<string, FindingKeyed>>;
  /** The months among these that have a state (open or closed); a month without one is open. */
  monthStates(rulebookId: string, months: readonly string[]): Promise<Map<string, 'open' | 'closed'>>;
  /**
   * Inserts many findings in one statement, in the given order (filing numbers follow it), skipping
   * any whose key exists meanwhile (a concurrent twin); returns the ones written.
   */
  insertFindings(rows: readonly NewFinding[]): Promise<FindingKeyed[]>;
  updateFinding(id: string, patch: FindingPatch): Promise<StoredFinding>;
  /** false when an event with the same idempotency key was already recorded. */
  insertRectificationEvent(e: {
    findingId: string;
    kind: RectificationEventRecord['kind'];
    actorId: number;
    submittedOn?: string | null;
    evidenceText?: string | null;
    evidenceLinks?: string[];
    reason?: string | null;
    idempotencyKey?: string | null;
  }): Promise<boolean>;
  latestSubmission(findingId: string): Promise<RectificationEventRecord | null>;
  appendAudit(e: AuditEntry): Promise<void>;
  /** The finding's appeal, locked until the transaction ends; null when it has none. */
  lockAppeal(findingId: string): Promise<AppealRecord | null>;
  insertAppeal(a: {
    findingId: string;
    filedById: number;
    reasons: string;
    evidenceLinks: string[];
  }): Promise<AppealRecord>;
  updateAppeal(
    id: number,
    p: Partial<Pick<AppealRecord, 'state' | 'ruling' | 'ruledById' | 'ruledFrom'>> & { ruledAt?: Date | null },
  ): Promise<AppealRecord>;
  /** The finding's extension requests, oldest first (the finding's row lock serialises writers). */
  extensionRequests(findingId: string): Promise<ExtensionRecord[]>;
  insertExtensionRequest(e: {
    findingId: string;
    requestedById: number;
    currentDeadline: string;
    requestedDeadline: string;
    reason: string;
  }): Promise<ExtensionRecord>;
  updateExtensionRequest(
    id: number,
    p: Pick<ExtensionRecord, 'state' | 'decidedById' | 'approvedDeadline' | 'decisionReason'> & { decidedAt: Date },
  ): Promise<ExtensionRecord>;
  /**
   * Marks the year's ledger changed and returns the new version. Call it before writing findings:
   * the row lock it takes serialises writers, so versions commit in order and a reader that has
   * seen version v can fetch exactly the rows with changeSeq > v.
   */
  bumpLedger(rulebookId: string, year: number): Promise<bigint>;
  /** The member (active or not) a platform user id belongs to. */
  memberByIdentity(identity: MemberIdentity): Promise<MemberRecord | null>;
  /**
   * Gives the member this identity: taken from the inactive member that held it, if any, and
   * replacing the member's own identity on that platform, if any (returned as `replaced`). The
   * caller makes sure the identity is not an active member's.
   */
  attachIdentity(
    memberId: number,
    identity: MemberIdentity,
  ): Promise<{ member: MemberRecord; before: MemberRecord; replaced: MemberIdentity | null }>;
  /** The member behind the identity gets this role, unit, name and language (created if new; reactivated). */
  upsertMember(m: {
    platform: string;
    externalId: string;
    role: Role;
    unit: string | null;
    displayName: string | null;
    locale: Locale | null;
    rulebookId: string;
  }): Promise<{ member: MemberRecord; before: MemberRecord | null }>;
  setMemberLocale(memberId: number, locale: Locale): Promise<void>;
  /**
   * The ids of the active organisers, their rows locked until the transaction ends, so that two
   * organisers demoting each other at once cannot both succeed and leave nobody.
   */
  lockActiveOrganisers(): Promise<number[]>;
  /** Marks the active member behind an identity inactive (all their identities); null when there is none. */
  deactivateMember(
    platform: string,
    externalId: string,
  ): Promise<{ member: MemberRecord; before: MemberRecord } | null>;
  bindChannel(platform: string, scope: string, channelId: string): Promise<{ before: string | null }>;
  setMonthState(
    rulebookId: string,
    month: string,
    state: 'open' | 'closed',
    actorId: number,
  ): Promise<{ before: 'open' | 'closed' | null }>;
}

/** The office's cycle around a year's findings, for reports: every record, oldest first. */
export interface CaseRecords {
  rectifications: Array<RectificationEventRecord & { findingId: string }>;
  appeals: AppealRecord[];
  extensions: ExtensionRecord[];
  /** The name people know each member by (display name, else a platform id), for every member these records name. */
  memberNames: Map<number, string>;
}

/** One unit's row of a month's published standings (the worker's month:YYYY-MM snapshot). */
export interface PublishedRow {
  unit: string;
  group: string;
  total: number;
  rank: number;
  advanced: boolean;
}

/** What filing one finding came to (AssessmentStore.fileFinding). */
export type FilingOutcome =
  | { kind: 'created'; finding: StoredFinding }
  /** Its key had been filed already: nothing was written. */
  | { kind: 'existing'; finding: StoredFinding }
  /** The month of its date is closed: nothing was written. */
  | { kind: 'month_closed' };

/** The store of record; who messages go to is the recipient directory's (one definition, shared with the worker). */
export interface AssessmentStore extends RecipientDirectoryPort {
  /**
   * `timeoutMs`: how long the transaction may run before the store gives up and rolls it back
   * (default 20 s; a bulk intake of many rows asks for more).
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>, opts?: { timeoutMs?: number }): Promise<T>;
  /** What the office published, versioned (core/ports/publications.port.ts). */
  readonly publications: PublicationsReads;
  /**
   * Files one finding as one atomic step: unless its key was filed already or the month of its
   * date is closed, takes the next ledger version, inserts the finding and appends the audit entry
   * 'finding.filed' (after: the stored finding). The ledger row is locked only for that step, so
   * concurrent filers queue on it for the shortest time; the key makes a retry a no-op.
   */
  fileFinding(
    f: Omit<NewFinding, 'changeSeq'>,
    by: { actorId: number | null; actorLabel: string },
  ): Promise<FilingOutcome>;
  findMember(platform: string, externalId: string): Promise<MemberRecord | null>;
  getFinding(id: string): Promise<StoredFinding | null>;
  /** By filing number (finding.seq, unique across rulebooks). */
  getFindingBySeq(seq: number): Promise<StoredFinding | null>;
  /** All findings of a rulebook year, withdrawn included, in filing order. */
  findingsForYear(rulebookId: string, year: number): Promise<StoredFinding[]>;
  /** The ledger rows of every finding of a rulebook year, withdrawn included, in no particular order (the cache's cold start). */
  ledgerRows(rulebookId: string, year: number): Promise<LedgerRow[]>;
  /**
   * Every finding of one unit of a rulebook year as whole rows, withdrawn included, in no particular
   * order, with the ledger version they are current at: both come from one snapshot, so the rows
   * hold exactly the changes up to that version (the cache's unit-first cold start scores a unit
   * contact's own unit from them before the whole year is read).
   */
  unitFindings(rulebookId: string, year: number, unit: string): Promise<{ version: bigint; findings: StoredFinding[] }>;
  /** Whole findings by id, in no particular order; ids that do not exist are left out. */
  findingsByIds(ids: readonly string[]): Promise<StoredFinding[]>;
  /** Findings of a year changed after ledger version `since` (changeSeq > since). */
  findingsChangedSince(rulebookId: string, year: number, since: bigint): Promise<StoredFinding[]>;
  ledgerVersion(rulebookId: string, year: number): Promise<bigint>;
  rectificationEvents(findingId: string): Promise<RectificationEventRecord[]>;
  /** Who made the latest submission of a finding's rectification, by their identities; null if nobody has. */
  rectificationSubmitter(findingId: string): Promise<MemberIdentity[] | null>;
  /** Rectification events, appeals and extension requests of a year's findings (exports). */
  caseRecords(rulebookId: string, year: number): Promise<CaseRecords>;
  /** false when the rulebook has no finding with this id (nothing written). */
  setNoticeRef(findingId: string, ref: string, rulebookId: string): Promise<boolean>;
  /** The latest closed month of the year that has a published snapshot, with its rows. */
  latestPublishedMonth(
    rulebookId: string,
    year: number,
  ): Promise<{ month: string; asOf: string; rows: PublishedRow[] } | null>;
}
