import type { Actor, GroupStandings } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import { isOverdueOn, toFindingView } from '../../finding-view.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { asOfDay } from '../shared/as-of.ts';

/** Live standings of every group, ranked, with the overdue findings: organisers and inspectors. */
export async function groupStandings(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { asOf?: string },
): Promise<Result<GroupStandings>> {
  if (!may(actor, 'standings.view')) return err(forbidden(actor, 'standings.view'));
  const asOf = asOfDay(ctx, cmd.asOf);
  if (!asOf.ok) return asOf;
  const day = asOf.value;
  const standings = await ctx.standings(day);
  const today = ctx.today();
  const rb = ctx.rulebook;
  const overdue = await ctx.ledger.openFindings((f) => isOverdueOn(rb, f, today < day ? today : day) && f.date <= day);
  return ok({
    asOf: day,
    year: ctx.year,
    groups: Object.values(standings.groups).map((g) => ({
      ...g,
      name: rb.data.groups.find((x) => x.id === g.group)!.name[actor.locale],
      units: standings.units
        .filter((u) => u.group === g.group)
        .map((u) => ({
          unit: u.unit,
          total: u.total,
          rank: u.rank,
          advanced: u.advanced,
          disqualified: u.disqualified,
        })),
    })),
    overdue: overdue.map((f) => toFindingView(rb, f, today)),
  });
}
