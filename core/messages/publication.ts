// What the month review cycle says (lifecycle.md "Months: close → draft → publish"): the
// organisers' draft of a month or of the year's results, the lines a 通报 carries about the
// office's tie-breaks and a republication's changes, and the year's results.

import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import type { PublicationRecord, PublishedGroup, UnitChange } from '../ports/publications.port.ts';
import type { DraftFinding, PeriodDraft } from '../use-cases/months/months-api.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import { formatNumber } from './format.ts';
import { ACTION } from './actions.ts';
import {
  actions,
  bold,
  button,
  context,
  divider,
  header,
  list,
  message,
  paragraph,
  type Block,
  type Message,
} from './message.ts';

const MAX_ITEMS = 20;

function capped(locale: Locale, items: string[]): Block[] {
  if (items.length <= MAX_ITEMS) return [list(items)];
  return [list(items.slice(0, MAX_ITEMS)), context(t(locale, 'msg.common.more', { count: items.length - MAX_ITEMS }))];
}

const sep = (locale: Locale) => t(locale, 'msg.common.listSeparator');
const groupName = (rb: Rulebook, locale: Locale, id: string) =>
  rb.data.groups.find((g) => g.id === id)?.name[locale] ?? id;
const yesNo = (locale: Locale, b: boolean) =>
  t(locale, b ? 'msg.publication.advancedYes' : 'msg.publication.advancedNo');

/** One line per unit whose result changed: total, rank, advanced before → after. */
function changeLine(locale: Locale, c: UnitChange): string {
  const b = c.before,
    a = c.after;
  if (!b || !a) return t(locale, 'msg.publication.changeNew', { unit: c.unit });
  return t(locale, 'msg.publication.change', {
    unit: c.unit,
    from: formatNumber(b.total),
    to: formatNumber(a.total),
    rankFrom: b.rank,
    rankTo: a.rank,
    advancedFrom: yesNo(locale, b.advanced),
    advancedTo: yesNo(locale, a.advanced),
  });
}

/** A group's advanced units as announced, the tie at the cut and how the office resolved it. */
function groupLines(locale: Locale, rb: Rulebook, g: PublishedGroup): Block[] {
  const name = groupName(rb, locale, g.group);
  const blocks: Block[] = [
    paragraph(bold(t(locale, 'msg.publication.group', { group: name, assessed: g.assessed, quota: g.quota }))),
    paragraph(
      g.advanced.length > 0
        ? t(locale, 'msg.publication.advanced', { units: g.advanced.join(sep(locale)) })
        : t(locale, 'msg.publication.noAdvanced'),
    ),
  ];
  if (g.tied.length > 0 && g.tieBreak) {
    blocks.push(
      context(
        t(locale, 'msg.publication.tieBreak', {
          count: g.tied.length,
          cut: formatNumber(g.cut ?? 0),
          remaining: g.remaining,
          units: g.tieBreak.advanced.join(sep(locale)),
          reason: g.tieBreak.reason,
        }),
      ),
    );
    if (g.advanced.length > g.quota)
      blocks.push(
        context(
          t(locale, 'msg.publication.overQuota', {
            count: g.advanced.length,
            quota: g.quota,
            reason: g.tieBreak.reason,
          }),
        ),
      );
  } else if (g.tied.length > 0)
    blocks.push(
      context(
        t(locale, 'msg.publication.tieOpen', {
          remaining: g.remaining,
          count: g.tied.length,
          cut: formatNumber(g.cut ?? 0),
          units: g.tied.join(sep(locale)),
        }),
      ),
    );
  return blocks;
}

function findingLine(locale: Locale, f: DraftFinding, extra = ''): string {
  return `${t(locale, 'msg.publication.finding', { seq: f.seq, unit: f.unit, clause: f.clause, date: f.date })}${extra}`;
}

