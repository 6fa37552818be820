// ledger/reconcile-stale-ledgers (scheduled, and once at start): repair whatever the events
// missed. Findings are in PostgreSQL whether or not their event reached Redis, so every ledger
// whose version is ahead of its computed version — or whose live snapshot is of an earlier day —
// is recomputed here. Also settles notification attempts abandoned by a vanished worker
// ("outcome unknown", never resent: see core/ports/notification-ledger.port.ts).

import type { Job } from 'bullmq';
import { z } from 'zod';
import { asOfToday, assessmentFor, parseJobData, rulebookIdSchema, type WorkerDeps } from '../context.ts';
import { recomputeLedger, type RecomputeResult } from './recompute.processor.ts';

export const reconcileDataSchema = z.object({ rulebookId: rulebookIdSchema });

export interface ReconcileResult {
  recomputed: RecomputeResult[];
  /** Years with a ledger this worker does not serve (another rulebook year). */
  skippedYears: number[];
  abandonedResolved: number;
}

export function createReconcileProcessor(
  deps: Pick<WorkerDeps, 'assessments' | 'store' | 'snapshots' | 'ledger' | 'logger'>,
) {
  return async function processReconcile(job: Pick<Job, 'name' | 'id' | 'data'>): Promise<ReconcileResult> {
    const { rulebookId } = parseJobData(reconcileDataSchema, job);
    const a = assessmentFor(deps, rulebookId);
    const result: ReconcileResult = { recomputed: [], skippedYears: [], abandonedResolved: 0 };
    for (const s of await deps.snapshots.ledgerStates(rulebookId)) {
      const year = a.forYear(s.year);
      if (!year) {
        result.skippedYears.push(s.year);
        continue;
      }
      const stale = s.version > s.computedVersion || s.liveAsOf === null || s.liveAsOf < asOfToday(year);
      if (!stale) continue;
      const r = await recomputeLedger(deps, rulebookId, s.year);
      deps.logger.info(
        { job: job.id, computedVersion: String(s.computedVersion), liveAsOf: s.liveAsOf, ...r },
        'stale ledger recomputed',
      );
      result.recomputed.push(r);
    }
    result.abandonedResolved = await deps.ledger.resolveAbandoned();
    if (result.abandonedResolved > 0)
      deps.logger.warn(
        { job: job.id, n: result.abandonedResolved },
        'abandoned notification attempts settled as outcome unknown (not resent)',
      );
    return result;
  };
}
