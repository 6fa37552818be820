import type { Actor, PublishedStandings } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';

/**
 * What the office has published, for anyone known: the latest published month's advanced units
 * per group (as announced, with the office's tie-breaks) and, for a unit contact, their own
 * unit's result. null until a month is published. Never a draft.
 */
export async function publishedStandings(
  ctx: AssessmentContext,
  actor: Actor,
): Promise<Result<PublishedStandings | null>> {
  if (!may(actor, 'standings.view_published')) return err(forbidden(actor, 'standings.view_published'));
  const p = await ctx.store.publications.latestPublishedMonthOf(ctx.rulebookId, ctx.year);
  if (!p) return ok(null);
  const groups = p.content.groups.map((g) => {
    // a tie the office resolved is announced as its decision; one still open, as a tie
    const open = g.tied.length > 0 && !g.tieBreak;
    return {
      group: g.group,
      name: ctx.rulebook.data.groups.find((x) => x.id === g.group)!.name[actor.locale],
      assessed: g.assessed,
      quota: g.quota,
      advanced: g.advanced,
      tied: open ? g.tied : [],
      remaining: g.remaining,
      cut: g.cut,
      tieBreak: g.tieBreak ? { advanced: g.tieBreak.advanced, reason: g.tieBreak.reason } : null,
    };
  });
  const mine = actor.unit ? p.content.units.find((u) => u.unit === actor.unit) : undefined;
  const own = mine
    ? {
        unit: mine.unit,
        group: mine.group,
        total: mine.total,
        rank: mine.rank,
        advanced: mine.advanced,
        groupSize: p.content.units.filter((u) => u.group === mine.group).length,
      }
    : null;
  return ok({ month: p.period, asOf: p.asOf, groups, own });
}
