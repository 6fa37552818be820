import type { GroupStandings, PublishedStandings } from '../../core/assessment-api.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { formatNumber, provisionalMark } from '../../core/messages/format.ts';
import { MAX_LIST_ITEMS } from '../../core/messages/standings.ts';
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
  text,
  type Block,
  type Inline,
  type Message,
} from '../../core/messages/message.ts';
import { seqLabel, urgencyLabel } from './standings-format.ts';
import { byRankThenName } from '../../core/messages/advanced-cut.ts';

// /standings: every group ranked, the quota line (the cut for advanced units), advanced units
// marked, ties at the cut marked; then what is overdue.

type Group = GroupStandings['groups'][number];

/** Units tied at the cut: not disqualified and scoring exactly the cut, when the tie added units. */
export function tiedAtCut(g: Group): Set<string> {
  if (!g.tiedAtCut || g.cutScore === null) return new Set();
  return new Set(g.units.filter((u) => u.disqualified.length === 0 && u.total === g.cutScore).map((u) => u.unit));
}

export function groupBlocks(locale: Locale, g: Group, opts: { limit?: number } = {}): Block[] {
  const ranked = [...g.units].sort(byRankThenName);
  const tied = tiedAtCut(g);
  const lastAdvanced = ranked.reduce((last, u, i) => (u.advanced ? i : last), -1);
  const items: Inline[][] = [];
  ranked.forEach((u, i) => {
    const line = t(locale, 'msg.standings.unit', { unit: u.unit, total: formatNumber(u.total) });
    items.push([
      text(`${u.rank}. `),
      u.advanced ? bold(line) : text(line),
      ...(u.advanced ? [text(t(locale, 'msg.standings.advanced'))] : []),
      ...(u.disqualified.length > 0 ? [text(t(locale, 'msg.standings.disqualified'))] : []),
      ...(tied.has(u.unit) ? [bold(t(locale, 'bot.standings.tiedMark'))] : []),
    ]);
    if (i === lastAdvanced && i < ranked.length - 1)
      items.push([text(t(locale, 'bot.standings.quotaLine', { quota: g.quota }))]);
  });
  const limit = opts.limit ?? Infinity;
  const shown = items.length > limit ? items.slice(0, limit) : items;
  return [
    paragraph(bold(t(locale, 'msg.standings.group', { group: g.name, assessed: g.assessed, quota: g.quota }))),
    context(
      g.cutScore === null
        ? t(locale, 'bot.standings.noneAdvanced')
        : t(locale, 'bot.standings.cut', {
            cut: formatNumber(g.cutScore),
            advanced: g.advanced.length,
            quota: g.quota,
          }),
    ),
    list(shown),
    ...(items.length > shown.length
      ? [context(t(locale, 'msg.common.more', { count: items.length - shown.length }))]
      : []),
    ...(g.tiedAtCut
      ? [
          context(
            `${t(locale, 'msg.standings.tiedAtCut')} ${t(locale, 'bot.standings.tiedUnits', { units: [...tied].join(t(locale, 'msg.common.listSeparator')) })}`,
          ),
        ]
      : []),
  ];
}

export function overdueBlocks(locale: Locale, s: GroupStandings, max = MAX_LIST_ITEMS): Block[] {
  if (s.overdue.length === 0) return [paragraph(t(locale, 'bot.standings.noOverdue'))];
  const sorted = [...s.overdue].sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? '') || a.seq - b.seq);
  const items = sorted.map((f) => [
    text(
      t(locale, 'bot.standings.overdueItem', {
        unit: f.unit,
        seq: seqLabel(f.seq),
        clause: f.clause,
        deadline: f.deadline ?? '',
        status: urgencyLabel(locale, 'overdue'),
      }) + (f.underAppeal ? ` ${provisionalMark(locale)}` : ''),
    ),
  ]);
  return [
    paragraph(bold(t(locale, 'msg.standings.overdue', { count: s.overdue.length }))),
    list(items.slice(0, max)),
    ...(items.length > max ? [context(t(locale, 'msg.common.more', { count: items.length - max }))] : []),
  ];
}

/** Buttons shown for units with overdue findings; beyond them, how to see the rest. */
export const VIEW_UNIT_BUTTONS = 5;

/**
 * One "view" button per unit with overdue findings (not per finding: 7 overdue findings of 5
 * units are 5 buttons), and a line saying how to see the units beyond the buttons.
 */
export function viewUnitButtons(locale: Locale, s: Pick<GroupStandings, 'overdue'>): Block[] {
  const units = [...new Set(s.overdue.map((f) => f.unit))];
  const shown = units.slice(0, VIEW_UNIT_BUTTONS);
  if (shown.length === 0) return [];
  return [
    context(
      units.length > shown.length
        ? t(locale, 'bot.standings.viewSome', { shown: shown.length, units: units.length })
        : t(locale, 'bot.standings.viewAll', { units: units.length, count: s.overdue.length }),
    ),
    ...shown.map((u) => actions(button(t(locale, 'bot.standings.viewUnitButton', { unit: u }), ACTION.viewUnit, u))),
  ];
}

/** The /standings reply. */
export function standingsMessage(locale: Locale, s: GroupStandings): Message {
  const blocks: Block[] = [header(t(locale, 'bot.standings.header', { year: s.year, asOf: s.asOf }))];
  for (const g of s.groups) blocks.push(...groupBlocks(locale, g), divider());
  blocks.push(...overdueBlocks(locale, s), ...viewUnitButtons(locale, s));
  return message(blocks, { text: t(locale, 'bot.standings.header', { year: s.year, asOf: s.asOf }) });
}

/** What a unit contact may see: the latest published month, or that nothing is published yet. */
export function publishedStandingsMessage(locale: Locale, p: PublishedStandings | null): Message {
  if (!p) return message([paragraph(t(locale, 'bot.standings.published.none'))]);
  const sep = locale === 'en' ? ', ' : '、';
  return message([
    header(t(locale, 'bot.standings.published.header', { month: p.month, asOf: p.asOf })),
    ...p.groups.flatMap((g) => [
      paragraph(
        t(locale, 'bot.standings.published.group', {
          group: g.name,
          assessed: g.assessed,
          units: g.advanced.join(sep) || t(locale, 'bot.standings.published.noAdvanced'),
        }),
      ),
      ...(g.tied.length > 0
        ? [
            context(
              t(locale, 'worker.month.published.tied', {
                group: g.name,
                remaining: g.remaining,
                count: g.tied.length,
                cut: formatNumber(g.cut ?? 0),
                units: g.tied.join(sep),
              }),
            ),
          ]
        : []),
      ...(g.tieBreak
        ? [
            context(
              t(locale, 'msg.publication.groupTieBreak', {
                group: g.name,
                remaining: g.remaining,
                units: g.tieBreak.advanced.join(sep),
                reason: g.tieBreak.reason,
              }),
            ),
          ]
        : []),
    ]),
    p.own &&
      paragraph(
        bold(
          t(locale, 'bot.standings.published.own', {
            unit: p.own.unit,
            total: formatNumber(p.own.total),
            rank: p.own.rank,
            size: p.own.groupSize,
            advanced: p.own.advanced ? t(locale, 'bot.standings.published.ownAdvanced') : '',
          }),
        ),
      ),
    context(t(locale, 'bot.standings.published.note')),
  ]);
}
