import type { Actor, PublishedStandings } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { advancedQuota } from '../../../rules/engine/compute-standings.ts';
import { splitAdvanced } from '../../messages/advanced-cut.ts';
import { err, ok, type Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';

/**
 * What the office has published, for anyone known: the latest published month's advanced units
 * per group and, for a unit contact, their own unit's result. null until a month is published.
 */
export async function publishedStandings(
  ctx: AssessmentContext,
  actor: Actor,
): Promise<Result<PublishedStandings | null>> {
  if (!may(actor, 'standings.view_published')) return err(forbidden(actor, 'standings.view_published'));
  const p = await ctx.store.latestPublishedMonth(ctx.rulebookId, ctx.year);
  if (!p) return ok(null);
  const groups = ctx.rulebook.data.groups.map((g) => {
    const rows = p.rows.filter((r) => r.group === g.id);
    const quota = advancedQuota(ctx.rulebook, rows.length);
    // ties at the cut are the office's to resolve: never announced as more advanced units than places
    const split = splitAdvanced(rows, quota);
    return {
      group: g.id,
      name: g.name[actor.locale],
      assessed: rows.length,
      quota,
      advanced: split.settled,
      tied: split.tied,
      remaining: split.remaining,
      cut: split.cut,
    };
  });
  const mine = actor.unit ? p.rows.find((r) => r.unit === actor.unit) : undefined;
  const own = mine ? { ...mine, groupSize: p.rows.filter((r) => r.group === mine.group).length } : null;
  return ok({ month: p.month, asOf: p.asOf, groups, own });
}
