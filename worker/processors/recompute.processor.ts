// ledger/recompute: recompute a rulebook year's standings with the core engine (through
// core's standingsAsOf use case — no scoring here) and store them as the 'live' snapshot, so
// /myscore and reports read them instead of recomputing. Enqueued, debounced and deduplicated, by
// every committed change (queues.ts recomputeJob) and by the reconcile pass.

import type { Job } from 'bullmq';
import { z } from 'zod';
import {
  asOfToday,
  assessmentFor,
  parseJobData,
  rulebookIdSchema,
  standingsAsOf,
  yearSchema,
  type WorkerDeps,
} from '../context.ts';
import { LIVE_LABEL } from '../../core/ports/standing-snapshots.port.ts';

export const recomputeDataSchema = z.object({
  rulebookId: rulebookIdSchema,
  year: yearSchema,
  cause: z.string().max(200),
});

export interface RecomputeResult {
  rulebookId: string;
  year: number;
  /** The ledger version the snapshot reflects (as a string: job results are JSON). */
  version: string;
  asOf: string;
  /** Unit rows written (0 when a newer snapshot was already there). */
  written: number;
  ms: number;
}

export async function recomputeLedger(
  deps: Pick<WorkerDeps, 'assessments' | 'store' | 'snapshots'>,
  rulebookId: string,
  year: number,
): Promise<RecomputeResult> {
  const t0 = Date.now();
  const a = assessmentFor(deps, rulebookId, year);
  // Read the version BEFORE computing: a change committed meanwhile makes this snapshot look older
  // than it is (and recomputed again), never newer.
  const version = await deps.store.ledgerVersion(rulebookId, year);
  const asOf = asOfToday(a);
  const standings = await standingsAsOf(a, asOf);
  const written = await deps.snapshots.write({ rulebookId, year, label: LIVE_LABEL, asOf, version, standings });
  await deps.snapshots.markComputed(rulebookId, year, version);
  return { rulebookId, year, version: String(version), asOf, written, ms: Date.now() - t0 };
}

export function createRecomputeProcessor(deps: Pick<WorkerDeps, 'assessments' | 'store' | 'snapshots' | 'logger'>) {
  return async function processRecompute(job: Pick<Job, 'name' | 'id' | 'data'>): Promise<RecomputeResult> {
    const data = parseJobData(recomputeDataSchema, job);
    const r = await recomputeLedger(deps, data.rulebookId, data.year);
    deps.logger.info({ job: job.id, cause: data.cause, ...r }, 'standings recomputed');
    return r;
  };
}
