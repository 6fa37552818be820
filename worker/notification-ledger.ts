// The send protocol over the notification ledger: claim → beforeSend (rate-limit wait) →
// beginSend → platform call → outcome. The row rules, the crash windows and the at-most-once
// choice are the port's contract (core/ports/notification-ledger.port.ts); the SQL is in
// prisma/repositories/notification-ledger.repository.ts. What is decided here: how a send error
// is classified, and that markSent is retried in-process after a successful send.

import { MessengerError } from '../core/ports/messenger.port.ts';
import {
  UNKNOWN_OUTCOME_PREFIX,
  type CancelFilter,
  type Claim,
  type ClaimConflict,
  type ClaimResult,
  type NotificationLedgerPort,
  type NotificationStatus,
} from '../core/ports/notification-ledger.port.ts';
import type { NotificationKey } from '../core/ports/notification-key.ts';

export {
  NOTIFICATION_KINDS,
  channelRecipient,
  keyString,
  monthSubjectId,
  userRecipient,
  type NotificationKey,
} from '../core/ports/notification-key.ts';
export {
  UNKNOWN_OUTCOME_PREFIX,
  type Claim,
  type ClaimConflict,
  type ClaimResult,
  type NotificationLedgerPort,
} from '../core/ports/notification-ledger.port.ts';

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

export interface NotificationLedgerOptions {
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

const MAX_ERROR_LENGTH = 2000;

/** What is recorded as last_error for a send error (bounded). */
export function errorText(e: unknown): string {
  const text =
    e instanceof MessengerError
      ? `${e.code}: ${e.message}`
      : e instanceof Error
        ? `${e.name}: ${e.message}`
        : String(e);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The ledger's rows (any NotificationLedgerPort) plus `deliver`. The row operations pass through,
 * taking errors as well as texts for the fenced writes.
 */
export class NotificationLedger implements NotificationLedgerPort {
  private readonly classify: (e: unknown) => ErrorClass;
  private readonly markSentRetries: number;

  constructor(
    readonly rows: NotificationLedgerPort,
    opts: NotificationLedgerOptions = {},
  ) {
    this.classify = opts.classify ?? classifySendError;
    this.markSentRetries = opts.markSentRetries ?? 3;
  }

  claim(key: NotificationKey, opts?: { reviveCancelled?: boolean }): Promise<ClaimResult> {
    return this.rows.claim(key, opts);
  }
  beginSend(claim: Claim): Promise<Claim | null> {
    return this.rows.beginSend(claim);
  }
  markSent(claim: Claim, messageRef: string | null): Promise<boolean> {
    return this.rows.markSent(claim, messageRef);
  }
  markFailed(claim: Claim, error: unknown): Promise<boolean> {
    return this.rows.markFailed(claim, errorText(error));
  }
  markUnknown(claim: Claim, error: unknown): Promise<boolean> {
    return this.rows.markUnknown(claim, errorText(error));
  }
  releaseAfterError(claim: Claim, error: unknown): Promise<boolean> {
    return this.rows.releaseAfterError(claim, errorText(error));
  }
  release(claim: Claim): Promise<boolean> {
    return this.rows.release(claim);
  }
  cancel(filter: CancelFilter): Promise<number> {
    return this.rows.cancel(filter);
  }
  resolveAbandoned(): Promise<number> {
    return this.rows.resolveAbandoned();
  }
  settledAmong(keys: readonly NotificationKey[]): Promise<Set<string>> {
    return this.rows.settledAmong(keys);
  }

  sentAmong(keys: readonly NotificationKey[]): Promise<Set<string>> {
    return this.rows.sentAmong(keys);
  }
  status(key: NotificationKey): Promise<NotificationStatus | null> {
    return this.rows.status(key);
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
