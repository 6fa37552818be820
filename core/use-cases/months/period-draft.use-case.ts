import type { Actor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { err, ok, type Result } from '../../errors.ts';
import type { PublicationRecord } from '../../ports/publications.port.ts';
import { CalendarMissingError } from '../../../rules/calendar.ts';
import { civilDate, dayNumber, isoFromDay } from '../../../rules/dates.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import type { DraftFinding, PeriodDraft } from './months-api.ts';
import { lastDayOfMonth, periodOf, previousMonth } from './period.ts';
import { changesBetween, publicationContent } from './publication-content.ts';

/** Working days before the month's last working day from which a filing counts as late (the month-end reminder's). */
const LATE_WORKING_DAYS = 3;

/**
 * The draft of a month or of the year's results, for organisers (lifecycle.md: drafts are theirs):
 * standings per group with the tie-breaks recorded so far, ties at the cut still open, changes
 * against the last publication, findings filed late in the month, pending appeals and extension
 * requests, and the disqualifications with the findings that caused them.
 */
export async function periodDraft(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { period: string },
): Promise<Result<PeriodDraft>> {
  if (!may(actor, 'month.view_draft')) return err(forbidden(actor, 'month.view_draft'));
  const p = periodOf(ctx, cmd.period);
  if (!p.ok) return p;
  const period = p.value;
  const pubs = ctx.store.publications;
  const [standings, tieBreaks, latest, findings, extensions] = await Promise.all([
    ctx.standings(period.asOf),
    pubs.tieBreaks(ctx.rulebookId, period.id),
    pubs.publication(ctx.rulebookId, period.id),
    ctx.store.findingsForYear(ctx.rulebookId, ctx.year),
    pubs.pendingExtensions(ctx.rulebookId, ctx.year),
  ]);
  const { content, openTies } = await publicationContent(ctx, standings, tieBreaks);
  const compared = latest ?? (period.kind === 'month' ? await lastPublishedBefore(ctx, period.id) : null);
  const december = period.kind === 'year' ? await pubs.publication(ctx.rulebookId, `${ctx.year}-12`) : null;

  const live = findings.filter((f) => f.status !== 'withdrawn' && f.date <= period.asOf);
  const view = (f: (typeof findings)[number]): DraftFinding => ({
    id: f.id,
    seq: f.seq,
    unit: f.unit,
    clause: f.clauseId,
    date: f.date,
  });
  let lateFindings: DraftFinding[] = [];
  if (period.kind === 'month') {
    const from = lateFrom(ctx, period.id);
    lateFindings = live.filter((f) => f.date.startsWith(period.id) && filedDay(ctx, f) >= from).map(view);
  }
  const byId = new Map(findings.map((f) => [f.id, f]));
  return ok({
    period: period.id,
    kind: period.kind,
    asOf: period.asOf,
    monthState: period.kind === 'month' ? await monthState(ctx, period.id) : null,
    decemberPublished: december !== null && december.reopened === null,
    latest: latest ? { version: latest.version, reopened: latest.reopened, publishedAt: latest.publishedAt } : null,
    content,
    openTies,
    comparedWith: compared ? { period: compared.period, version: compared.version } : null,
    changes: compared ? changesBetween(compared.content, content) : [],
    lateFindings,
    pendingAppeals: live.filter((f) => f.underAppeal).map(view),
    pendingExtensions: extensions.flatMap((e) => {
      const f = byId.get(e.findingId);
      return f && f.status !== 'withdrawn'
        ? [{ ...view(f), deadline: f.deadline, requested: e.requestedDeadline }]
        : [];
    }),
  });
}

async function monthState(ctx: AssessmentContext, month: string): Promise<'open' | 'closed' | null> {
  return ctx.store.transaction((tx) => tx.monthState(ctx.rulebookId, month));
}

/** The latest publication of the nearest earlier month that has one. */
async function lastPublishedBefore(ctx: AssessmentContext, month: string): Promise<PublicationRecord | null> {
  for (let m = previousMonth(month); m; m = previousMonth(m)) {
    const p = await ctx.store.publications.publication(ctx.rulebookId, m);
    if (p) return p;
  }
  return null;
}

function lateFrom(ctx: AssessmentContext, month: string): string {
  try {
    return ctx.rulebook.calendar.addWorkingDays(ctx.rulebook.calendar.lastWorkingDayOfMonth(month), -LATE_WORKING_DAYS);
  } catch (e) {
    if (!(e instanceof CalendarMissingError)) throw e;
    // no official calendar for the month: its last week, Monday to Friday
    return isoFromDay(dayNumber(lastDayOfMonth(month)) - 6);
  }
}

/** The filing day as the reminder planner reads it: filedAt, or the finding's date when the clock is behind it. */
const filedDay = (ctx: AssessmentContext, f: { filedAt: Date; date: string }): string =>
  f.filedAt.getTime() <= ctx.clock.now().getTime() ? civilDate(f.filedAt, ctx.rulebook.data.timeZone) : f.date;
