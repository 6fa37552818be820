import type { Actor } from '../../assessment-api.ts';
import { forbidden, may, mayForUnit, otherUnit } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { findingIdOf, findingNotFound, findingOf } from '../shared/finding-reference.ts';

/**
 * Remembers where a finding's notice was posted (a messenger's message ref), so later changes
 * update that message. By the person whose action posted it — a unit contact only for their own
 * unit's findings — or by the worker (systemActor('worker')) for the notices it posts itself.
 */
export async function recordNotice(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { findingId: string; ref: string },
): Promise<Result<void>> {
  if (!may(actor, 'finding.record_notice')) return err(forbidden(actor, 'finding.record_notice'));
  // Only a unit contact is limited to some findings (their unit's): for anyone else the write
  // itself says whether the finding exists (one round trip right after posting a notice).
  if (actor.role !== 'unit_contact') {
    const ref = await findingIdOf(ctx, cmd.findingId);
    if (!ref.ok) return ref;
    if (!(await ctx.store.setNoticeRef(ref.value.id, cmd.ref, ctx.rulebookId)))
      return err(findingNotFound(ref.value.label));
    return ok(undefined);
  }
  const f = await findingOf(ctx, cmd.findingId);
  if (!f.ok) return f;
  if (!mayForUnit(actor, 'finding.record_notice', f.value.unit)) return err(otherUnit(actor, f.value.unit));
  await ctx.store.setNoticeRef(f.value.id, cmd.ref, ctx.rulebookId);
  return ok(undefined);
}
