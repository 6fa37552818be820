import type { Actor, ExtensionView } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { extensionDecisionSchema, issuesToError } from '../../inputs.schema.ts';
import type { ExtensionRecord } from '../../ports/assessment-store.port.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { addWorkingDays } from '../shared/working-days.ts';
import { changeFinding, wrongState } from '../shared/change-finding.ts';
import { extensionView } from './extension-view.ts';
import { extensionDateError } from './request-extension.use-case.ts';

/**
 * An organiser (or the filing inspector, when the rulebook's extensions.filerMayDecide allows it)
 * approves a pending extension request with a date, or refuses it with a reason. Approval is a
 * deadline change, published as one: reminders, overdue alerts and repeat escalation follow it.
 */
export async function decideExtension(
  ctx: AssessmentContext,
  actor: Actor,
  raw:
    | { findingId: string; decision: 'approve'; deadline: string; reason?: string }
    | { findingId: string; decision: 'refuse'; reason: string },
): Promise<Result<ExtensionView>> {
  if (!may(actor, 'extension.decide')) return err(forbidden(actor, 'extension.decide'));
  const settings = ctx.rulebook.data.settings.extensions;
  if (actor.role === 'inspector' && !settings.filerMayDecide) return err(forbidden(actor, 'extension.decide'));
  const parsed = extensionDecisionSchema.safeParse(raw);
  if (!parsed.success) return err(issuesToError(parsed.error.issues));
  const cmd = parsed.data;
  let request: ExtensionRecord | null = null;
  const approve = cmd.decision === 'approve';
  const r = await changeFinding(ctx, actor, cmd.findingId, {
    event: approve ? 'finding.deadline_changed' : 'extension.refused',
    reason: cmd.reason ?? null,
    auditExtra: { extension: { decision: cmd.decision, ...(approve ? { deadline: cmd.deadline } : {}) } },
    apply: async (tx, f, update) => {
      if (actor.role === 'inspector' && f.filedBy.memberId !== actor.memberId)
        return err(forbidden(actor, 'extension.decide'));
      const pending = (await tx.extensionRequests(f.id)).find((e) => e.state === 'pending');
      if (!pending)
        return err(
          new AppError('EXTENSION.NONE_PENDING', `no pending request on ${f.id}`, { params: { value: f.seq } }),
        );
      const decided = { decidedById: actor.memberId, decidedAt: ctx.clock.now(), decisionReason: cmd.reason ?? null };
      if (!approve) {
        request = await tx.updateExtensionRequest(pending.id, { ...decided, state: 'refused', approvedDeadline: null });
        return ok(await update({}));
      }
      if (f.status === 'withdrawn' || f.status === 'verified' || f.deadline === null) return err(wrongState(f));
      const longest = addWorkingDays(ctx.rulebook, f.deadline, settings.maxWorkingDays);
      const bad = extensionDateError(f.seq, f.deadline, cmd.deadline, longest, settings.maxWorkingDays);
      if (bad) return err(bad);
      request = await tx.updateExtensionRequest(pending.id, {
        ...decided,
        state: 'approved',
        approvedDeadline: cmd.deadline,
      });
      return ok(await update({ deadline: cmd.deadline, deadlineIsDefault: false }));
    },
  });
  if (!r.ok) return r;
  return ok(extensionView(request!, r.value));
}
