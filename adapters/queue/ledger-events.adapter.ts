import type { LedgerEvent } from '../../core/assessment-api.ts';
import type { LedgerEventsPort } from '../../core/ports/ledger-events.port.ts';
import { enqueue, jobsForLedgerEvent, type Queues } from './queues.ts';

export interface BullLedgerEventsOptions {
  /** Give up on an enqueue after this long (default 2 s): publish() then rejects. */
  timeoutMs?: number;
}

const DOWN_STATES = new Set(['reconnecting', 'close', 'end']);

/**
 * LedgerEventsPort over BullMQ: each committed change becomes recompute / reminder / month jobs
 * (see jobsForLedgerEvent). Give it queues on a 'producer' connection so that a Redis outage makes
 * publish() fail fast; core reports the failure and the reconcile schedule repairs it.
 *
 * Fail fast, really: BullMQ waits for its connection to become ready before it sends a command, so
 * a Queue.add() while Redis is down hangs instead of failing (even with enableOfflineQueue off).
 * publish() therefore rejects at once when the connection is known to be down, and after
 * `timeoutMs` otherwise — a chat reply never waits on Redis. An add left pending completes (or
 * not) when Redis is back; every job is idempotent, so that is harmless either way.
 */
export class BullLedgerEvents implements LedgerEventsPort {
  private readonly timeoutMs: number;

  constructor(
    private readonly queues: Queues,
    opts: BullLedgerEventsOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 2_000;
  }

  async publish(event: LedgerEvent): Promise<void> {
    const status = (this.queues.ledger.opts.connection as { status?: unknown } | undefined)?.status;
    if (typeof status === 'string' && DOWN_STATES.has(status))
      throw new Error(`Redis is unavailable (${status}): ${event.type} not enqueued`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`enqueueing ${event.type} took longer than ${this.timeoutMs} ms (Redis unavailable?)`)),
        this.timeoutMs,
      );
      timer.unref?.();
    });
    const added = enqueue(this.queues, jobsForLedgerEvent(event));
    added.catch(() => {}); // a late failure after the timeout has nobody to tell
    try {
      await Promise.race([added, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
