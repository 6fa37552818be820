import type { LedgerEvent } from '../core/assessment-api.ts';
import type { LedgerEventsPort } from '../core/ports/ledger-events.port.ts';
import { enqueue, jobsForLedgerEvent, type Queues } from './queues.ts';

/**
 * LedgerEventsPort over BullMQ: each committed change becomes recompute / reminder / month jobs
 * (see jobsForLedgerEvent). Give it queues on a 'producer' connection so that a Redis outage makes
 * publish() fail fast; core reports the failure and the reconcile schedule repairs it.
 */
export class BullLedgerEvents implements LedgerEventsPort {
  constructor(private readonly queues: Queues) {}

  async publish(event: LedgerEvent): Promise<void> {
    await enqueue(this.queues, jobsForLedgerEvent(event));
  }
}
