import type { Actor, UnitBreakdown } from '../../assessment-api.ts';
import type { GroupResult, UnitStanding } from '../../../rules/engine/types.ts';
import type { LedgerCache } from '../../ledger-cache.ts';
import { may, otherUnit } from '../../authorization.ts';
import { didYouMean } from '../../issue-params.ts';
import { suggestUnits } from '../../suggest.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { monthOf } from '../../../rules/dates.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { asOfDay } from '../shared/as-of.ts';

/**
 * Breakdowns already built, per ledger cache (one per process and year): kept per (unit, as-of,
 * today, language, live or not) while the ledger version and the published month are the same
 * (callers must not change them). A filing, withdrawal or any change moves the version; a
 * member's new language is a new key; the day turning is a new key. A unit contact's is kept by
 * its unit's version (ledger.versionOf): while the cache is cold each unit is read at its own.
 */
const built = new WeakMap<LedgerCache, Map<string, { version: bigint; published: string; value: UnitBreakdown }>>();

/**
 * A unit's score, rank, sections, month points and findings as of a day: own unit for unit
 * contacts; any unit (canonical name or alias) for organisers and inspectors.
 */
export async function unitBreakdown(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { unit?: string; asOf?: string },
): Promise<Result<UnitBreakdown>> {
  const rb = ctx.rulebook;
  let unit: string | null;
  if (cmd.unit?.trim()) {
    unit = rb.resolveUnit(cmd.unit) ?? null;
    if (!unit)
      return err(
        new AppError('UNIT.UNKNOWN', `unknown unit ${cmd.unit}`, {
          field: 'unit',
          params: { value: cmd.unit, suggestion: didYouMean(suggestUnits(rb, cmd.unit)) },
        }),
      );
  } else unit = actor.unit;
  if (!unit)
    return err(new AppError('UNIT.UNKNOWN', 'no unit given', { field: 'unit', params: { value: '', suggestion: '' } }));
  if (unit !== actor.unit && !may(actor, 'breakdown.any_unit')) return err(otherUnit(actor, unit));
  const asOf = asOfDay(ctx, cmd.asOf);
  if (!asOf.ok) return asOf;
  const day = asOf.value;
  // lifecycle.md: a unit contact sees their own live score, never a live rank or the advanced line,
  // so for them only their unit is scored (no other unit, no ranking: a cold start's first answer).
  const live = may(actor, 'standings.view');
  // asked beside the ledger's refresh, not after it
  const published = live ? Promise.resolve(null) : publishedOwn(ctx, unit);
  let standing: UnitStanding | undefined;
  let groupResult: GroupResult | null = null;
  let version: bigint;
  if (live) {
    const standings = await ctx.standings(day);
    standing = standings.units.find((u) => u.unit === unit)!;
    groupResult = standings.groups[standing.group]!;
    version = ctx.ledger.currentVersion;
  } else {
    // Only the unit is needed, so a cold cache answers from the unit's own read.
    await ctx.ledger.refreshUnit(unit);
    version = ctx.ledger.versionOf(unit);
  }
  const today = ctx.today();
  const ownPublished = await published;
  const publishedKey = JSON.stringify(ownPublished);
  const key = `${unit}|${day}|${today}|${actor.locale}|${live ? 'live' : 'own'}`;
  let kept = built.get(ctx.ledger);
  if (!kept) {
    kept = new Map();
    built.set(ctx.ledger, kept);
  }
  const hit = kept.get(key);
  if (hit && hit.version === version && hit.published === publishedKey) return ok(hit.value);
  let unitViews = await ctx.ledger.viewsOf(unit, today);
  let current = true;
  if (!standing) {
    // The whole year may land while the views are read and put the unit back at an older version
    // until the next refresh: then they are read again, so that the standing (scored right after
    // them) and the views are of one version, the one they are kept under. The year lands once.
    for (let pass = 1; ctx.ledger.versionOf(unit) !== version; pass++) {
      if (pass > 2) {
        current = false; // the ledger keeps moving under this read: answer, keep nothing
        break;
      }
      await ctx.ledger.refreshUnit(unit);
      version = ctx.ledger.versionOf(unit);
      unitViews = await ctx.ledger.viewsOf(unit, today);
    }
    standing = ctx.ledger.unitStanding(unit, day);
  }
  const views = unitViews.filter((v) => v.date <= day);
  const month = monthOf(day);
  const { rank, advanced, ...own } = standing;
  const value: UnitBreakdown = {
    unit,
    group: standing.group,
    groupName: rb.data.groups.find((g) => g.id === standing.group)!.name[actor.locale],
    asOf: day,
    standing: own,
    ranking: groupResult ? { rank, advanced, groupSize: groupResult.assessed, groupResult } : null,
    published: ownPublished,
    monthPoints: standing.findings.filter((f) => f.date.startsWith(month)).reduce((a, f) => a + f.points, 0),
    sections: standing.sections.map((s) => ({ ...s, name: rb.sections.get(s.id)!.name[actor.locale] })),
    openRectifications: views.filter((v) => v.deadline !== null && (v.status === 'filed' || v.status === 'submitted')),
    findings: views,
  };
  if (kept.size >= 500) kept.clear();
  if (current) kept.set(key, { version, published: publishedKey, value });
  return ok(value);
}

/** A unit's result in the latest published month (rank among the units published then). */
async function publishedOwn(ctx: AssessmentContext, unit: string): Promise<UnitBreakdown['published']> {
  const p = await ctx.store.latestPublishedMonth(ctx.rulebookId, ctx.year);
  const mine = p?.rows.find((r) => r.unit === unit);
  if (!p || !mine) return null;
  return {
    month: p.month,
    total: mine.total,
    rank: mine.rank,
    groupSize: p.rows.filter((r) => r.group === mine.group).length,
    advanced: mine.advanced,
  };
}
