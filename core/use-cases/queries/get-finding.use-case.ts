import type { Actor, FindingView } from '../../assessment-api.ts';
import { forbidden, may, mayForUnit, otherUnit } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import { toFindingView } from '../../finding-view.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { findingOf } from '../shared/finding-reference.ts';

/** One finding as of today: any for organisers and inspectors, their own unit's for unit contacts. */
export async function getFinding(
  ctx: AssessmentContext,
  actor: Actor,
  findingId: string,
): Promise<Result<FindingView>> {
  if (!may(actor, 'finding.view')) return err(forbidden(actor, 'finding.view'));
  const f = await findingOf(ctx, findingId);
  if (!f.ok) return f;
  if (!mayForUnit(actor, 'finding.view', f.value.unit)) return err(otherUnit(actor, f.value.unit));
  return ok(toFindingView(ctx.rulebook, f.value, ctx.today()));
}
