import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/client.ts';
import { NotificationLedgerRepository } from '../../prisma/repositories/notification-ledger.repository.ts';
import { ConsoleMessenger } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import { message, paragraph } from '../../core/messages/message.ts';
import { MessengerError } from '../../core/ports/messenger.port.ts';
import {
  NotificationLedger,
  NOTIFICATION_KINDS,
  UNKNOWN_OUTCOME_PREFIX,
  channelRecipient,
  classifySendError,
  type Claim,
  type NotificationKey,
} from '../../worker/notification-ledger.ts';

let db: TestDatabase;
let other: PrismaClient; // a second client: a second worker process, as far as PostgreSQL can tell

beforeAll(async () => {
  db = await createTestDatabase({ rulebooks: [] });
  other = createPrismaClient(db.url, { pool: { max: 10 } });
});
afterAll(async () => {
  await other?.$disconnect();
  await db?.drop();
});

// Leases are long, so that a loaded machine never lets one run out by itself between two steps of a
// test; a test that needs it expired says so with expireLease(), which moves the claim an hour into
// the past on the ledger's own clock (PostgreSQL's now()), as if the time had passed.
const LEASE = 60_000;

async function expireLease(k: NotificationKey): Promise<void> {
  const n = await db.prisma.$executeRaw`
    UPDATE notification SET claimed_at = claimed_at - interval '1 hour'
    WHERE subject_type = ${k.subjectType} AND subject_id = ${k.subjectId} AND kind = ${k.kind}
      AND stage = ${k.stage} AND recipient = ${k.recipient}`;
  if (n !== 1) throw new Error(`expireLease: no row for ${k.subjectId}`);
}

function key(stage = 'due_soon'): NotificationKey {
  return {
    subjectType: 'finding',
    subjectId: randomUUID(),
    kind: NOTIFICATION_KINDS.reminder,
    stage,
    recipient: channelRecipient('console', '市公安局'),
  };
}

async function row(k: NotificationKey) {
  return db.prisma.notification.findUniqueOrThrow({
    where: {
      subjectType_subjectId_kind_stage_recipient: {
        subjectType: k.subjectType,
        subjectId: k.subjectId,
        kind: k.kind,
        stage: k.stage,
        recipient: k.recipient,
      },
    },
  });
}

/** The send protocol over the PostgreSQL ledger, on one client (one worker process). */
const ledgerOn = (client: PrismaClient, leaseMs: number, markSentRetries?: number) =>
  new NotificationLedger(
    new NotificationLedgerRepository(client, { leaseMs }),
    markSentRetries === undefined ? {} : { markSentRetries },
  );

function fixture(opts: { lease?: number } = {}) {
  const messenger = new ConsoleMessenger();
  const ledger = ledgerOn(db.prisma, opts.lease ?? LEASE, 0);
  const ledger2 = ledgerOn(other, opts.lease ?? LEASE, 0);
  let calls = 0;
  const send =
    (channel = 'C-unit') =>
    async () => {
      calls++;
      return messenger.postToChannel(channel, message([paragraph('整改提醒')]));
    };
  return { messenger, ledger, ledger2, send, calls: () => calls };
}

async function claimed(ledger: NotificationLedger, k: NotificationKey): Promise<Claim> {
  const c = await ledger.claim(k);
  if (c.status !== 'claimed') throw new Error(`expected a claim, got ${c.status}`);
  return c;
}

describe('NotificationLedger: the happy path', () => {
  it('sends once and records the message reference', async () => {
    const { ledger, send, messenger } = fixture();
    const k = key();
    const first = await ledger.deliver(k, send());
    expect(first).toEqual({ status: 'sent', messageRef: 'console:1', attempts: 1 });
    const again = await ledger.deliver(k, send());
    expect(again).toMatchObject({ status: 'already-sent', messageRef: 'console:1' });
    expect(messenger.sent).toHaveLength(1);
    expect(await row(k)).toMatchObject({ state: 'sent', attempts: 1, messageRef: 'console:1', lastError: null });
    expect((await row(k)).sentAt).toBeInstanceOf(Date);
  });

  it('keeps recipients, stages and subjects apart', async () => {
    const { ledger, send, messenger } = fixture();
    const k = key();
    await ledger.deliver(k, send());
    await ledger.deliver({ ...k, stage: 'due_today' }, send());
    await ledger.deliver({ ...k, recipient: channelRecipient('console', 'organisers') }, send());
    await ledger.deliver({ ...k, subjectId: randomUUID() }, send());
    expect(messenger.sent).toHaveLength(4);
  });
});

