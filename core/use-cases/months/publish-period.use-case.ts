import type { Actor } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { localized, type LocalizedParam } from '../../i18n/t.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { auditedActor } from '../shared/audit.ts';
import type { Published } from './months-api.ts';
import { periodOf } from './period.ts';
import { withPublishedTexts } from './published-texts.ts';
import { unitList } from './period-errors.ts';
import { alreadyPublished } from './record-tie-break.use-case.ts';
import { changesBetween, publicationContent, type OpenTie } from './publication-content.ts';

/**
 * An organiser publishes a closed month (or, after December is published, the year's results):
 * the standings as of its last day, with the office's tie-breaks (for a month also the overdue list
 * and each unit's detail the 通报 shows), freeze as the period's next version; the worker then
 * sends the 通报 from it (the period.published event). Refused while a tie at a quota cut is unresolved, naming the tied units — unless `announceTies` (auto-publish by the
 * worker: the tie is announced as a tie, as before this cycle existed). A republication records
 * what changed against the version it replaces and the reason it was reopened.
 */
export async function publishPeriod(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: { period: string; announceTies?: boolean },
): Promise<Result<Published>> {
  if (!may(actor, 'month.manage')) return err(forbidden(actor, 'month.manage'));
  const p = periodOf(ctx, cmd.period);
  if (!p.ok) return p;
  const period = p.value;
  const pubs = ctx.store.publications;
  if (period.kind === 'year') {
    const december = await pubs.publication(ctx.rulebookId, `${ctx.year}-12`);
    if (!december || december.reopened)
      return err(
        new AppError('PERIOD.DECEMBER_NOT_PUBLISHED', `${ctx.year}-12 is not published`, {
          params: { month: `${ctx.year}-12`, year: ctx.year },
        }),
      );
  }
  const latest = await pubs.publication(ctx.rulebookId, period.id);
  if (latest && !latest.reopened) return err(alreadyPublished(period.id, latest.version));
  const notClosed = () =>
    new AppError('PERIOD.NOT_CLOSED', `${period.id} is not closed`, {
      params: { month: period.id, state: localized('domain.month.open') },
    });
  if (
    period.kind === 'month' &&
    (await ctx.store.transaction((tx) => tx.monthState(ctx.rulebookId, period.id))) !== 'closed'
  )
    return err(notClosed());

  const ledgerVersion = await ctx.store.ledgerVersion(ctx.rulebookId, ctx.year); // before computing
  const standings = await ctx.standings(period.asOf);
  const tieBreaks = await pubs.tieBreaks(ctx.rulebookId, period.id);
  const ranked = await publicationContent(ctx, standings, tieBreaks);
  const openTies = ranked.openTies;
  if (openTies.length > 0 && !cmd.announceTies) return err(tiesUnresolved(ctx, period.id, openTies));
  // a month's 通报 is sent from this version alone: its overdue list and each unit's detail too
  const content = period.kind === 'month' ? await withPublishedTexts(ctx, standings, ranked.content) : ranked.content;

  const outcome = await ctx.store.transaction(async (tx): Promise<Result<Published>> => {
    await tx.publications.lockPeriod(ctx.rulebookId, period.id);
    // reopened meanwhile
    if (period.kind === 'month' && (await tx.monthState(ctx.rulebookId, period.id)) !== 'closed')
      return err(notClosed());
    const previous = await tx.publications.latestPublication(ctx.rulebookId, period.id);
    // a second click, or another organiser first
    if (previous && !previous.reopened) return err(alreadyPublished(period.id, previous.version));
    const who = auditedActor(actor);
    const publication = await tx.publications.insertPublication({
      rulebookId: ctx.rulebookId,
      year: ctx.year,
      period: period.id,
      version: (previous?.version ?? 0) + 1,
      asOf: period.asOf,
      ledgerVersion,
      content,
      changes: previous ? changesBetween(previous.content, content) : [],
      reason: previous?.reopened?.reason ?? null,
      publishedById: who.actorId,
      publishedBy: who.actorLabel,
    });
    await tx.appendAudit({
      ...who,
      action: 'period.published',
      entity: 'period',
      entityId: `${ctx.rulebookId}/${period.id}`,
      before: previous ? { version: previous.version } : null,
      after: {
        version: publication.version,
        ledgerVersion: String(ledgerVersion),
        advanced: Object.fromEntries(content.groups.map((g) => [g.group, g.advanced])),
        openTies: openTies.map((t) => ({ group: t.group, tied: t.tied })),
        changed: publication.changes.map((c) => c.unit),
      },
      reason: publication.reason,
    });
    return ok({ publication, previous });
  });
  if (!outcome.ok) return outcome;
  await ctx.publish({
    type: 'period.published',
    rulebookId: ctx.rulebookId,
    year: ctx.year,
    period: period.id,
    version: outcome.value.publication.version,
  });
  return outcome;
}

function tiesUnresolved(ctx: AssessmentContext, period: string, ties: readonly OpenTie[]): AppError {
  const line = (locale: 'zh-CN' | 'en') =>
    ties
      .map((t) => {
        const g = ctx.rulebook.data.groups.find((x) => x.id === t.group)!;
        return localized('msg.period.tieLine', {
          group: g.name[locale],
          remaining: t.remaining,
          cut: t.cut ?? '',
          units: unitList(t.tied),
        })[locale];
      })
      .join(locale === 'en' ? '; ' : '；');
  const detail: LocalizedParam = { 'zh-CN': line('zh-CN'), en: line('en') };
  return new AppError('PERIOD.TIE_UNRESOLVED', `${period}: ties at the cut unresolved`, {
    params: { month: period, detail },
  });
}
