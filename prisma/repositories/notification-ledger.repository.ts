// The notification ledger on PostgreSQL: the SQL behind core/ports/notification-ledger.port.ts,
// whose header is the contract (claims, leases, fencing, the crash windows). Every statement is
// one conditional INSERT/UPDATE, so concurrent workers (separate connections, separate
// processes) serialise on the row lock and the loser's WHERE no longer matches.

import type { PrismaClient } from '../generated/client.ts';
import {
  UNKNOWN_OUTCOME_PREFIX,
  type CancelFilter,
  type Claim,
  type ClaimResult,
  type NotificationLedgerPort,
  type NotificationState,
  type NotificationStatus,
} from '../../core/ports/notification-ledger.port.ts';
import { keyString, type NotificationKey, type SubjectType } from '../../core/ports/notification-key.ts';

export type LedgerDb = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;

export interface NotificationLedgerRepositoryOptions {
  /** How long a claim protects a row before another worker may take it over. Default 5 min. */
  leaseMs?: number;
}

interface Row {
  id: bigint;
  state: NotificationState;
  attempts: number;
  claimed_at: Date;
  sent_at: Date | null;
  last_error: string | null;
  message_ref: string | null;
}

const ABANDONED = `${UNKNOWN_OUTCOME_PREFIX}: the sending worker stopped during the platform call; not resent to avoid a duplicate`;

function describeKey(k: NotificationKey): string {
  return `${k.subjectType}/${k.subjectId} ${k.kind}/${k.stage} → ${k.recipient}`;
}

export class NotificationLedgerRepository implements NotificationLedgerPort {
  private readonly leaseSeconds: number;

  constructor(
    private readonly db: LedgerDb,
    opts: NotificationLedgerRepositoryOptions = {},
  ) {
    const leaseMs = opts.leaseMs ?? 5 * 60_000;
    if (!(leaseMs > 0)) throw new RangeError('leaseMs must be positive');
    this.leaseSeconds = leaseMs / 1000;
  }

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
    const resolved = await this.db.$queryRaw<Row[]>`
      UPDATE notification SET state = 'failed', last_error = ${ABANDONED}
      WHERE subject_type = ${subjectType} AND subject_id = ${subjectId} AND kind = ${kind} AND stage = ${stage} AND recipient = ${recipient}
        AND state = 'claimed' AND attempts > 0 AND last_error IS NULL
        AND claimed_at < now() - make_interval(secs => ${this.leaseSeconds}::double precision)
      RETURNING id`;
    if (resolved[0]) return { status: 'unknown-outcome', lastError: ABANDONED, settledNow: true };

    const row = await this.row(key);
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

  private async row(key: NotificationKey): Promise<Row | undefined> {
    const [row] = await this.db.$queryRaw<Row[]>`
      SELECT id, state, attempts, claimed_at, sent_at, last_error, message_ref FROM notification
      WHERE subject_type = ${key.subjectType} AND subject_id = ${key.subjectId} AND kind = ${key.kind} AND stage = ${key.stage} AND recipient = ${key.recipient}`;
    return row;
  }

  async beginSend(claim: Claim): Promise<Claim | null> {
    const rows = await this.db.$queryRaw<Row[]>`
      UPDATE notification SET attempts = attempts + 1, last_error = NULL, claimed_at = now()
      WHERE id = ${claim.id} AND state = 'claimed' AND attempts = ${claim.attempts} AND claimed_at = ${claim.claimedAt}
      RETURNING id, state, attempts, claimed_at, sent_at, last_error, message_ref`;
    const row = rows[0];
    return row ? { ...claim, attempts: row.attempts, claimedAt: row.claimed_at } : null;
  }

  async markSent(claim: Claim, messageRef: string | null): Promise<boolean> {
    const n = await this.db.$executeRaw`
      UPDATE notification SET state = 'sent', sent_at = now(), message_ref = ${messageRef}, last_error = NULL
      WHERE id = ${claim.id} AND attempts = ${claim.attempts} AND state <> 'sent'`;
    return n === 1;
  }

  async markFailed(claim: Claim, errorText: string): Promise<boolean> {
    const n = await this.db.$executeRaw`
      UPDATE notification SET state = 'failed', last_error = ${errorText}
      WHERE id = ${claim.id} AND attempts = ${claim.attempts} AND state IN ('claimed', 'cancelled')`;
    return n === 1;
  }

  async markUnknown(claim: Claim, errorText: string): Promise<boolean> {
    return this.markFailed(claim, `${UNKNOWN_OUTCOME_PREFIX}: ${errorText}`);
  }

  async releaseAfterError(claim: Claim, errorText: string): Promise<boolean> {
    const n = await this.db.$executeRaw`
      UPDATE notification SET last_error = ${errorText}, claimed_at = to_timestamp(0)
      WHERE id = ${claim.id} AND attempts = ${claim.attempts} AND state IN ('claimed', 'cancelled')`;
    return n === 1;
  }

  async release(claim: Claim): Promise<boolean> {
    const n = await this.db.$executeRaw`
      UPDATE notification SET claimed_at = to_timestamp(0)
      WHERE id = ${claim.id} AND state = 'claimed' AND attempts = ${claim.attempts} AND claimed_at = ${claim.claimedAt}`;
    return n === 1;
  }

  cancel(filter: CancelFilter): Promise<number> {
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

  resolveAbandoned(): Promise<number> {
    return this.db.$executeRaw`
      UPDATE notification SET state = 'failed', last_error = ${ABANDONED}
      WHERE state = 'claimed' AND attempts > 0 AND last_error IS NULL
        AND claimed_at < now() - make_interval(secs => ${this.leaseSeconds}::double precision)`;
  }

  settledAmong(keys: readonly NotificationKey[]): Promise<Set<string>> {
    return this.keysIn(keys, ['sent', 'failed']);
  }

  sentAmong(keys: readonly NotificationKey[]): Promise<Set<string>> {
    return this.keysIn(keys, ['sent']);
  }

  /** The keys whose rows are in one of these states; one query per 5,000 keys. */
  private async keysIn(keys: readonly NotificationKey[], states: readonly string[]): Promise<Set<string>> {
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
        WHERE n.state::text = ANY(${states}::text[])`;
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

  async status(key: NotificationKey): Promise<NotificationStatus | null> {
    const row = await this.row(key);
    return row
      ? { state: row.state, attempts: row.attempts, lastError: row.last_error, messageRef: row.message_ref }
      : null;
  }
}
