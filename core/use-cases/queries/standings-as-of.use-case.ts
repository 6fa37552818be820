import type { Actor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import type { Standings } from '../../../rules/engine/types.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';

/**
 * The engine's standings of every assessed unit as of a day (the worker's snapshots and month
 * close): the same right as the live group standings.
 */
export async function standingsAsOf(ctx: AssessmentContext, actor: Actor, day: string): Promise<Result<Standings>> {
  if (!may(actor, 'standings.view')) return err(forbidden(actor, 'standings.view'));
  return ok(await ctx.standings(day));
}
