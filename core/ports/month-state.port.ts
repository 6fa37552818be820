// A month's state as the worker reads it outside any transaction: whether it is closed (the
// due check, month close, the month-end reminder) and how many times it was closed (each close
// after a reopening publishes a new round). Core changes the state in a transaction
// (StoreTx.setMonthState) and records each change in the audit log; the PostgreSQL
// implementation is prisma/repositories/month-state.repository.ts.

export type MonthState = 'open' | 'closed';

/** What core's setMonthState writes to the audit log when a month closes. */
export const MONTH_CLOSED_AUDIT = { action: 'month.closed', entity: 'month' } as const;
/** The audit log's entity id of a month. */
export const monthEntityId = (rulebookId: string, month: string): string => `${rulebookId}/${month}`;

export interface MonthStatePort {
  /** The month's state; null when nobody has opened or closed it yet (it counts as open). */
  monthState(rulebookId: string, month: string): Promise<MonthState | null>;
  /** How many times the month was closed (its 'month.closed' audit entries); 0 when never. */
  timesClosed(rulebookId: string, month: string): Promise<number>;
}
