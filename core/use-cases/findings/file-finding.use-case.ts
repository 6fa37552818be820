import type { Actor, FileFindingCommand, FiledFinding } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import { toFindingView } from '../../finding-view.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { defaultAsOfFrom } from '../shared/as-of.ts';
import { auditedActor } from '../shared/audit.ts';
import { monthClosedError } from '../shared/closed-month.ts';
import { checkFiling } from '../shared/filing-check.ts';

/**
 * An organiser or inspector files a finding against a unit under a rulebook clause. Idempotent by
 * the command's key; refused in a closed month. Answers with how the finding counts in the ledger.
 * One round trip to the store for the write; the ledger cache takes the new row without reading it.
 */
export async function fileFinding(
  ctx: AssessmentContext,
  actor: Actor,
  raw: FileFindingCommand,
): Promise<Result<FiledFinding>> {
  if (!may(actor, 'finding.file')) return err(forbidden(actor, 'finding.file'));
  const today = ctx.today();
  const checked = checkFiling(ctx, raw, today);
  if (!checked.ok) return err(checked.error[0]!);
  const filing = checked.value;

  // One atomic step in the store (key, month, ledger version, insert, audit): see fileFinding's contract.
  const outcome = await ctx.store.fileFinding({ ...filing, filedById: actor.memberId }, auditedActor(actor));
  if (outcome.kind === 'month_closed') return err(monthClosedError(filing.date, 'date'));
  const { finding } = outcome;
  const created = outcome.kind === 'created';
  // The cache takes the new row as it is (its version is exactly this one change): no read-back.
  if (created) ctx.ledger.offer(finding);
  // Handed to the worker while the answer is worked out (publish never rejects): the filer waits
  // for the queue's round trip once, not before everything else.
  const publishing = created
    ? ctx.publish({ type: 'finding.filed', findingId: finding.id, rulebookId: ctx.rulebookId, year: ctx.year })
    : Promise.resolve(false);
  await ctx.ledger.refresh(); // brings the cache up to this filing
  // How it counts: only its clause's findings decide that (repeat chains, supersession), so only
  // they are explained, not the unit's whole year.
  const result = ctx.ledger.resultOf(finding, defaultAsOfFrom(ctx, finding.date));
  if (!result) throw new Error(`filed finding ${finding.id} is missing from the standings`);
  // the findings it repeats are in the same cache: named without a read
  const earlier = ctx.ledger.rowsOf(result.repeatOf.slice(0, 10)).map((r) => ({
    id: r.id,
    seq: r.seq,
    date: r.date,
    deadline: r.deadline,
  }));
  return ok({
    finding: toFindingView(ctx.rulebook, finding, today),
    created,
    result,
    earlier,
    published: await publishing,
  });
}
