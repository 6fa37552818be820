import type { Actor, ExtensionView } from '../../assessment-api.ts';
import { forbidden, may, otherUnit } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { extensionRequestSchema, issuesToError } from '../../inputs.schema.ts';
import type { ExtensionRecord } from '../../ports/assessment-store.port.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { addWorkingDays } from '../shared/working-days.ts';
import { changeFinding, wrongState } from '../shared/change-finding.ts';
import { extensionView } from './extension-view.ts';

/**
 * A unit contact asks (延期) for a later rectification deadline for their own unit's finding, with
 * a reason, strictly before the current deadline (lifecycle.md). The new date is at most the
 * rulebook's longest extension after the current deadline; at most `perFinding` requests may be
 * pending or approved (a refused request does not use up the allowance). Nothing moves until an
 * organiser approves.
 */
export async function requestExtension(
  ctx: AssessmentContext,
  actor: Actor,
  raw: { findingId: string; deadline: string; reason: string },
): Promise<Result<ExtensionView>> {
  if (!may(actor, 'extension.request')) return err(forbidden(actor, 'extension.request'));
  const parsed = extensionRequestSchema.safeParse(raw);
  if (!parsed.success) return err(issuesToError(parsed.error.issues));
  const cmd = parsed.data;
  const settings = ctx.rulebook.data.settings.extensions;
  let request: ExtensionRecord | null = null;
  const r = await changeFinding(ctx, actor, cmd.findingId, {
    event: 'extension.requested',
    reason: cmd.reason,
    auditExtra: { extension: { requestedDeadline: cmd.deadline } },
    apply: async (tx, f, update) => {
      if (f.unit !== actor.unit) return err(otherUnit(actor, f.unit));
      if (f.deadline === null)
        return err(
          new AppError('FINDING.NOT_RECTIFIABLE', `finding ${f.id} has no deadline`, { params: { value: f.seq } }),
        );
      if (f.status === 'withdrawn' || f.status === 'verified') return err(wrongState(f));
      const today = ctx.today();
      if (today >= f.deadline)
        return err(
          new AppError('EXTENSION.TOO_LATE', `deadline ${f.deadline} of ${f.id} is not after ${today}`, {
            params: { value: f.seq, date: f.deadline },
          }),
        );
      const longest = addWorkingDays(ctx.rulebook, f.deadline, settings.maxWorkingDays);
      const bad = extensionDateError(f.seq, f.deadline, cmd.deadline, longest, settings.maxWorkingDays);
      if (bad) return err(bad);
      const earlier = await tx.extensionRequests(f.id);
      if (earlier.some((e) => e.state === 'pending'))
        return err(
          new AppError('EXTENSION.PENDING', `finding ${f.id} has a pending request`, { params: { value: f.seq } }),
        );
      if (earlier.filter((e) => e.state === 'approved').length >= settings.perFinding)
        return err(
          new AppError('EXTENSION.LIMIT', `finding ${f.id} used its extensions`, {
            params: { value: f.seq, max: settings.perFinding },
          }),
        );
      request = await tx.insertExtensionRequest({
        findingId: f.id,
        requestedById: actor.memberId,
        currentDeadline: f.deadline,
        requestedDeadline: cmd.deadline,
        reason: cmd.reason,
      });
      return ok(await update({}));
    },
  });
  if (!r.ok) return r;
  return ok(extensionView(request!, r.value));
}

/** A new deadline must be later than the current one and at most the longest extension after it. */
export function extensionDateError(
  seq: number,
  current: string,
  wanted: string,
  longest: string,
  maxWorkingDays: number,
): AppError | null {
  if (wanted <= current)
    return new AppError('EXTENSION.NOT_LATER', `${wanted} is not after ${current}`, {
      field: 'deadline',
      params: { value: seq, date: current },
    });
  if (wanted > longest)
    return new AppError('EXTENSION.TOO_LONG', `${wanted} is after ${longest}`, {
      field: 'deadline',
      params: { value: seq, date: longest, max: maxWorkingDays },
    });
  return null;
}
