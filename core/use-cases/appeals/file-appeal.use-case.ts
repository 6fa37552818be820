import type { Actor, AppealView } from '../../assessment-api.ts';
import { forbidden, may, otherUnit } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { appealSchema, issuesToError } from '../../inputs.schema.ts';
import type { AppealRecord } from '../../ports/assessment-store.port.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { addWorkingDays } from '../shared/working-days.ts';
import { changeFinding, wrongState } from '../shared/change-finding.ts';
import { appealView } from './appeal-view.ts';
import { civilDate } from '../../../rules/dates.ts';

/**
 * A unit contact appeals (申诉) a finding of their own unit, with reasons and optional evidence
 * links, within the rulebook's window of working days after the day it was filed. One appeal per
 * finding. While it is pending the finding still counts; views mark its points provisional.
 */
export async function fileAppeal(
  ctx: AssessmentContext,
  actor: Actor,
  raw: { findingId: string; reasons: string; evidenceLinks?: string[] },
): Promise<Result<AppealView>> {
  if (!may(actor, 'appeal.file')) return err(forbidden(actor, 'appeal.file'));
  const parsed = appealSchema.safeParse(raw);
  if (!parsed.success) return err(issuesToError(parsed.error.issues));
  const cmd = parsed.data;
  let appeal: AppealRecord | null = null;
  const r = await changeFinding(ctx, actor, cmd.findingId, {
    event: 'appeal.filed',
    reason: cmd.reasons,
    auditExtra: { appeal: { reasons: cmd.reasons, evidenceLinks: cmd.evidenceLinks } },
    apply: async (tx, f, update) => {
      if (f.unit !== actor.unit) return err(otherUnit(actor, f.unit));
      if (f.status === 'withdrawn') return err(wrongState(f));
      if (await tx.lockAppeal(f.id))
        return err(
          new AppError('APPEAL.ALREADY_APPEALED', `finding ${f.id} has an appeal`, { params: { value: f.seq } }),
        );
      // The day it was filed; a filing time after the injected clock's now (a clock set in the past,
      // as in tests and replays) falls back to the finding's date, as the reminder planner does.
      const filedOn =
        f.filedAt.getTime() <= ctx.clock.now().getTime() ? civilDate(f.filedAt, ctx.rulebook.data.timeZone) : f.date;
      const last = addWorkingDays(ctx.rulebook, filedOn, ctx.rulebook.data.settings.appeals.windowWorkingDays);
      if (ctx.today() > last)
        return err(
          new AppError('APPEAL.WINDOW_CLOSED', `appeal window of ${f.id} closed on ${last}`, {
            params: { value: f.seq, date: last },
          }),
        );
      appeal = await tx.insertAppeal({
        findingId: f.id,
        filedById: actor.memberId,
        reasons: cmd.reasons,
        evidenceLinks: cmd.evidenceLinks,
      });
      // Nothing of the finding changes but its ledger version, so caches re-read it as under appeal.
      return ok(await update({}));
    },
  });
  if (!r.ok) return r;
  return ok(appealView(appeal!, r.value));
}
