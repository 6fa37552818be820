import type { Actor, FindingView } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { issuesToError, rectificationSchema } from '../../inputs.schema.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { changeFinding, wrongState } from '../shared/change-finding.ts';

export interface SubmitRectificationCommand {
  findingId: string;
  evidenceText: string;
  evidenceLinks?: string[];
  idempotencyKey: string;
}

/**
 * A unit contact submits their own unit's rectification with evidence; the finding awaits
 * verification. The submission day is what later counts as the rectification date.
 */
export async function submitRectification(
  ctx: AssessmentContext,
  actor: Actor,
  raw: SubmitRectificationCommand,
): Promise<Result<FindingView>> {
  if (!may(actor, 'rectification.submit')) return err(forbidden(actor, 'rectification.submit'));
  const parsed = rectificationSchema.safeParse(raw);
  if (!parsed.success) return err(issuesToError(parsed.error.issues));
  const cmd = parsed.data;
  if (!cmd.evidenceText && cmd.evidenceLinks.length === 0)
    return err(new AppError('RECTIFICATION.EVIDENCE_REQUIRED', 'no evidence', { field: 'evidenceText' }));
  const today = ctx.today();
  const submission = {
    kind: 'submitted' as const,
    actorId: actor.memberId,
    submittedOn: today,
    evidenceText: cmd.evidenceText,
    evidenceLinks: cmd.evidenceLinks,
    idempotencyKey: cmd.idempotencyKey,
  };
  return changeFinding(ctx, actor, cmd.findingId, {
    event: 'rectification.submitted',
    reason: null,
    auditExtra: { evidenceText: cmd.evidenceText, evidenceLinks: cmd.evidenceLinks },
    apply: async (tx, f, update) => {
      if (f.unit !== actor.unit)
        return err(new AppError('RECTIFICATION.NOT_OWN_UNIT', `${actor.unit} may not rectify a finding of ${f.unit}`));
      if (f.deadline === null)
        return err(
          new AppError('FINDING.NOT_RECTIFIABLE', `finding ${f.id} needs no rectification`, {
            params: { value: `#${f.seq}` },
          }),
        );
      if (f.status === 'submitted') {
        // a double click or a retry of the same submission is not an error
        const fresh = await tx.insertRectificationEvent({ findingId: f.id, ...submission });
        return fresh ? err(wrongState(f)) : ok(null);
      }
      if (f.status !== 'filed') return err(wrongState(f));
      const fresh = await tx.insertRectificationEvent({ findingId: f.id, ...submission });
      if (!fresh) return ok(null);
      return ok(await update({ status: 'submitted' }));
    },
  });
}
