import type { Actor, FileFindingCommand, FiledFinding } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { localizeIssueParams } from '../../issue-params.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { toFindingView } from '../../finding-view.ts';
import { fileFindingSchema, issuesToError } from '../../inputs.schema.ts';
import { checkFinding } from '../../../rules/finding-check.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { defaultAsOfFrom } from '../shared/as-of.ts';
import { auditedActor } from '../shared/audit.ts';
import { closedMonthError } from '../shared/closed-month.ts';

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
  const parsed = fileFindingSchema.safeParse(raw);
  if (!parsed.success) return err(issuesToError(parsed.error.issues));
  const cmd = parsed.data;
  const today = ctx.today();
  const date = cmd.date ?? today;
  const checked = checkFinding(ctx.rulebook, { ...cmd, date }, { year: ctx.year });
  if (!checked.ok) {
    const first = checked.issues[0]!;
    return err(
      new AppError(`FINDING.${first.code}`, checked.issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
        field: first.field,
        params: localizeIssueParams(ctx.rulebook, first),
      }),
    );
  }
  const c = checked.finding;
  if (date > today)
    return err(
      new AppError('FINDING.DATE_IN_FUTURE', `date ${date} is after today ${today}`, {
        field: 'date',
        params: { value: date },
      }),
    );

  const outcome = await ctx.store.transaction(async (tx) => {
    const existing = await tx.findingByKey(cmd.idempotencyKey);
    if (existing) return ok({ finding: existing, created: false });
    const closed = await closedMonthError(ctx, tx, date, 'date');
    if (closed) return err(closed);
    const changeSeq = await tx.bumpLedger(ctx.rulebookId, ctx.year);
    const { finding, created } = await tx.insertFinding({
      changeSeq,
      rulebookId: ctx.rulebookId,
      year: ctx.year,
      unit: c.unit,
      clauseId: c.clause.id,
      date,
      count: c.count,
      value: c.value,
      level: c.level,
      source: c.source,
      deadline: c.deadline,
      deadlineIsDefault: c.deadlineIsDefault,
      evidenceText: cmd.evidenceText ?? '',
      evidenceLinks: cmd.evidenceLinks ?? [],
      filedById: actor.memberId,
      channel: cmd.channel,
      idempotencyKey: cmd.idempotencyKey,
    });
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
