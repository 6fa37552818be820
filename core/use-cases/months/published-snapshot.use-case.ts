import type { Actor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import type { PublishedSnapshot } from './months-api.ts';
import { periodOf } from './period.ts';

/**
 * What the office published for a month ('YYYY-MM') or the year ('YYYY'): the latest version or a
 * given one, frozen as announced (reports and exports read this). Never a draft. Organisers and
 * inspectors get every unit; a unit contact only their own unit's rows, changes and
 * disqualifications, with the announced advanced units per group. null when there is no such version.
 */
export async function publishedSnapshot(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { period: string; version?: number },
): Promise<Result<PublishedSnapshot | null>> {
  if (!may(actor, 'standings.view_published')) return err(forbidden(actor, 'standings.view_published'));
  const p = periodOf(ctx, cmd.period);
  if (!p.ok) return p;
  const latest = await ctx.store.publications.publication(ctx.rulebookId, p.value.id);
  if (!latest) return ok(null);
  const pub =
    cmd.version === undefined || cmd.version === latest.version
      ? latest
      : await ctx.store.publications.publication(ctx.rulebookId, p.value.id, cmd.version);
  if (!pub) return ok(null);
  const snapshot = { ...pub, latestVersion: latest.version };
  if (actor.role !== 'unit_contact') return ok(snapshot);
  const own = (x: { unit: string }) => x.unit === actor.unit;
  return ok({
    ...snapshot,
    content: {
      groups: pub.content.groups,
      units: pub.content.units.filter(own),
      disqualifications: pub.content.disqualifications.filter(own),
    },
    changes: pub.changes.filter(own),
  });
}