/** The organisers' draft of a month or of the year's results; nothing in it is published yet. */
export function periodDraftMessage(locale: Locale, rb: Rulebook, d: PeriodDraft): Message {
  const title =
    d.kind === 'year'
      ? t(locale, 'msg.draft.yearHeader', { year: d.period })
      : t(locale, 'msg.draft.header', { month: d.period });
  const blocks: Block[] = [header(title), paragraph(t(locale, 'msg.draft.intro', { asOf: d.asOf }))];
  if (d.latest?.reopened)
    blocks.push(
      context(t(locale, 'msg.draft.reopened', { version: d.latest.version, reason: d.latest.reopened.reason })),
    );
  else if (d.latest) blocks.push(context(t(locale, 'msg.draft.alreadyPublished', { version: d.latest.version })));
  for (const g of d.content.groups) blocks.push(divider(), ...groupLines(locale, rb, g));
  blocks.push(divider());
  if (d.comparedWith) {
    blocks.push(
      paragraph(
        bold(
          t(locale, 'msg.draft.changes', {
            against: `${d.comparedWith.period} v${d.comparedWith.version}`,
            count: d.changes.length,
          }),
        ),
      ),
    );
    if (d.changes.length > 0)
      blocks.push(
        ...capped(
          locale,
          d.changes.map((c) => changeLine(locale, c)),
        ),
      );
  } else blocks.push(paragraph(t(locale, 'msg.draft.firstPublication')));
  const section = (key: 'late' | 'appeals' | 'extensions', items: string[]) => {
    blocks.push(paragraph(bold(t(locale, `msg.draft.${key}`, { count: items.length }))));
    if (items.length > 0) blocks.push(...capped(locale, items));
  };
  if (d.kind === 'month')
    section(
      'late',
      d.lateFindings.map((f) => findingLine(locale, f)),
    );
  section(
    'appeals',
    d.pendingAppeals.map((f) => findingLine(locale, f)),
  );
  section(
    'extensions',
    d.pendingExtensions.map((f) =>
      findingLine(locale, f, t(locale, 'msg.draft.extensionAsked', { from: f.deadline ?? '', to: f.requested })),
    ),
  );
  blocks.push(...disqualificationBlocks(locale, rb, d.content.disqualifications));
  const next =
    d.openTies.length > 0
      ? t(locale, 'msg.draft.nextTies', {
          period: d.period,
          groups: d.openTies.map((x) => groupName(rb, locale, x.group)).join(sep(locale)),
        })
      : d.latest && !d.latest.reopened
        ? null
        : d.kind === 'month' && d.monthState !== 'closed'
          ? t(locale, 'msg.draft.nextClose', { period: d.period })
          : d.kind === 'year' && !d.decemberPublished
            ? t(locale, 'msg.draft.nextDecember', { month: `${d.period}-12` })
            : t(locale, 'msg.draft.nextPublish', { period: d.period });
  if (next) blocks.push(divider(), context(next));
  // ready to publish: closed (the year: December published), no open tie, not published as it stands
  const ready =
    d.openTies.length === 0 &&
    !(d.latest && !d.latest.reopened) &&
    (d.kind === 'year' ? d.decemberPublished : d.monthState === 'closed');
  if (ready)
    blocks.push(actions(button(t(locale, 'msg.draft.publishButton'), ACTION.publishPeriod, d.period, 'primary')));
  return message(blocks, { text: title });
}

function disqualificationBlocks(
  locale: Locale,
  rb: Rulebook,
  dq: PublicationRecord['content']['disqualifications'],
): Block[] {
  const name = (id: string) => rb.data.disqualifications.find((x) => x.id === id)?.name[locale] ?? id;
  const items = dq.map((x) =>
    x.findings.length === 0
      ? t(locale, 'msg.publication.disqualifiedUnit', { unit: x.unit, disqualification: name(x.disqualification) })
      : t(locale, 'msg.publication.disqualified', {
          unit: x.unit,
          disqualification: name(x.disqualification),
          findings: x.findings
            .map((f) => t(locale, 'msg.publication.causingFinding', { seq: f.seq, clause: f.clause, date: f.date }))
            .join(sep(locale)),
        }),
  );
  return [
    paragraph(bold(t(locale, 'msg.publication.disqualifications', { count: items.length }))),
    ...(items.length ? capped(locale, items) : []),
  ];
}

