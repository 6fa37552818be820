import type { Actor, FileFindingCommand, FiledFinding } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import { toFindingView } from '../../finding-view.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { defaultAsOfFrom } from '../shared/as-of.ts';
import { auditedActor } from '../shared/audit.ts';
import { closedMonthError } from '../shared/closed-month.ts';
import { checkFiling } from '../shared/filing-check.ts';

/**
 * An organiser or inspector files a finding against a unit under a rulebook clause. Idempotent by
 * the command's key; refused in a closed month. Answers with how the finding counts in the ledger.
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
  const date = filing.date;

  const outcome = await ctx.store.transaction(async (tx) => {
    const existing = await tx.findingByKey(filing.idempotencyKey);
    if (existing) return ok({ finding: existing, created: false });
    const closed = await closedMonthError(ctx, tx, date, 'date');
    if (closed) return err(closed);
    const changeSeq = await tx.bumpLedger(ctx.rulebookId, ctx.year);
    const { finding, created } = await tx.insertFinding({ ...filing, changeSeq, filedById: actor.memberId });
    if (created)
      await tx.appendAudit({
        ...auditedActor(actor),
        action: 'finding.filed',
        entity: 'finding',
        entityId: finding.id,
        after: finding,
      });
    return ok({ finding, created });
  });
  if (!outcome.ok) return outcome;
  const { finding, created } = outcome.value;
  if (created)
    await ctx.publish({ type: 'finding.filed', findingId: finding.id, rulebookId: ctx.rulebookId, year: ctx.year });
  const standings = await ctx.standings(defaultAsOfFrom(ctx, finding.date));
  const result = standings.units.find((u) => u.unit === finding.unit)?.findings.find((f) => f.id === finding.id);
  if (!result) throw new Error(`filed finding ${finding.id} is missing from the standings`);
  return ok({ finding: toFindingView(ctx.rulebook, finding, today), created, result });
}