describe('NotificationLedger: concurrency', () => {
  it('two concurrent claimers (two clients) → one send', async () => {
    for (let i = 0; i < 15; i++) {
      const { ledger, ledger2, send, messenger } = fixture();
      const k = key();
      const results = await Promise.all([ledger.deliver(k, send()), ledger2.deliver(k, send())]);
      expect(messenger.sent).toHaveLength(1);
      expect(results.map((r) => r.status).sort()).toEqual(expect.arrayContaining(['sent']));
      expect(results.filter((r) => r.status === 'sent')).toHaveLength(1);
      for (const r of results) expect(['sent', 'busy', 'already-sent']).toContain(r.status);
    }
  });

  it('a crowd of claimers on an expired lease → exactly one takes over', async () => {
    const { ledger, send, messenger } = fixture();
    const k = key();
    await claimed(ledger, k); // then "crash" before sending
    await expireLease(k);
    const ledgers = Array.from({ length: 8 }, (_, i) => ledgerOn(i % 2 ? other : db.prisma, LEASE));
    const results = await Promise.all(ledgers.map((l) => l.deliver(k, send())));
    expect(messenger.sent).toHaveLength(1);
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(1);
  });
});

describe('NotificationLedger: failures', () => {
  it('records a permanent error and never retries it', async () => {
    const { ledger, send, messenger, calls } = fixture();
    const k = key();
    messenger.failNext('postToChannel', { code: 'channel_not_found', permanent: true });
    const r = await ledger.deliver(k, send());
    expect(r).toMatchObject({ status: 'failed', lastError: expect.stringContaining('channel_not_found') });
    expect(await row(k)).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: expect.stringContaining('channel_not_found'),
    });
    expect(await ledger.deliver(k, send())).toMatchObject({ status: 'failed' });
    await expireLease(k);
    expect(await ledger.deliver(k, send())).toMatchObject({ status: 'failed' });
    expect(calls()).toBe(1);
    expect(messenger.sent).toHaveLength(0);
  });

  it('rethrows a transient error, releases the row, and the retry sends', async () => {
    const { ledger, ledger2, send, messenger } = fixture({ lease: 60_000 });
    const k = key();
    messenger.failNext('postToChannel', { code: 'ratelimited', permanent: false, retryAfter: 3 });
    const thrown = await ledger.deliver(k, send()).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(MessengerError);
    expect((thrown as MessengerError).retryAfter).toBe(3);
    expect(await row(k)).toMatchObject({
      state: 'claimed',
      attempts: 1,
      lastError: expect.stringContaining('ratelimited'),
    });
    // released: the retry (any worker) claims at once, although the lease is a minute
    const retry = await ledger2.claim(k);
    expect(retry).toMatchObject({
      status: 'claimed',
      takenOver: true,
      attempts: 1,
      previousError: expect.stringContaining('ratelimited'),
    });
    await ledger2.release(retry as Claim);
    expect(await ledger2.deliver(k, send())).toEqual({ status: 'sent', messageRef: 'console:1', attempts: 2 });
    expect(messenger.sent).toHaveLength(1);
  });

  it('gives up on the final attempt: failed, not retried', async () => {
    const { ledger, send, messenger } = fixture();
    const k = key();
    messenger.failNext('postToChannel', { code: 'http_503', permanent: false });
    await expect(ledger.deliver(k, send(), { finalAttempt: true })).rejects.toBeInstanceOf(MessengerError);
    expect(await row(k)).toMatchObject({
      state: 'failed',
      lastError: expect.stringMatching(/^Error: gave up after 1 attempts: http_503/),
    });
    expect(await ledger.deliver(k, send())).toMatchObject({ status: 'failed' });
  });

  it('treats an ambiguous error as "outcome unknown": at most once', async () => {
    const { ledger, send, calls } = fixture();
    const k = key();
    const r = await ledger.deliver(k, async () => {
      throw new MessengerError('chat.postMessage: timed out', { code: 'timeout', permanent: false, platform: 'slack' });
    });
    expect(r).toMatchObject({ status: 'unknown-outcome' });
    expect(await row(k)).toMatchObject({
      state: 'failed',
      lastError: expect.stringMatching(new RegExp(`^${UNKNOWN_OUTCOME_PREFIX}`)),
    });
    expect(await ledger.deliver(k, send())).toMatchObject({ status: 'unknown-outcome' });
    expect(calls()).toBe(0);
    // a non-MessengerError breaks the port contract: same treatment
    expect(classifySendError(new TypeError('x'))).toBe('ambiguous');
    expect(classifySendError(new MessengerError('x', { code: 'network', permanent: false, platform: 'slack' }))).toBe(
      'transient',
    );
  });

  it('releases the claim untouched when beforeSend throws (e.g. rate limited)', async () => {
    const { ledger, send, calls } = fixture({ lease: 60_000 });
    const k = key();
    await expect(
      ledger.deliver(k, send(), {
        beforeSend: async () => {
          throw new Error('wait 20 s');
        },
      }),
    ).rejects.toThrow('wait 20 s');
    expect(await row(k)).toMatchObject({ state: 'claimed', attempts: 0, lastError: null });
    expect(calls()).toBe(0);
    expect(await ledger.deliver(k, send())).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

describe('NotificationLedger: crashes', () => {
  it('a crash between claim and send is retried once the lease expires', async () => {
    const { ledger, ledger2, send, messenger } = fixture();
    const k = key();
    await claimed(ledger, k); // the worker dies here
    expect(await ledger2.deliver(k, send())).toMatchObject({ status: 'busy' });
    await expireLease(k);
    expect(await ledger2.deliver(k, send())).toEqual({ status: 'sent', messageRef: 'console:1', attempts: 1 });
    expect(messenger.sent).toHaveLength(1);
  });

  it('a crash during the platform call is never resent (at-most-once window)', async () => {
    const { ledger, ledger2, send, calls } = fixture();
    const k = key();
    const c = await claimed(ledger, k);
    expect(await ledger.beginSend(c)).not.toBeNull(); // … and the worker dies during the HTTP call
    expect(await ledger2.deliver(k, send())).toMatchObject({ status: 'busy' });
    await expireLease(k);
    expect(await ledger2.deliver(k, send())).toMatchObject({ status: 'unknown-outcome' });
    expect(await ledger2.deliver(k, send())).toMatchObject({ status: 'unknown-outcome' });
    expect(calls()).toBe(0);
    expect(await row(k)).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: expect.stringContaining('stopped during the platform call'),
    });
  });

  it('a crash after the platform call, before markSent, is not resent either', async () => {
    const { ledger, ledger2, send, messenger } = fixture();
    const k = key();
    const c = await claimed(ledger, k);
    await ledger.beginSend(c);
    await send()(); // posted; the worker dies before recording it
    await expireLease(k);
    expect(await ledger2.deliver(k, send())).toMatchObject({ status: 'unknown-outcome' });
    expect(messenger.sent).toHaveLength(1);
  });

  it('a worker that lost its lease cannot send or overwrite the new owner', async () => {
    const { ledger, ledger2, send, messenger } = fixture();
    const k = key();
    const slow = await claimed(ledger, k);
    await expireLease(k); // e.g. a long GC pause or a long rate-limit wait
    expect(await ledger2.deliver(k, send())).toMatchObject({ status: 'sent' });
    expect(await ledger.beginSend(slow)).toBeNull();
    expect(await ledger.markFailed(slow, new Error('late'))).toBe(false);
    expect(await ledger.release(slow)).toBe(false);
    expect(messenger.sent).toHaveLength(1);
    expect(await row(k)).toMatchObject({ state: 'sent' });
  });

  it('resolveAbandoned() settles abandoned attempts in bulk', async () => {
    const ledger = ledgerOn(db.prisma, LEASE);
    const k1 = key(),
      k2 = key();
    await ledger.beginSend(await claimed(ledger, k1));
    await claimed(ledger, k2); // no attempt: stays claimable, not resolved
    await expireLease(k1);
    await expireLease(k2);
    expect(await ledger.resolveAbandoned()).toBeGreaterThanOrEqual(1);
    expect(await row(k1)).toMatchObject({ state: 'failed' });
    expect(await row(k2)).toMatchObject({ state: 'claimed' });
  });
});