/**
 * Lines a 通报 carries about its publication: a republication's version, why and what changed;
 * each tie at the cut the office resolved, with its reason. Empty for a first version without ties.
 */
export function publicationNoteBlocks(locale: Locale, rb: Rulebook, p: PublicationRecord): Block[] {
  const blocks: Block[] = [];
  if (p.version > 1) {
    blocks.push(paragraph(t(locale, 'msg.publication.republished', { version: p.version, reason: p.reason ?? '' })));
    blocks.push(
      p.changes.length > 0
        ? context(
            t(locale, 'msg.publication.changed', { units: p.changes.map((c) => changeLine(locale, c)).join('；') }),
          )
        : context(t(locale, 'msg.publication.unchanged')),
    );
  }
  for (const g of p.content.groups)
    if (g.tieBreak)
      blocks.push(
        context(
          t(locale, 'msg.publication.groupTieBreak', {
            group: groupName(rb, locale, g.group),
            remaining: g.remaining,
            units: g.tieBreak.advanced.join(sep(locale)),
            reason: g.tieBreak.reason,
          }),
        ),
      );
  return blocks;
}

/**
 * A publication as announced — the year's results, or a month retrieved later (/standings
 * 2017-10 v1): per group the advanced units, ties and their resolution, disqualifications; every
 * rank when `ranks`; the unit's own result when `unit`. A version since reopened says so.
 */
export function publicationMessage(
  locale: Locale,
  rb: Rulebook,
  p: PublicationRecord & { latestVersion?: number },
  opts: { unit?: string; ranks: boolean },
): Message {
  const title =
    p.period.length === 4
      ? t(locale, 'msg.year.header', { year: p.period, version: p.version })
      : t(locale, 'msg.publication.monthHeader', { month: p.period, version: p.version });
  const blocks: Block[] = [header(title), paragraph(t(locale, 'msg.year.intro', { asOf: p.asOf }))];
  if (p.reopened)
    blocks.push(
      context(
        t(locale, 'msg.publication.reopenedNote', {
          version: p.version,
          reason: p.reopened.reason,
          latest: p.latestVersion ?? p.version,
        }),
      ),
    );
  if (p.version > 1) {
    blocks.push(paragraph(t(locale, 'msg.publication.republished', { version: p.version, reason: p.reason ?? '' })));
    if (p.changes.length > 0)
      blocks.push(
        context(
          t(locale, 'msg.publication.changed', { units: p.changes.map((c) => changeLine(locale, c)).join('；') }),
        ),
      );
  }
  for (const g of p.content.groups) {
    blocks.push(divider(), ...groupLines(locale, rb, g));
    if (opts.ranks)
      blocks.push(
        ...capped(
          locale,
          p.content.units
            .filter((u) => u.group === g.group)
            .map((u) => t(locale, 'msg.year.rankLine', { rank: u.rank, unit: u.unit, total: formatNumber(u.total) })),
        ),
      );
  }
  blocks.push(divider(), ...disqualificationBlocks(locale, rb, p.content.disqualifications));
  const own = opts.unit ? p.content.units.find((u) => u.unit === opts.unit) : undefined;
  if (own)
    blocks.push(
      paragraph(
        t(locale, 'msg.year.own', {
          unit: own.unit,
          total: formatNumber(own.total),
          rank: own.rank,
          // the group's size as published (a unit contact's snapshot holds only their own row)
          size: p.content.groups.find((g) => g.group === own.group)?.assessed ?? 0,
        }),
      ),
    );
  return message(blocks, { text: title });
}
