// Exactly-once sending through the `notification` table — as close to exactly-once as a chat
// platform without idempotency keys allows. One row per (subjectType, subjectId, kind, stage,
// recipient), unique in PostgreSQL. This port is the contract; the SQL is
// prisma/repositories/notification-ledger.repository.ts, and the send protocol built on it
// (claim → beforeSend → beginSend → platform call → outcome) is `deliver` in
// worker/notification-ledger.ts.
//
// Life of a row (columns: state, attempts, claimed_at, last_error):
//
//   claim ──▶ [claimed, lease] ──beginSend──▶ [claimed, attempt in flight] ──send ok──▶ sent
//     │             │                                │
//     │             │ (crash: lease expires)         ├─ permanent error ─▶ failed (never retried)
//     │             ▼                                ├─ transient error ─▶ claimed, released
//     │       taken over by the next claimer         │     (last_error set, lease dropped; the
//     │       → the send is RETRIED                  │      BullMQ retry claims it again)
//     │                                              ├─ ambiguous error ─▶ failed, "outcome unknown"
//     │                                              └─ crash (lease expires with the attempt
//     │                                                 unresolved) ─▶ failed, "outcome unknown"
//     └─ conflict: sent / failed / cancelled / busy (another worker holds a live lease)
//
//   - claim: INSERT … ON CONFLICT DO NOTHING; else take over a 'claimed' row whose lease
//     (claimed_at + leaseMs) has expired and that has no unresolved attempt. The takeover is one
//     conditional UPDATE, so of two concurrent claimers exactly one wins.
//   - beginSend: attempts += 1, last_error = NULL, committed BEFORE the platform is called. So
//     "attempts > 0 AND last_error IS NULL" on a 'claimed' row means "a send was started and its
//     outcome was never recorded".
//   - every later write is fenced on the attempt number (and beginSend on the claim's claimed_at),
//     so a worker that lost its lease cannot overwrite a newer owner's outcome.
//
// THE CRASH WINDOWS, and the choice made for each:
//   W1 claim → beginSend (includes any rate-limit wait): nothing has reached the platform. A
//      crash here leaves an expired lease with no unresolved attempt: the next claimer takes the
//      row over and sends. "A crash between claim and send is retried rather than lost."
//   W2 beginSend → platform answered, and W3 platform answered → markSent committed: the message
//      may have been posted. There is no way to ask Slack/DingTalk "did you get request X?"
//      (chat.postMessage has no idempotency key), so this window is AT-MOST-ONCE: the row is
//      resolved to 'failed' with last_error "outcome unknown …" and never resent. "Never send the
//      same reminder twice" wins over "never lose one": a lost reminder is followed by the next
//      stage a few working days later, and the organisers see every finding's state on demand,
//      whereas a duplicate @-mention of a unit's contacts is the visible failure the issue
//      forbids. The window is one HTTP call plus one UPDATE long; markSent is retried in-process
//      so that a PostgreSQL blip after a successful send does not turn into "outcome unknown".
//      Errors that leave the outcome unknown (a timeout after the request was written, an OK
//      response we could not read) are treated the same way; see `classifySendError`
//      (worker/notification-ledger.ts).
//
// The ledger never decides WHETHER a stage is due — callers re-plan from current state right
// before claiming (worker/reminder-plan.ts) — only that it is sent at most once.

import type { NotificationKey, SubjectType } from './notification-key.ts';

/** Proof of ownership of a row, returned by claim() and advanced by beginSend(). */
export interface Claim {
  readonly id: bigint;
  readonly key: NotificationKey;
  /** claimed_at of our lease: beginSend is fenced on it. */
  readonly claimedAt: Date;
  /** attempts after our last write: markSent / markFailed / release are fenced on it. */
  readonly attempts: number;
  /** true when we took over a row (an expired lease, a released retry, a revived cancellation). */
  readonly takenOver: boolean;
  /** The previous attempt's error, when taking over after a transient failure. */
  readonly previousError: string | null;
}

/**
 * Why nothing (more) is sent. `settledNow` marks the one call that settled the row as failed /
 * outcome unknown (so a caller alerts someone once, not on every later retry or duplicate).
 */
