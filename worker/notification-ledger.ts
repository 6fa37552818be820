// Exactly-once sending through the `notification` table — as close to exactly-once as a chat
// platform without idempotency keys allows. One row per (subjectType, subjectId, kind, stage,
// recipient), unique in PostgreSQL.
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
//      response we could not read) are treated the same way; see `classify`.
//
// The ledger never decides WHETHER a stage is due — callers re-plan from current state right
// before claiming (worker/reminder-plan.ts) — only that it is sent at most once.

import type { PrismaClient } from '../prisma/client.ts';
import { MessengerError } from '../core/ports/messenger.port.ts';

export {
  NOTIFICATION_KINDS,
  channelRecipient,
  keyString,
  monthSubjectId,
  userRecipient,
  type NotificationKey,
  type SubjectType,
} from '../core/ports/notification-key.ts';
import { keyString, type NotificationKey, type SubjectType } from '../core/ports/notification-key.ts';

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

export type DeliveryOutcome =
  | { status: 'sent'; messageRef: string | null; attempts: number }
  | ClaimConflict
  /** beforeSend or cancel() took the stage away before anything was sent. */
  | { status: 'not-sent'; reason: 'cancelled' | 'lost-claim' };

/** How a send error is handled. */
export type ErrorClass = 'permanent' | 'transient' | 'ambiguous';

/** Transient codes after which the message may nevertheless have been posted. */
export const AMBIGUOUS_CODES: ReadonlySet<string> = new Set(['timeout', 'bad_response']);

/**
 * Default classification. MessengerError.permanent → 'permanent' (recorded, not retried);
 * ambiguous codes → 'ambiguous' (at-most-once, like the crash window); other MessengerErrors →
 * 'transient' (released, rethrown for BullMQ to retry). Anything else breaks the port's contract
 * ("rejects with a MessengerError") and may have happened after the platform accepted the
 * message, so it is 'ambiguous' too.
 */
export function classifySendError(e: unknown): ErrorClass {
  if (e instanceof MessengerError) {
    if (e.permanent) return 'permanent';
    return AMBIGUOUS_CODES.has(e.code) ? 'ambiguous' : 'transient';
  }
  return 'ambiguous';
}

export class LostClaimError extends Error {
  constructor(readonly key: NotificationKey) {
    super(`lost the claim on ${describeKey(key)} before sending (lease expired or cancelled)`);
    this.name = 'LostClaimError';
  }
}

export interface NotificationLedgerOptions {
  /** How long a claim protects a row before another worker may take it over. Default 5 min. */
  leaseMs?: number;
  classify?: (e: unknown) => ErrorClass;
  /** In-process retries of markSent after a successful send (PostgreSQL blips). Default 3. */
  markSentRetries?: number;
}

export interface DeliverOptions {
  /** Runs after the claim, before the attempt is recorded (e.g. wait for the rate limiter). If it
   * throws, the claim is released untouched and the error is rethrown. */
  beforeSend?: () => Promise<void>;
  /** Take over a 'cancelled' row. Only for callers that just re-planned from current state. */
  reviveCancelled?: boolean;
  /** The last BullMQ attempt: a transient error marks the row failed ("gave up") before rethrowing. */
  finalAttempt?: boolean;
}

export type LedgerDb = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;

interface Row {
  id: bigint;
  state: 'claimed' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  claimed_at: Date;
  sent_at: Date | null;
  last_error: string | null;
  message_ref: string | null;
}

export const UNKNOWN_OUTCOME_PREFIX = 'outcome unknown';
const MAX_ERROR_LENGTH = 2000;

function describeKey(k: NotificationKey): string {
  return `${k.subjectType}/${k.subjectId} ${k.kind}/${k.stage} → ${k.recipient}`;
}

