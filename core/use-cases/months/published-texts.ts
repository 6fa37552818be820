import type { FindingView } from '../../assessment-api.ts';
import { isOverdueOn, toFindingView } from '../../finding-view.ts';
import type { Standings } from '../../../rules/engine/types.ts';
import { monthOf } from '../../../rules/dates.ts';
import type { PublicationContent, PublishedFindingLine, PublishedUnitDetail } from '../../ports/publications.port.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';

// What a month's 通报 says beyond the ranking — the overdue list of the summary and each unit's
// private detail (sections, month points, open rectifications) — frozen into the publication, so
// the worker sends exactly the version published: a ruling, a verified rectification or a changed
// deadline after publishing shows only in the next version (after a reopening).

const line = (f: FindingView): PublishedFindingLine => ({
  id: f.id,
  seq: f.seq,
  unit: f.unit,
  clause: f.clause,
  date: f.date,
  status: f.status,
  deadline: f.deadline,
  workingDaysLeft: f.workingDaysLeft,
  underAppeal: f.underAppeal,
});

/** The content with the month's overdue list and every unit's detail as of `asOf` (the standings' day). */
export async function withPublishedTexts(
  ctx: AssessmentContext,
  standings: Standings,
  content: PublicationContent,
): Promise<PublicationContent> {
  const rb = ctx.rulebook;
  const day = standings.asOf;
  const today = ctx.today();
  // as the ranked summary has always listed them (groupStandings)
  const overdue = await ctx.ledger.openFindings((f) => isOverdueOn(rb, f, today < day ? today : day) && f.date <= day);
  const month = monthOf(day);
  const details = new Map<string, PublishedUnitDetail>();
  for (const u of standings.units) {
    const views = (await ctx.ledger.viewsOf(u.unit, today)).filter((v) => v.date <= day);
    const counted = u.findings.filter((f) => f.status === 'counted');
    details.set(u.unit, {
      overflow: u.overflow,
      sections: u.sections.map((s) => ({
        ...s,
        bonus: counted.filter((f) => f.section === s.id && f.points > 0).reduce((a, f) => a + f.points, 0),
      })),
      monthPoints: u.findings.filter((f) => f.date.startsWith(month)).reduce((a, f) => a + f.points, 0),
      open: views.filter((v) => v.deadline !== null && (v.status === 'filed' || v.status === 'submitted')).map(line),
    });
  }
  return {
    ...content,
    units: content.units.map((u) => ({ ...u, detail: details.get(u.unit)! })),
    overdue: overdue.map((f) => line(toFindingView(rb, f, today))),
  };
}
