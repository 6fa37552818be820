import type { Actor, FindingView, MemberIdentity } from '../../assessment-api.ts';
import { forbidden, may, mayForUnit, otherUnit } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import { toFindingView } from '../../finding-view.ts';
import type { StoredFinding } from '../../ports/assessment-store.port.ts';
import type { FindingResult } from '../../../rules/engine/types.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { findingOf } from '../shared/finding-reference.ts';

/** A finding the actor may see: any for organisers and inspectors, their own unit's for unit contacts. */
async function visibleFinding(ctx: AssessmentContext, actor: Actor, findingId: string): Promise<Result<StoredFinding>> {
  if (!may(actor, 'finding.view')) return err(forbidden(actor, 'finding.view'));
  const f = await findingOf(ctx, findingId);
  if (!f.ok) return f;
  if (!mayForUnit(actor, 'finding.view', f.value.unit)) return err(otherUnit(actor, f.value.unit));
  return f;
}

/** One finding as of today, to those who may see it. */
export async function getFinding(
  ctx: AssessmentContext,
  actor: Actor,
  findingId: string,
): Promise<Result<FindingView>> {
  const f = await visibleFinding(ctx, actor, findingId);
  return f.ok ? ok(toFindingView(ctx.rulebook, f.value, ctx.today())) : f;
}

/**
 * Who submitted a finding's rectification last (their identities, to name them on the platform a
 * message is on), for anyone who may see the finding; null when nobody has submitted one.
 */
export async function rectificationSubmitter(
  ctx: AssessmentContext,
  actor: Actor,
  findingId: string,
): Promise<Result<MemberIdentity[] | null>> {
  const f = await visibleFinding(ctx, actor, findingId);
  return f.ok ? ok(await ctx.store.rectificationSubmitter(f.value.id)) : f;
}

/**
 * How one finding counts as of a day: its result as in the unit's standing, explained from its
 * own clause's findings only (ledger cache resultOf), not by scoring and ranking the whole year.
 * The unit is the caller's word; the cache finds the finding only among that unit's findings of
 * that clause, so nobody learns about a finding of a unit they may not see.
 */
export async function findingResult(
  ctx: AssessmentContext,
  actor: Actor,
  finding: { id: string; unit: string; clause: string },
  asOf: string,
): Promise<Result<FindingResult | null>> {
  if (!may(actor, 'finding.view')) return err(forbidden(actor, 'finding.view'));
  if (!mayForUnit(actor, 'finding.view', finding.unit)) return err(otherUnit(actor, finding.unit));
  await ctx.ledger.refresh();
  return ok(ctx.ledger.resultOf({ id: finding.id, unit: finding.unit, clauseId: finding.clause }, asOf) ?? null);
}
