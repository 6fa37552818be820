import type { Actor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { toFindingView } from '../../finding-view.ts';
import type { ReportData, ReportFinding, ReportGroup } from '../../reports/report-data.ts';
import type { FindingResult, UnitStanding } from '../../../rules/engine/types.ts';
import { periodOf } from '../months/period.ts';
import { publishedSnapshot } from '../months/published-snapshot.use-case.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';

/**
 * Everything a report of one period shows (exports, the 通报 document): organisers and inspectors
 * (lifecycle.md "export standings and findings"). The standings are the office's latest
 * publication of the period; each unit's section scores and overflow, and every finding's
 * explanation, are the engine's as of the same day (the publication is frozen from the same
 * engine run, so the numbers agree). Before the office publishes, the engine's standings as of the
 * period's last day (or today, if earlier) stand in, marked as not published.
 */
export async function reportData(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { period: string; published?: boolean },
): Promise<Result<ReportData>> {
  if (!may(actor, 'report.export')) return err(forbidden(actor, 'report.export'));
  const period = periodOf(ctx, cmd.period);
  if (!period.ok) return period;
  const p = period.value;
  const pub = await publishedSnapshot(ctx, actor, { period: p.id });
  if (!pub.ok) return pub;
  const snapshot = pub.value;
  // the 通报 is what the office announced: never made from a draft
  if (cmd.published && !snapshot)
    return err(
      new AppError('REPORT.NOT_PUBLISHED', `${p.id} is not published`, { field: 'period', params: { value: p.id } }),
    );
  const today = ctx.today();
  const day = snapshot ? snapshot.asOf : p.asOf < today ? p.asOf : today;
  const standings = await ctx.standings(day);
  const byUnit = new Map<string, UnitStanding>(standings.units.map((u) => [u.unit, u]));
  const sections = [...ctx.rulebook.sections.values()].map((s) => ({ id: s.id, full: s.full }));
  const sectionScores = (u: UnitStanding) => sections.map((s) => u.sections.find((x) => x.id === s.id)?.score ?? 0);

  const groups: ReportGroup[] = ctx.rulebook.data.groups.map((g) => {
    if (snapshot) {
      const pg = snapshot.content.groups.find((x) => x.group === g.id);
      const rows = snapshot.content.units.filter((u) => u.group === g.id);
      return {
        group: g.id,
        assessed: pg?.assessed ?? rows.length,
        quota: pg?.quota ?? 0,
        cut: pg?.cut ?? null,
        advanced: pg?.advanced ?? [],
        tied: pg?.tied ?? [],
        tieBreak: pg?.tieBreak ?? null,
        standings: rows.map((u) => {
          const engine = byUnit.get(u.unit);
          return {
            rank: u.rank,
            unit: u.unit,
            total: u.total,
            base: u.base,
            sections: engine ? sectionScores(engine) : sections.map(() => 0),
            deductions: u.deductions,
            bonuses: u.bonuses,
            overflow: engine?.overflow ?? 0,
            advanced: u.advanced,
            disqualified: u.disqualified,
          };
        }),
      };
    }
    const gr = standings.groups[g.id];
    const rows = standings.units
      .filter((u) => u.group === g.id)
      .sort((a, b) => a.rank - b.rank || a.unit.localeCompare(b.unit, 'zh-CN'));
    return {
      group: g.id,
      assessed: gr?.assessed ?? rows.length,
      quota: gr?.quota ?? 0,
      cut: gr?.cutScore ?? null,
      advanced: gr?.advanced ?? [],
      tied: [],
      tieBreak: null,
      standings: rows.map((u) => ({
        rank: u.rank,
        unit: u.unit,
        total: u.total,
        base: u.base,
        sections: sectionScores(u),
        deductions: u.deductions,
        bonuses: u.bonuses,
        overflow: u.overflow,
        advanced: u.advanced,
        disqualified: u.disqualified,
      })),
    };
  });

  const inPeriod = (date: string) => date.startsWith(p.id) && date <= day;
  const stored = (await ctx.store.findingsForYear(ctx.rulebookId, ctx.year)).filter((f) => inPeriod(f.date));
  const results = new Map<string, FindingResult>();
  for (const u of standings.units) for (const r of u.findings) if (inPeriod(r.date)) results.set(r.id, r);
  const seqs = new Map<string, number>();
  for (const f of stored) seqs.set(f.id, f.seq);
  const seqOf = async (ids: readonly string[]) => {
    const missing = ids.filter((id) => !seqs.has(id));
    if (missing.length) for (const f of await ctx.store.findingsByIds(missing)) seqs.set(f.id, f.seq);
    return ids.map((id) => seqs.get(id)!).filter((s) => s !== undefined);
  };
  const findings: ReportFinding[] = [];
  for (const f of stored) {
    const result = results.get(f.id);
    if (!result) continue; // a unit no longer assessed
    findings.push({
      finding: toFindingView(ctx.rulebook, f, today),
      key: f.idempotencyKey,
      result,
      repeatOfSeqs: result.repeatOf.length ? await seqOf(result.repeatOf) : [],
      supersededBySeq: result.supersededBy ? ((await seqOf([result.supersededBy]))[0] ?? null) : null,
    });
  }

  const cases = await ctx.store.caseRecords(ctx.rulebookId, ctx.year);
  const ofPeriod = new Map(findings.map((f) => [f.finding.id, f.finding]));
  const about = <T extends { findingId: string }>(r: T) => {
    const f = ofPeriod.get(r.findingId);
    return f ? [{ ...r, seq: f.seq, unit: f.unit }] : [];
  };
  return ok({
    period: p.id,
    kind: p.kind,
    year: ctx.year,
    asOf: day,
    published: snapshot
      ? { version: snapshot.version, publishedAt: snapshot.publishedAt, reopened: snapshot.reopened !== null }
      : null,
    sections,
    groups,
    findings,
    rectifications: cases.rectifications.flatMap(about),
    appeals: cases.appeals.flatMap(about),
    extensions: cases.extensions.flatMap(about),
    memberNames: cases.memberNames,
  });
}
