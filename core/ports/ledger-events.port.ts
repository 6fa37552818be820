import type { LedgerEvent } from '../assessment-api.ts';

/** Where core announces committed changes. The worker adapter enqueues BullMQ jobs; losing one is
 * harmless because the worker reconciles stale ledgers from PostgreSQL on start and on schedule. */
export interface LedgerEventsPort {
  publish(event: LedgerEvent): Promise<void>;
}
