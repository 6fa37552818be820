// The notify queue's processor: one job = one message to one recipient, sent at most once
// through the notification ledger, paced by the shared per-channel rate limiter.
//
//   rate-limited  → waits in-process up to maxInProcessWaitMs, else re-delays the job (no claim
//                   is held while waiting longer)
//   transient     → the ledger releases the row, the error is rethrown, BullMQ retries with
//                   messengerBackoff (the platform's retryAfter when it gave one)
//   permanent     → recorded as failed, the job completes; onUndelivered may alert someone
//   ambiguous / crash mid-call → "outcome unknown", never resent (see core/ports/notification-ledger.port.ts)
//   busy          → another worker holds the row: come back when its lease ends
//   not due       → (stillDue, after the claim) the finding or month changed since the message was
//                   planned: the claim is released untouched, nothing is sent, the job completes

import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import { MessengerError, type MessengerPort } from '../../core/ports/messenger.port.ts';
import type { DeliveryOutcome, NotificationLedger } from '../notification-ledger.ts';
import type { SendJobData } from '../../adapters/queue/queues.ts';
import type { RateLimiter } from '../rate-limiter.ts';

/** The send job's data: key and target checked field by field, the message by its shape. */
export const sendJobDataSchema = z.object({
  key: z.object({
    subjectType: z.enum(['finding', 'month', 'year']),
    subjectId: z.string().min(1),
    kind: z.string().min(1),
    stage: z.string().min(1),
    recipient: z.string().min(1),
  }),
  target: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('channel'),
      platform: z.string().min(1),
      scope: z.string().min(1),
      channelId: z.string().min(1),
    }),
    z.object({
      kind: z.literal('private'),
      platform: z.string().min(1),
      userId: z.string().min(1),
      channelId: z.string().min(1).optional(),
    }),
  ]),
  message: z
    .object({
      text: z.string(),
      blocks: z.array(z.object({ type: z.string() }).loose()),
      mentions: z.array(z.string()),
    })
    .loose(),
  reviveCancelled: z.boolean().optional(),
});

export interface SendProcessorDeps {
  ledger: NotificationLedger;
  limiter: RateLimiter;
  /** Messenger per platform ('slack', 'dingtalk', 'console'). */
  messengers: Readonly<Record<string, MessengerPort>>;
  /** Longest in-process wait for the rate limiter before re-delaying the job. Default 3 s. */
  maxInProcessWaitMs?: number;
  /** How soon a job that found the row claimed by another worker looks again. Default 5 s. */
  busyRecheckMs?: number;
  /** Aborted at shutdown (worker/shutdown.ts `shutdown.signal`): stop waiting. */
  signal?: AbortSignal;
  /** Called once when a message is settled as not delivered and will not be retried (failed /
   * outcome unknown) — e.g. to alert the organisers with the worker.delivery.* texts. */
  onUndelivered?: (
    data: SendJobData,
    outcome: Extract<DeliveryOutcome, { status: 'failed' | 'unknown-outcome' }>,
  ) => Promise<void>;
  /** Asked after the claim, before the platform call: null when the message is still wanted, else
   * why not (worker/due-check.ts). Omitted: always wanted. */
  stillDue?: (data: SendJobData) => Promise<string | null>;
  /** Called after a message was sent (e.g. store the notice's ref on the finding). Errors are logged
   * by the caller's hook itself; a throw here fails the job but never resends (the row is 'sent'). */
  onSent?: (data: SendJobData, messageRef: string | null) => Promise<void>;
}

class NotDue extends Error {
  constructor(readonly reason: string) {
    super(`not due any more: ${reason}`);
    this.name = 'NotDue';
  }
}

export type SendResult = DeliveryOutcome | { status: 'not-sent'; reason: 'not-due'; detail: string };

class RateLimited extends Error {
  constructor(readonly waitMs: number) {
    super(`rate limited for ${waitMs} ms`);
    this.name = 'RateLimited';
  }
}

export function createSendProcessor(deps: SendProcessorDeps) {
  const maxWait = deps.maxInProcessWaitMs ?? 3_000;
  const busyRecheck = deps.busyRecheckMs ?? 5_000;

  return async function processSend(job: Job<SendJobData>, token?: string): Promise<SendResult> {
    const parsed = sendJobDataSchema.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(
        `send ${job.id ?? ''}: bad job data: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const data = job.data;
    const { key, target, message } = data;
    const messenger = deps.messengers[target.platform];
    if (!messenger) throw new UnrecoverableError(`no messenger for platform ${target.platform}`);

    const limitedOn = target.kind === 'channel' ? target.channelId : (target.channelId ?? `user-${target.userId}`);
    const attempts = job.opts.attempts ?? 1;
    let outcome: DeliveryOutcome;
    try {
      outcome = await deps.ledger.deliver(
        key,
        async () => {
          if (target.kind === 'channel') return messenger.postToChannel(target.channelId, message);
          const to =
            target.channelId === undefined ? target.userId : { userId: target.userId, channelId: target.channelId };
          return messenger.postPrivate(to, message);
        },
        {
          reviveCancelled: data.reviveCancelled === true,
          beforeSend: async () => {
            if (deps.stillDue) {
              const why = await deps.stillDue(data);
              if (why !== null) throw new NotDue(why);
            }
            const r = await deps.limiter.waitFor(deps.limiter.rulesForChannel(target.platform, limitedOn), {
              maxWaitMs: maxWait,
              ...(deps.signal ? { signal: deps.signal } : {}),
            });
            if (!r.acquired) throw new RateLimited(r.waitMs);
          },
          finalAttempt: job.attemptsMade + 1 >= attempts,
        },
      );
    } catch (e) {
      if (e instanceof NotDue) return { status: 'not-sent', reason: 'not-due', detail: e.reason };
      if (e instanceof RateLimited) return delay(job, token, e.waitMs);
      // A transient platform error on the last attempt: the ledger marked the row failed ("gave up").
      if (e instanceof MessengerError && job.attemptsMade + 1 >= attempts && deps.onUndelivered) {
        await deps.onUndelivered(job.data, {
          status: 'failed',
          lastError: `gave up after ${attempts} attempts: ${e.code}: ${e.message}`,
          settledNow: true,
        });
      }
      throw e;
    }

    // Usually a duplicate job while the owner is sending: look again soon (it will be 'already-sent');
    // if the owner died, its lease runs out and the row is taken over or settled.
    if (outcome.status === 'busy')
      return delay(job, token, Math.max(50, Math.min(busyRecheck, outcome.leaseUntil.getTime() - Date.now() + 250)));
    if (
      (outcome.status === 'failed' || outcome.status === 'unknown-outcome') &&
      outcome.settledNow &&
      deps.onUndelivered
    ) {
      await deps.onUndelivered(job.data, outcome);
    }
    if (outcome.status === 'sent' && deps.onSent) await deps.onSent(data, outcome.messageRef);
    return outcome;
  };
}

/** Put the job back as delayed without counting an attempt. */
async function delay(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}
