import type { Actor, AppealRuling, AppealView } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { appealRulingSchema, issuesToError } from '../../inputs.schema.ts';
import type { AppealRecord } from '../../ports/assessment-store.port.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { changeFinding, type FindingChange } from '../shared/change-finding.ts';
import { closedMonthError } from '../shared/closed-month.ts';
import { appealView } from './appeal-view.ts';
import { checkFinding } from '../../../rules/finding-check.ts';

/**
 * An organiser rules (复核) on a pending appeal with a written ruling: upheld (nothing changes),
 * reduced (count, value or level changed and re-checked against the clause; the engine re-scores
 * it, keeping the source's inspection multiplier and any repeat escalation), or withdrawn (the
 * finding stops counting). The finding's facts before the ruling are kept for a reopen.
 */
export async function ruleAppeal(
  ctx: AssessmentContext,
  actor: Actor,
  raw: { findingId: string } & AppealRuling,
): Promise<Result<AppealView>> {
  if (!may(actor, 'appeal.rule')) return err(forbidden(actor, 'appeal.rule'));
  const parsed = appealRulingSchema.safeParse(raw);
  if (!parsed.success) return err(issuesToError(parsed.error.issues));
  const cmd = parsed.data;
  let appeal: AppealRecord | null = null;
  const change: FindingChange = {
    event: 'appeal.ruled',
    reason: cmd.ruling,
    auditExtra: { ruling: cmd },
    apply: async (tx, f, update) => {
      const a = await tx.lockAppeal(f.id);
      if (a?.state !== 'pending')
        return err(
          new AppError('APPEAL.NOT_PENDING', `finding ${f.id} has no pending appeal`, { params: { value: f.seq } }),
        );
      const ruledFrom = { count: f.count, value: f.value, level: f.level, status: f.status };
      const ruled = {
        state: cmd.outcome,
        ruling: cmd.ruling,
        ruledById: actor.memberId,
        ruledAt: ctx.clock.now(),
        ruledFrom,
      };
      if (cmd.outcome === 'upheld') {
        appeal = await tx.updateAppeal(a.id, ruled);
        return ok(await update({}));
      }
      const closed = await closedMonthError(ctx, tx, f.date);
      if (closed) return err(closed);
      if (cmd.outcome === 'withdrawn') {
        appeal = await tx.updateAppeal(a.id, ruled);
        change.alsoPublish = ['finding.withdrawn'];
        return ok(
          await update({
            status: 'withdrawn',
            withdrawnAt: ctx.clock.now(),
            withdrawnById: actor.memberId,
            withdrawReason: cmd.ruling,
          }),
        );
      }
      const next = {
        count: cmd.count ?? f.count,
        value: cmd.value ?? f.value,
        level: cmd.level ?? f.level,
      };
      if (next.count === f.count && next.value === f.value && next.level === f.level)
        return err(
          new AppError('APPEAL.NOTHING_REDUCED', `ruling on ${f.id} changes nothing`, { params: { value: f.seq } }),
        );
      const checked = checkFinding(
        ctx.rulebook,
        { unit: f.unit, clause: f.clauseId, date: f.date, source: f.source, deadline: f.deadline, ...next },
        { year: ctx.year },
      );
      if (!checked.ok) {
        const first = checked.issues[0]!;
        return err(new AppError(`FINDING.${first.code}`, first.message, { field: first.field, params: first.params }));
      }
      appeal = await tx.updateAppeal(a.id, ruled);
      return ok(
        await update({ count: checked.finding.count, value: checked.finding.value, level: checked.finding.level }),
      );
    },
  };
  const r = await changeFinding(ctx, actor, cmd.findingId, change);
  if (!r.ok) return r;
  return ok(appealView(appeal!, r.value));
}
