import type { Actor, FindingView, LedgerEvent } from '../../assessment-api.ts';
import { localized } from '../../i18n/t.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { toFindingView } from '../../finding-view.ts';
import type { FindingPatch, StoredFinding, StoreTx } from '../../ports/assessment-store.port.ts';
import type { AssessmentContext } from './assessment-context.ts';
import { auditedActor } from './audit.ts';
import { findingIdOf, findingNotFound } from './finding-reference.ts';

/** Writes the finding's new state; takes the ledger version only when something is written. */
export type UpdateFinding = (patch: Omit<FindingPatch, 'changeSeq'>) => Promise<StoredFinding>;

export interface FindingChange {
  /** The audit log's action and the event published after commit, e.g. 'finding.withdrawn'. */
  event: Extract<LedgerEvent, { findingId: string }>['type'];
  reason: string | null;
  /**
   * Further events to publish after commit when the change also is one of these, decided by apply
   * (e.g. a ruling that withdraws the finding also publishes 'finding.withdrawn' for the reminders).
   */
  alsoPublish?: Array<Extract<LedgerEvent, { findingId: string }>['type']>;
  /** Shown in the audit entry's `after` beside the finding (e.g. the evidence submitted). */
  auditExtra?: Record<string, unknown>;
  /**
   * The use case's own check and write on the locked row: the changed finding, null when nothing
   * changes (a repeat that is not an error), or a refusal (then nothing is written).
   */
  apply(tx: StoreTx, f: StoredFinding, update: UpdateFinding): Promise<Result<StoredFinding | null>>;
}

/** Lock, check, change, audit and bump the ledger in one transaction; publish after commit. */
export async function changeFinding(
  ctx: AssessmentContext,
  actor: Actor,
  findingId: string,
  change: FindingChange,
): Promise<Result<FindingView>> {
  const ref = await findingIdOf(ctx, findingId);
  if (!ref.ok) return ref;
  const { id, label } = ref.value;
  const outcome = await ctx.store.transaction(
    async (tx): Promise<Result<{ after: StoredFinding; changed: boolean }>> => {
      const before = await tx.lockFinding(id);
      if (!before || before.rulebookId !== ctx.rulebookId) return err(findingNotFound(label));
      // The ledger version is taken only when something is written, so refusals change nothing.
      const update: UpdateFinding = async (patch) =>
        tx.updateFinding(before.id, { ...patch, changeSeq: await tx.bumpLedger(ctx.rulebookId, before.year) });
      const r = await change.apply(tx, before, update);
      if (!r.ok) return r;
      if (r.value === null) return ok({ after: before, changed: false });
      await tx.appendAudit({
        ...auditedActor(actor),
        action: change.event,
        entity: 'finding',
        entityId: before.id,
        before,
        after: { ...r.value, ...change.auditExtra },
        reason: change.reason,
      });
      return ok({ after: r.value, changed: true });
    },
  );
  if (!outcome.ok) return outcome;
  const { after, changed } = outcome.value;
  if (changed)
    for (const type of [change.event, ...(change.alsoPublish ?? [])])
      await ctx.publish({ type, findingId: after.id, rulebookId: ctx.rulebookId, year: after.year });
  return ok(toFindingView(ctx.rulebook, after, ctx.today()));
}

/** RECTIFICATION.WRONG_STATE: the finding's state does not allow this step. */
export function wrongState(f: StoredFinding): AppError {
  return new AppError('RECTIFICATION.WRONG_STATE', `finding ${f.id} is ${f.status}`, {
    params: {
      value: `#${f.seq}`,
      // the state in words, and for a bonus or measured finding "recorded", not "awaiting rectification"
      state: localized(
        f.deadline === null && f.status === 'filed' ? 'domain.status.recorded' : `domain.status.${f.status}`,
      ),
    },
  });
}
