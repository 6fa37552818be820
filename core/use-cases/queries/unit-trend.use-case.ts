import type { Actor } from '../../assessment-api.ts';
import { ok, type Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { unitBreakdown } from './unit-breakdown.use-case.ts';

export interface UnitTrend {
  unit: string;
  asOf: string;
  /** The unit's total at the end of each month up to asOf (the last point is asOf itself). */
  points: Array<{ month: string; total: number }>;
  /** Each section's score and full marks as of asOf, named in the actor's language. */
  sections: Array<{ id: string; name: string; score: number; full: number }>;
}

/**
 * A unit's monthly score trend and its sections against full marks (the /myscore charts): the
 * same unit rights as the breakdown (own unit for contacts), the engine's totals at each month end.
 */
export async function unitTrend(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { unit?: string; asOf?: string },
): Promise<Result<UnitTrend>> {
  const b = await unitBreakdown(ctx, actor, cmd);
  if (!b.ok) return b;
  const { unit, asOf } = b.value;
  const points: UnitTrend['points'] = [];
  for (let m = 1; m <= Number(asOf.slice(5, 7)); m++) {
    const month = `${asOf.slice(0, 4)}-${String(m).padStart(2, '0')}`;
    const end = new Date(Date.UTC(Number(asOf.slice(0, 4)), m, 0)).toISOString().slice(0, 10);
    const day = end < asOf ? end : asOf;
    const standing = (await ctx.standings(day)).units.find((u) => u.unit === unit)!;
    points.push({ month, total: standing.total });
  }
  return ok({
    unit,
    asOf,
    points,
    sections: b.value.sections.map((s) => ({ id: s.id, name: s.name, score: s.score, full: s.full })),
  });
}