describe('NotificationLedger: cancellation', () => {
  it('cancels pending stages of a subject, not sent ones, and cancelled stays cancelled', async () => {
    const { ledger, send, messenger } = fixture();
    const k = key('due_soon');
    await ledger.deliver(k, send()); // sent
    const pending = { ...k, stage: 'due_today' };
    messenger.failNext('postToChannel', { code: 'http_502', permanent: false });
    await expect(ledger.deliver(pending, send())).rejects.toBeInstanceOf(MessengerError); // waiting for a retry
    const otherKind = { ...k, kind: NOTIFICATION_KINDS.findingNotice, stage: 'notice' };
    await claimed(ledger, otherKind);

    expect(
      await ledger.cancel({ subjectType: 'finding', subjectId: k.subjectId, kind: NOTIFICATION_KINDS.reminder }),
    ).toBe(1);
    expect(await row(k)).toMatchObject({ state: 'sent' });
    expect(await row(pending)).toMatchObject({ state: 'cancelled' });
    expect(await row(otherKind)).toMatchObject({ state: 'claimed' });
    expect(await ledger.deliver(pending, send())).toEqual({ status: 'cancelled' });
    expect(messenger.sent).toHaveLength(1);

    // a caller that re-planned (e.g. the rectification was rejected) may revive it
    expect(await ledger.deliver(pending, send(), { reviveCancelled: true })).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
    expect(messenger.sent).toHaveLength(2);
  });

  it('filters by stages and recipient', async () => {
    const { ledger } = fixture();
    const k = key('overdue-1');
    await claimed(ledger, k);
    await claimed(ledger, { ...k, stage: 'overdue-2' });
    await claimed(ledger, { ...k, recipient: channelRecipient('console', 'organisers') });
    expect(await ledger.cancel({ subjectType: 'finding', subjectId: k.subjectId, stages: ['overdue-2'] })).toBe(1);
    expect(await ledger.cancel({ subjectType: 'finding', subjectId: k.subjectId, recipient: k.recipient })).toBe(1);
    expect(await ledger.cancel({ subjectType: 'finding', subjectId: k.subjectId })).toBe(1);
    expect(await ledger.cancel({ subjectType: 'finding', subjectId: k.subjectId })).toBe(0);
  });

  it('a cancellation racing an in-flight send still records the send (truth wins)', async () => {
    const { ledger, send } = fixture();
    const k = key();
    const c = await ledger.beginSend(await claimed(ledger, k));
    expect(c).not.toBeNull();
    const posted = await send()();
    expect(await ledger.cancel({ subjectType: 'finding', subjectId: k.subjectId })).toBe(1);
    expect(await ledger.markSent(c!, posted.ref)).toBe(true);
    expect(await row(k)).toMatchObject({ state: 'sent', messageRef: posted.ref });
  });

  it('a claim cancelled before beginSend sends nothing', async () => {
    const { ledger, send, calls } = fixture();
    const k = key();
    const r = await ledger.deliver(k, send(), {
      beforeSend: async () => {
        await ledger.cancel({ subjectType: 'finding', subjectId: k.subjectId });
      },
    });
    expect(r).toEqual({ status: 'not-sent', reason: 'cancelled' });
    expect(calls()).toBe(0);
  });
});

describe('NotificationLedger: status', () => {
  it('reports the row of a key', async () => {
    const { ledger, send } = fixture();
    const k = key();
    expect(await ledger.status(k)).toBeNull();
    await ledger.deliver(k, send());
    expect(await ledger.status(k)).toEqual({ state: 'sent', attempts: 1, lastError: null, messageRef: 'console:1' });
  });
});