function errorText(e: unknown): string {
  const text =
    e instanceof MessengerError
      ? `${e.code}: ${e.message}`
      : e instanceof Error
        ? `${e.name}: ${e.message}`
        : String(e);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class NotificationLedger {
  private readonly leaseSeconds: number;
  private readonly classify: (e: unknown) => ErrorClass;
  private readonly markSentRetries: number;

  constructor(
    private readonly db: LedgerDb,
    opts: NotificationLedgerOptions = {},
  ) {
    const leaseMs = opts.leaseMs ?? 5 * 60_000;
    if (!(leaseMs > 0)) throw new RangeError('leaseMs must be positive');
    this.leaseSeconds = leaseMs / 1000;
    this.classify = opts.classify ?? classifySendError;
    this.markSentRetries = opts.markSentRetries ?? 3;
  }

  /** Claim the right to send `key` (see the header for the rules). */
  async claim(key: NotificationKey, opts: { reviveCancelled?: boolean } = {}): Promise<ClaimResult> {
    const { subjectType, subjectId, kind, stage, recipient } = key;
    const inserted = await this.db.$queryRaw<Row[]>`
      INSERT INTO notification (subject_type, subject_id, kind, stage, recipient, state, attempts, claimed_at)
      VALUES (${subjectType}, ${subjectId}, ${kind}, ${stage}, ${recipient}, 'claimed', 0, now())
      ON CONFLICT (subject_type, subject_id, kind, stage, recipient) DO NOTHING
      RETURNING id, state, attempts, claimed_at, sent_at, last_error, message_ref`;
    if (inserted[0]) return this.claimed(key, inserted[0], false);

    // Take over: an expired (or released) lease with no unresolved attempt, or — when asked —
    // a cancelled row. Concurrent takers serialise on the row lock; the loser's WHERE no longer
    // matches once the winner has refreshed claimed_at.
    const revive = opts.reviveCancelled === true;
    const taken = await this.db.$queryRaw<Row[]>`
      UPDATE notification SET claimed_at = now(), state = 'claimed'
      WHERE subject_type = ${subjectType} AND subject_id = ${subjectId} AND kind = ${kind} AND stage = ${stage} AND recipient = ${recipient}
        AND (attempts = 0 OR last_error IS NOT NULL)
        AND (
          (state = 'claimed' AND claimed_at < now() - make_interval(secs => ${this.leaseSeconds}::double precision))
          OR (state = 'cancelled' AND ${revive}::boolean)
        )
      RETURNING id, state, attempts, claimed_at, sent_at, last_error, message_ref`;
    if (taken[0]) return this.claimed(key, taken[0], true);

    // An attempt started by a worker that vanished: its outcome is unknown. Never resend.
    const lastError = `${UNKNOWN_OUTCOME_PREFIX}: the sending worker stopped during the platform call; not resent to avoid a duplicate`;
    const resolved = await this.db.$queryRaw<Row[]>`
      UPDATE notification SET state = 'failed', last_error = ${lastError}
      WHERE subject_type = ${subjectType} AND subject_id = ${subjectId} AND kind = ${kind} AND stage = ${stage} AND recipient = ${recipient}
        AND state = 'claimed' AND attempts > 0 AND last_error IS NULL
        AND claimed_at < now() - make_interval(secs => ${this.leaseSeconds}::double precision)
      RETURNING id`;
    if (resolved[0]) return { status: 'unknown-outcome', lastError, settledNow: true };

    const [row] = await this.db.$queryRaw<Row[]>`
      SELECT id, state, attempts, claimed_at, sent_at, last_error, message_ref FROM notification
      WHERE subject_type = ${subjectType} AND subject_id = ${subjectId} AND kind = ${kind} AND stage = ${stage} AND recipient = ${recipient}`;
    if (!row) throw new Error(`notification row vanished: ${describeKey(key)}`); // rows are never deleted
    switch (row.state) {
      case 'sent':
        return { status: 'already-sent', messageRef: row.message_ref, sentAt: row.sent_at };
      case 'failed':
        return row.last_error?.startsWith(UNKNOWN_OUTCOME_PREFIX)
          ? { status: 'unknown-outcome', lastError: row.last_error }
          : { status: 'failed', lastError: row.last_error };
      case 'cancelled':
        return { status: 'cancelled' };
      case 'claimed':
        return {
          status: 'busy',
          leaseUntil: new Date(row.claimed_at.getTime() + this.leaseSeconds * 1000),
          attempts: row.attempts,
        };
    }
  }

  private claimed(key: NotificationKey, row: Row, takenOver: boolean): ClaimResult {
    return {
      status: 'claimed',
      id: row.id,
      key,
      claimedAt: row.claimed_at,
      attempts: row.attempts,
      takenOver,
      previousError: row.last_error,
    };
  }

  /**
   * Record that a platform call is about to be made (committed before the call). Returns the
   * advanced claim, or null when the claim was lost meanwhile (lease taken over, or cancelled):
   * then nothing must be sent.
   */
  async beginSend(claim: Claim): Promise<Claim | null> {
    const rows = await this.db.$queryRaw<Row[]>`
      UPDATE notification SET attempts = attempts + 1, last_error = NULL, claimed_at = now()
      WHERE id = ${claim.id} AND state = 'claimed' AND attempts = ${claim.attempts} AND claimed_at = ${claim.claimedAt}
      RETURNING id, state, attempts, claimed_at, sent_at, last_error, message_ref`;
    const row = rows[0];
    return row ? { ...claim, attempts: row.attempts, claimedAt: row.claimed_at } : null;
  }

  /** The platform accepted the message. Truth wins: recorded even if cancelled meanwhile. */
  async markSent(claim: Claim, messageRef: string | null): Promise<boolean> {
    const n = await this.db.$executeRaw`
      UPDATE notification SET state = 'sent', sent_at = now(), message_ref = ${messageRef}, last_error = NULL
      WHERE id = ${claim.id} AND attempts = ${claim.attempts} AND state <> 'sent'`;
    return n === 1;
  }

  /** A permanent failure (or giving up): recorded, never retried. */
  async markFailed(claim: Claim, error: unknown): Promise<boolean> {
    const n = await this.db.$executeRaw`
      UPDATE notification SET state = 'failed', last_error = ${errorText(error)}
      WHERE id = ${claim.id} AND attempts = ${claim.attempts} AND state IN ('claimed', 'cancelled')`;
    return n === 1;
  }

  /** Mark an attempt whose outcome cannot be known: failed, never resent (at-most-once). */
  async markUnknown(claim: Claim, error: unknown): Promise<boolean> {
    const text = `${UNKNOWN_OUTCOME_PREFIX}: ${errorText(error)}`;
    const n = await this.db.$executeRaw`
      UPDATE notification SET state = 'failed', last_error = ${text}
      WHERE id = ${claim.id} AND attempts = ${claim.attempts} AND state IN ('claimed', 'cancelled')`;
    return n === 1;
  }

  /**
   * A transient failure: the attempt is resolved (last_error set) and the lease dropped, so the
   * BullMQ retry — or any worker — may claim the row again at once. A cancelled row stays cancelled.
   */
  async releaseAfterError(claim: Claim, error: unknown): Promise<boolean> {
    const n = await this.db.$executeRaw`
      UPDATE notification SET last_error = ${errorText(error)}, claimed_at = to_timestamp(0)
      WHERE id = ${claim.id} AND attempts = ${claim.attempts} AND state IN ('claimed', 'cancelled')`;
    return n === 1;
  }

  /** Give the claim back before any attempt (beforeSend failed, shutting down). */
  async release(claim: Claim): Promise<boolean> {
    const n = await this.db.$executeRaw`
      UPDATE notification SET claimed_at = to_timestamp(0)
      WHERE id = ${claim.id} AND state = 'claimed' AND attempts = ${claim.attempts} AND claimed_at = ${claim.claimedAt}`;
    return n === 1;
  }

  /**
   * Cancel the stages of a subject that are claimed but not sent (e.g. after a submission,
   * verification, withdrawal or deadline change). Rows never claimed need nothing: the planner
   * will not claim them while they are not due. A send already in flight still records 'sent'.
   */
  async cancel(filter: {
    subjectType: SubjectType;
    subjectId: string;
    kind?: string;
    stages?: readonly string[];
    recipient?: string;
  }): Promise<number> {
    const kind = filter.kind ?? null;
    const stages = filter.stages ? [...filter.stages] : null;
    const recipient = filter.recipient ?? null;
    return this.db.$executeRaw`
      UPDATE notification SET state = 'cancelled'
      WHERE subject_type = ${filter.subjectType} AND subject_id = ${filter.subjectId} AND state = 'claimed'
        AND (${kind}::text IS NULL OR kind = ${kind}::text)
        AND (${stages}::text[] IS NULL OR stage = ANY(${stages}::text[]))
        AND (${recipient}::text IS NULL OR recipient = ${recipient}::text)`;
  }

  /** Resolve every abandoned in-flight attempt to failed/"outcome unknown" (reconcile job). */
  async resolveAbandoned(): Promise<number> {
    const lastError = `${UNKNOWN_OUTCOME_PREFIX}: the sending worker stopped during the platform call; not resent to avoid a duplicate`;
    return this.db.$executeRaw`
      UPDATE notification SET state = 'failed', last_error = ${lastError}
      WHERE state = 'claimed' AND attempts > 0 AND last_error IS NULL
        AND claimed_at < now() - make_interval(secs => ${this.leaseSeconds}::double precision)`;
  }

  /**
   * Which of these keys are settled — sent, or failed (including outcome unknown) — so a planner
   * need not enqueue them again (one query per 5,000 keys). Pending, cancelled and missing keys
   * are not settled. Read-only: claiming is still what decides.
   */
  async settledAmong(keys: readonly NotificationKey[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < keys.length; i += 5000) {
      const part = keys.slice(i, i + 5000);
      const rows = await this.db.$queryRaw<
        Array<{ subject_type: string; subject_id: string; kind: string; stage: string; recipient: string }>
      >`
        SELECT n.subject_type, n.subject_id, n.kind, n.stage, n.recipient FROM notification n
        JOIN unnest(${part.map((k) => k.subjectType)}::text[], ${part.map((k) => k.subjectId)}::text[], ${part.map((k) => k.kind)}::text[],
                    ${part.map((k) => k.stage)}::text[], ${part.map((k) => k.recipient)}::text[]) AS k(t, i, kd, s, r)
          ON n.subject_type = k.t AND n.subject_id = k.i AND n.kind = k.kd AND n.stage = k.s AND n.recipient = k.r
        WHERE n.state IN ('sent', 'failed')`;
      for (const r of rows)
        out.add(
          keyString({
            subjectType: r.subject_type as SubjectType,
            subjectId: r.subject_id,
            kind: r.kind,
            stage: r.stage,
            recipient: r.recipient,
          }),
        );
    }
    return out;
  }

  /** The row for a key, if any (read-only: planners use it to skip stages already settled). */
  async status(
    key: NotificationKey,
  ): Promise<{ state: Row['state']; attempts: number; lastError: string | null; messageRef: string | null } | null> {
    const [row] = await this.db.$queryRaw<Row[]>`
      SELECT id, state, attempts, claimed_at, sent_at, last_error, message_ref FROM notification
      WHERE subject_type = ${key.subjectType} AND subject_id = ${key.subjectId} AND kind = ${key.kind} AND stage = ${key.stage} AND recipient = ${key.recipient}`;
    return row
      ? { state: row.state, attempts: row.attempts, lastError: row.last_error, messageRef: row.message_ref }
      : null;
  }

  /**
   * Claim, send, record. Returns the outcome for everything except transient errors, which are
   * rethrown (after releasing the row) so BullMQ retries the job with backoff.
   */
  async deliver(
    key: NotificationKey,
    send: () => Promise<{ ref: string | null }>,
    opts: DeliverOptions = {},
  ): Promise<DeliveryOutcome> {
    const claimed = await this.claim(key, opts.reviveCancelled ? { reviveCancelled: true } : {});
    if (claimed.status !== 'claimed') return claimed;

    if (opts.beforeSend) {
      try {
        await opts.beforeSend();
      } catch (e) {
        await this.release(claimed);
        throw e;
      }
    }

    const attempt = await this.beginSend(claimed);
    if (!attempt) {
      const now = await this.status(key);
      return { status: 'not-sent', reason: now?.state === 'cancelled' ? 'cancelled' : 'lost-claim' };
    }

    let ref: string | null;
    try {
      ({ ref } = await send());
    } catch (e) {
      switch (this.classify(e)) {
        case 'permanent':
          await this.markFailed(attempt, e);
          return { status: 'failed', lastError: errorText(e), settledNow: true };
        case 'ambiguous':
          await this.markUnknown(attempt, e);
          return {
            status: 'unknown-outcome',
            lastError: `${UNKNOWN_OUTCOME_PREFIX}: ${errorText(e)}`,
            settledNow: true,
          };
        case 'transient':
          if (opts.finalAttempt)
            await this.markFailed(attempt, new Error(`gave up after ${attempt.attempts} attempts: ${errorText(e)}`));
          else await this.releaseAfterError(attempt, e);
          throw e;
      }
    }

    // Sent. Record it, retrying a PostgreSQL blip; if that keeps failing the row is left with an
    // unresolved attempt and later resolved to "outcome unknown" — never resent.
    for (let i = 0; ; i++) {
      try {
        await this.markSent(attempt, ref);
        return { status: 'sent', messageRef: ref, attempts: attempt.attempts };
      } catch (e) {
        if (i >= this.markSentRetries) throw e;
        await sleep(200 * 2 ** i);
      }
    }
  }
}
