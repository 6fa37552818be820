import type { Standings } from '../../../rules/engine/types.ts';
import { advancedQuota } from '../../../rules/engine/compute-standings.ts';
import { byRankThenName, splitAdvanced } from '../../messages/advanced-cut.ts';
import type {
  PublicationContent,
  PublishedDisqualification,
  PublishedGroup,
  TieBreakRecord,
  UnitChange,
  UnitResult,
} from '../../ports/publications.port.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';

// What a period announces, built from the engine's standings and the office's tie-breaks; and
// what changed between two announcements. Pure but for reading the seq of the findings that
// disqualified a unit.

/** A tie at a group's cut the office has not resolved (or resolved for a different tie). */
export interface OpenTie {
  group: string;
  tied: string[];
  remaining: number;
  cut: number | null;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

/** The tie-break recorded for exactly this tie, if any. */
export function tieBreakFor(
  tieBreaks: readonly TieBreakRecord[],
  group: string,
  tied: readonly string[],
): TieBreakRecord | null {
  return tieBreaks.find((t) => t.group === group && sameSet(t.tied, tied)) ?? null;
}

export async function publicationContent(
  ctx: AssessmentContext,
  standings: Standings,
  tieBreaks: readonly TieBreakRecord[],
): Promise<{ content: PublicationContent; openTies: OpenTie[] }> {
  const openTies: OpenTie[] = [];
  const groups: PublishedGroup[] = ctx.rulebook.data.groups.map((g) => {
    const units = standings.units.filter((u) => u.group === g.id);
    const quota = advancedQuota(ctx.rulebook, units.length);
    const split = splitAdvanced(units, quota);
    const tb = split.tied.length > 0 ? tieBreakFor(tieBreaks, g.id, split.tied) : null;
    if (split.tied.length > 0 && !tb)
      openTies.push({ group: g.id, tied: split.tied, remaining: split.remaining, cut: split.cut });
    return {
      group: g.id,
      assessed: units.length,
      quota,
      advanced: [...split.settled, ...(tb ? split.tied.filter((u) => tb.advanced.includes(u)) : [])],
      tied: split.tied,
      remaining: split.remaining,
      cut: split.cut,
      tieBreak: tb ? { method: tb.method, advanced: tb.advanced, reason: tb.reason } : null,
    };
  });
  const announced = new Set(groups.flatMap((g) => g.advanced));
  const units = groups.flatMap((g) =>
    standings.units
      .filter((u) => u.group === g.group)
      .sort(byRankThenName)
      .map((u) => ({
        unit: u.unit,
        group: u.group,
        total: u.total,
        base: u.base,
        rank: u.rank,
        advanced: announced.has(u.unit),
        deductions: u.deductions,
        bonuses: u.bonuses,
        disqualified: u.disqualified,
      })),
  );
  return { content: { groups, units, disqualifications: await disqualifications(ctx, standings) }, openTies };
}

/** Each disqualification with the findings that caused it (in filing order). */
async function disqualifications(ctx: AssessmentContext, standings: Standings): Promise<PublishedDisqualification[]> {
  const causes = standings.units.flatMap((u) =>
    u.disqualified.map((d) => ({
      unit: u,
      disqualification: d,
      // a clause that disqualifies when counted, or a deduction in a section that does
      results: u.findings.filter(
        (f) =>
          f.reasons.some((r) => r.kind === 'disqualifies' && r.disqualification === d) ||
          (f.status === 'counted' && f.points < 0 && ctx.rulebook.sections.get(f.section)?.deductionDisqualifies === d),
      ),
    })),
  );
  if (causes.length === 0) return [];
  const ids = causes.flatMap((c) => c.results.map((f) => f.id));
  const seqs = new Map((await ctx.store.findingsByIds(ids)).map((f) => [f.id, f.seq]));
  return causes.map((c) => ({
    unit: c.unit.unit,
    group: c.unit.group,
    disqualification: c.disqualification,
    findings: c.results
      .map((f) => ({ id: f.id, seq: seqs.get(f.id) ?? 0, clause: f.clause, date: f.date }))
      .sort((a, b) => a.seq - b.seq),
  }));
}

const resultOf = (u: PublicationContent['units'][number]): UnitResult => ({
  total: u.total,
  rank: u.rank,
  advanced: u.advanced,
});

/** Units whose total, rank or advanced differ between two announcements (in the later one's order). */
export function changesBetween(before: PublicationContent, after: PublicationContent): UnitChange[] {
  const old = new Map(before.units.map((u) => [u.unit, u]));
  const changes: UnitChange[] = [];
  for (const u of after.units) {
    const b = old.get(u.unit);
    old.delete(u.unit);
    if (b && b.total === u.total && b.rank === u.rank && b.advanced === u.advanced) continue;
    changes.push({ unit: u.unit, group: u.group, before: b ? resultOf(b) : null, after: resultOf(u) });
  }
  for (const b of old.values()) changes.push({ unit: b.unit, group: b.group, before: resultOf(b), after: null });
  return changes;
}