export type ClaimConflict =
  | { status: 'already-sent'; messageRef: string | null; sentAt: Date | null }
  | { status: 'failed'; lastError: string | null; settledNow?: true }
  | { status: 'cancelled' }
  /** Another worker holds a live lease; it expires at `leaseUntil`. */
  | { status: 'busy'; leaseUntil: Date; attempts: number }
  /** An earlier attempt was started and never resolved: resolved to 'failed', not resent. */
  | { status: 'unknown-outcome'; lastError: string; settledNow?: true };

export type ClaimResult = ({ status: 'claimed' } & Claim) | ClaimConflict;

export type NotificationState = 'claimed' | 'sent' | 'failed' | 'cancelled';

/** A row as planners see it (read-only). */
export interface NotificationStatus {
  state: NotificationState;
  attempts: number;
  lastError: string | null;
  messageRef: string | null;
}

/** Which claimed, unsent rows of a subject to cancel; unset fields match every row. */
export interface CancelFilter {
  subjectType: SubjectType;
  subjectId: string;
  kind?: string;
  stages?: readonly string[];
  recipient?: string;
}

/** last_error of every row settled as "the outcome cannot be known" starts with this. */
export const UNKNOWN_OUTCOME_PREFIX = 'outcome unknown';

/**
 * The row operations. Every write but claim is fenced (see the header) and returns whether it
 * applied; none of them decides whether a message is due.
 */
export interface NotificationLedgerPort {
  /** Claim the right to send `key` (see the header for the rules). `reviveCancelled`: take over
   * a 'cancelled' row too (only for callers that just re-planned from current state). */
  claim(key: NotificationKey, opts?: { reviveCancelled?: boolean }): Promise<ClaimResult>;
  /**
   * Record that a platform call is about to be made (committed before the call). Returns the
   * advanced claim, or null when the claim was lost meanwhile (lease taken over, or cancelled):
   * then nothing must be sent.
   */
  beginSend(claim: Claim): Promise<Claim | null>;
  /** The platform accepted the message. Truth wins: recorded even if cancelled meanwhile. */
  markSent(claim: Claim, messageRef: string | null): Promise<boolean>;
  /** A permanent failure (or giving up): recorded with `errorText`, never retried. */
  markFailed(claim: Claim, errorText: string): Promise<boolean>;
  /** An attempt whose outcome cannot be known: failed with UNKNOWN_OUTCOME_PREFIX, never resent
   * (at-most-once). `errorText` is what happened. */
  markUnknown(claim: Claim, errorText: string): Promise<boolean>;
  /**
   * A transient failure: the attempt is resolved (last_error set) and the lease dropped, so the
   * BullMQ retry — or any worker — may claim the row again at once. A cancelled row stays cancelled.
   */
  releaseAfterError(claim: Claim, errorText: string): Promise<boolean>;
  /** Give the claim back before any attempt (beforeSend failed, shutting down). */
  release(claim: Claim): Promise<boolean>;
  /**
   * Cancel the stages of a subject that are claimed but not sent (e.g. after a submission,
   * verification, withdrawal or deadline change). Rows never claimed need nothing: the planner
   * will not claim them while they are not due. A send already in flight still records 'sent'.
   * Returns how many rows were cancelled.
   */
  cancel(filter: CancelFilter): Promise<number>;
  /** Resolve every abandoned in-flight attempt to failed/"outcome unknown" (reconcile job). */
  resolveAbandoned(): Promise<number>;
  /**
   * Which of these keys are settled — sent, or failed (including outcome unknown) — as keyString()s,
   * so a planner need not enqueue them again. Pending, cancelled and missing keys are not settled.
   * Read-only: claiming is still what decides.
   */
  settledAmong(keys: readonly NotificationKey[]): Promise<Set<string>>;
  /**
   * Which of these keys were sent (delivered as far as the platform said), as keyString()s: what a
   * message may count as "sent before" (a reminder's "reminder 2 of 5"). Failed ones, including
   * outcome unknown, are not counted. Read-only.
   */
  sentAmong(keys: readonly NotificationKey[]): Promise<Set<string>>;
  /** The row for a key, if any (read-only: planners use it to skip stages already settled). */
  status(key: NotificationKey): Promise<NotificationStatus | null>;
}
