import type { FindingView, UnitBreakdown } from '../../core/assessment-api.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { formatNumber, formatPoints, provisionalMark } from '../../core/messages/format.ts';
import { MAX_LIST_ITEMS } from '../../core/messages/standings.ts';
import {
  actions,
  bold,
  button,
  context,
  divider,
  field,
  fields,
  header,
  list,
  message,
  paragraph,
  text,
  type Block,
  type Button,
  type Inline,
  type Message,
} from '../../core/messages/message.ts';
import type { FindingResult } from '../../rules/engine/types.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import { levelLabel } from '../../core/messages/rulebook-labels.ts';
import { disqualificationName, reasonTexts } from '../../core/messages/finding-reasons.ts';
import { clauseText, groupName, openItemLine, seqLabel, urgencyOf } from './standings-format.ts';

// The /myscore reply (a unit's standing) and its "why did I lose these points" companion.

/** Button on the breakdown: show the findings behind each deduction. Value: the unit's canonical name. */
export const MYSCORE_WHY_ACTION = 'unit.why';

/** Findings listed per section in the "why" message; the rest are counted. */
export const WHY_ITEMS_PER_SECTION = 8;
/** Submit-rectification buttons on one breakdown (the rest are reachable from the notices). */
const MAX_SUBMIT_BUTTONS = 4;

export interface MyScoreMessageOptions {
  /** The asking person is a contact of this unit: open findings get submit buttons. */
  canSubmit: boolean;
  /** Show the "why" button (not on the why message itself). */
  whyButton?: boolean;
  /** Drop the header (App Home has its own). */
  compact?: boolean;
}

/** A list of the first `max` of `all`, rendered by `item` (only those), and "N more". */
function capped<T>(locale: Locale, all: readonly T[], item: (x: T) => Inline[], max = MAX_LIST_ITEMS): Block[] {
  const shown = all.slice(0, max).map(item);
  if (all.length <= max) return [list(shown)];
  return [list(shown), context(t(locale, 'msg.common.more', { count: all.length - max }))];
}

/** Total, base, rank, month, deductions/bonuses/overflow, advanced or not. */
export function scoreSummaryBlocks(rb: Rulebook, locale: Locale, b: UnitBreakdown): Block[] {
  const st = b.standing;
  const rk = b.ranking;
  const group = groupName(rb, locale, b.group);
  // Unit contacts get no live rank and no advanced line (lifecycle.md): their published rank instead.
  const rankFields = rk
    ? [
        field(
          t(locale, 'bot.standing.label.rank'),
          t(locale, 'bot.standing.rank', { rank: rk.rank, size: rk.groupSize, group }),
        ),
      ]
    : b.published
      ? [
          field(
            t(locale, 'bot.standing.label.publishedRank', { month: b.published.month }),
            t(locale, 'bot.standing.rank', { rank: b.published.rank, size: b.published.groupSize, group }) +
              (b.published.advanced ? t(locale, 'bot.standings.published.ownAdvanced') : ''),
          ),
        ]
      : [];
  const advancedFields = rk
    ? [
        field(
          t(locale, 'bot.standing.label.advanced'),
          rk.advanced
            ? t(locale, 'bot.standing.advanced.yes', { quota: rk.groupResult.quota })
            : rk.groupResult.cutScore === null
              ? t(locale, 'bot.standing.advanced.noneChosen')
              : t(locale, 'bot.standing.advanced.no', { cut: formatNumber(rk.groupResult.cutScore) }),
        ),
      ]
    : [];
  // Points under a pending appeal count for now but may change on the ruling: say how many.
  const appealed = new Set(b.findings.filter((f) => f.underAppeal).map((f) => f.id));
  const provisional = st.findings.filter((r) => appealed.has(r.id) && r.status === 'counted');
  const out: Array<Block | false> = [
    paragraph(
      bold(t(locale, 'bot.standing.total', { total: formatNumber(st.total) })),
      t(locale, 'bot.standing.base', { base: formatNumber(st.base) }),
    ),
    provisional.length > 0 &&
      context(
        t(locale, 'bot.standing.provisional', {
          count: provisional.length,
          points: formatPoints(provisional.reduce((a, r) => a + r.points, 0)),
        }),
      ),
    fields(
      ...rankFields,
      field(
        t(locale, 'bot.standing.label.month', { month: b.asOf.slice(0, 7) }),
        t(locale, 'msg.value.points', { points: formatPoints(b.monthPoints) }),
      ),
      field(
        t(locale, 'bot.standing.label.deductions'),
        t(locale, 'msg.value.points', { points: formatNumber(st.deductions) }),
      ),
      field(
        t(locale, 'bot.standing.label.bonuses'),
        t(locale, 'msg.value.points', { points: formatPoints(st.bonuses) }),
      ),
      ...(st.overflow > 0
        ? [
            field(
              t(locale, 'bot.standing.label.overflow'),
              t(locale, 'msg.value.points', { points: formatNumber(st.overflow) }),
            ),
          ]
        : []),
      ...advancedFields,
    ),
    !!rk?.advanced &&
      rk.groupResult.tiedAtCut &&
      rk.groupResult.cutScore === st.total &&
      context(t(locale, 'bot.standing.tiedAtCutYou')),
    rk === null && context(t(locale, b.published ? 'bot.standing.rankPublishedOnly' : 'bot.standing.rankNotPublished')),
  ];
  return out.filter((x): x is Block => x !== false);
}

/** Disqualification warnings, naming the findings that caused them. */
export function disqualificationBlocks(rb: Rulebook, locale: Locale, b: UnitBreakdown): Block[] {
  const st = b.standing;
  if (st.disqualified.length === 0) return [];
  const seqOf = seqIndex(b.findings);
  const out: Block[] = [];
  for (const d of st.disqualified) {
    const causes = st.findings.filter(
      (f) => f.status === 'counted' && f.reasons.some((r) => r.kind === 'disqualifies' && r.disqualification === d),
    );
    out.push(paragraph(bold(t(locale, 'bot.standing.disqualified', { name: disqualificationName(rb, locale, d) }))));
    if (causes.length > 0) {
      out.push(
        context(
          t(locale, 'bot.standing.disqualifiedBy', {
            items: causes
              .map((f) => `${seqOf(f.id)} ${f.clause} (${f.date})`)
              .join(t(locale, 'msg.common.listSeparator')),
          }),
        ),
      );
    }
  }
  return out;
}

export function sectionBlocks(locale: Locale, b: UnitBreakdown): Block[] {
  const shown = b.sections.filter((s) => s.full > 0 || s.deductions > 0);
  if (shown.length === 0) return [];
  const items = shown.map((s) => {
    const parts: Inline[] = [
      text(
        t(locale, 'bot.standing.sectionLine', {
          id: s.id,
          name: s.name,
          score: formatNumber(s.score),
          full: formatNumber(s.full),
        }),
      ),
    ];
    if (s.deductions > 0)
      parts.push(text(t(locale, 'bot.standing.sectionDeducted', { deductions: formatNumber(s.deductions) })));
    if (s.overflow > 0)
      parts.push(bold(t(locale, 'bot.standing.sectionOverflow', { overflow: formatNumber(s.overflow) })));
    return parts;
  });
  const anyOverflow = shown.some((s) => s.overflow > 0);
  return [
    paragraph(bold(t(locale, 'msg.unit.sections'))),
    list(items),
    ...(anyOverflow ? [context(t(locale, 'bot.standing.overflowNote'))] : []),
  ];
}

/** Open rectifications with deadlines, due soon / due today / overdue marked. */
export function openItemBlocks(locale: Locale, b: UnitBreakdown, max = MAX_LIST_ITEMS): Block[] {
  const open = sortOpen(b.openRectifications);
  if (open.length === 0)
    return [paragraph(bold(t(locale, 'msg.unit.open', { count: 0 }))), paragraph(t(locale, 'msg.unit.noOpen'))];
  const overdue = open.filter((f) => urgencyOf(f) === 'overdue').length;
  const soon = open.filter((f) => urgencyOf(f) === 'due_soon' || urgencyOf(f) === 'due_today').length;
  return [
    paragraph(bold(t(locale, 'msg.unit.open', { count: open.length }))),
    ...(overdue + soon > 0 ? [context(t(locale, 'bot.standing.urgentSummary', { overdue, soon }))] : []),
    ...capped(locale, open, (f) => openItemLine(locale, f), max),
  ];
}

/** Overdue first, then by deadline. */
export function sortOpen(open: readonly FindingView[]): FindingView[] {
  const rank = (f: FindingView) =>
    (({ overdue: 0, due_today: 1, due_soon: 2 }) as Record<string, number>)[urgencyOf(f) ?? ''] ?? 3;
  return [...open].sort(
    (a, b) => rank(a) - rank(b) || (a.deadline ?? '').localeCompare(b.deadline ?? '') || a.seq - b.seq,
  );
}

export function submitButtons(locale: Locale, b: UnitBreakdown): Button[] {
  return sortOpen(b.openRectifications)
    .filter((f) => f.status === 'filed')
    .slice(0, MAX_SUBMIT_BUTTONS)
    .map((f) =>
      button(
        `${t(locale, 'msg.button.submitRectification')} ${seqLabel(f.seq)}`,
        ACTION.submitRectification,
        f.id,
        urgencyOf(f) === 'overdue' ? 'danger' : undefined,
      ),
    );
}

export function whyButton(locale: Locale, b: Pick<UnitBreakdown, 'unit'>): Button {
  return button(t(locale, 'bot.standing.button.why'), MYSCORE_WHY_ACTION, b.unit);
}

/** Button on the breakdown: the unit's monthly trend and section chart as pictures. */
export const MYSCORE_CHART_ACTION = 'unit.chart';

function chartButton(locale: Locale, b: Pick<UnitBreakdown, 'unit'>): Button {
  return button(t(locale, 'report.myscore.chartButton'), MYSCORE_CHART_ACTION, b.unit);
}

/** The /myscore reply. */
export function myScoreMessage(rb: Rulebook, locale: Locale, b: UnitBreakdown, opts: MyScoreMessageOptions): Message {
  // Slack wants action ids unique within a block: one block per submit button.
  const buttonBlocks = [
    ...(opts.whyButton === false ? [] : [actions(whyButton(locale, b), chartButton(locale, b))]),
    ...(opts.canSubmit ? submitButtons(locale, b).map((x) => actions(x)) : []),
  ];
  return message(
    [
      !opts.compact && header(t(locale, 'msg.unit.header', { unit: b.unit, asOf: b.asOf })),
      ...scoreSummaryBlocks(rb, locale, b),
      ...disqualificationBlocks(rb, locale, b),
      ...sectionBlocks(locale, b),
      divider(),
      ...openItemBlocks(locale, b),
      ...buttonBlocks,
    ],
    {
      text: `${t(locale, 'msg.unit.header', { unit: b.unit, asOf: b.asOf })} ${t(locale, 'bot.standing.total', { total: formatNumber(b.standing.total) })}`,
    },
  );
}

function seqIndex(findings: readonly FindingView[]): (id: string) => string {
  const bySeq = new Map(findings.map((f) => [f.id, seqLabel(f.seq)] as const));
  return (id) => bySeq.get(id) ?? id;
}

/** "What it is" of a finding: ×count, a measured value, or a level. */
function whatText(rb: Rulebook, locale: Locale, r: FindingResult): string {
  if (r.value !== undefined) return t(locale, 'bot.standing.why.value', { value: formatNumber(r.value) });
  if (r.level !== undefined)
    return t(locale, 'bot.standing.why.level', { level: levelLabel(rb, locale, r.clause, r.level), count: r.count });
  return t(locale, 'bot.standing.why.count', { count: r.count });
}

function calcText(locale: Locale, r: FindingResult): string {
  if (r.multiplier === 1) return t(locale, 'bot.standing.why.points', { points: formatPoints(r.points) });
  return t(locale, 'bot.standing.why.multiplied', {
    base: formatPoints(r.base),
    multiplier: formatNumber(r.multiplier),
    points: formatPoints(r.points),
  });
}

function whyItem(
  rb: Rulebook,
  locale: Locale,
  r: FindingResult,
  seqOf: (id: string) => string,
  provisional: ReadonlySet<string> = new Set(),
): Inline[] {
  const head = t(locale, 'bot.standing.why.item', {
    seq: seqOf(r.id),
    date: r.date,
    clause: r.clause,
    text: clauseText(rb, locale, r.clause),
    what: whatText(rb, locale, r),
  });
  const reasons = reasonTexts(rb, locale, r, seqOf);
  return [
    text(`${head} `),
    bold(calcText(locale, r)),
    // under appeal: the points count, but may change when an organiser rules (lifecycle.md)
    ...(provisional.has(r.id) ? [text(` ${provisionalMark(locale)}`)] : []),
    ...(reasons.length ? [text(`\n${reasons.map((x) => `· ${x}`).join('\n')}`)] : []),
  ];
}

/** "Why did I lose these points": every counted deduction by section, with its multipliers explained. */
export function whyMessage(
  rb: Rulebook,
  locale: Locale,
  b: UnitBreakdown,
  opts: { perSection?: number } = {},
): Message {
  const per = opts.perSection ?? WHY_ITEMS_PER_SECTION;
  const st = b.standing;
  const seqOf = seqIndex(b.findings);
  const provisional = new Set(b.findings.filter((f) => f.underAppeal).map((f) => f.id));
  const counted = st.findings.filter((f) => f.status === 'counted');
  const deductions = counted.filter((f) => f.points < 0);
  const bonuses = counted.filter((f) => f.points > 0);
  const notCounted = st.findings.length - counted.length;
  const blocks: Array<Block | false> = [
    header(t(locale, 'bot.standing.why.header', { unit: b.unit, asOf: b.asOf })),
    paragraph(
      deductions.length === 0
        ? t(locale, 'bot.standing.why.none')
        : t(locale, st.overflow > 0 ? 'bot.standing.why.intro' : 'bot.standing.why.introNoOverflow', {
            deductions: formatNumber(st.deductions),
            count: deductions.length,
            overflow: formatNumber(st.overflow),
          }),
    ),
  ];
  for (const s of b.sections) {
    const here = deductions
      .filter((f) => f.section === s.id)
      .sort((x, y) => x.points - y.points || x.date.localeCompare(y.date));
    if (here.length === 0) continue;
    blocks.push(
      paragraph(
        bold(
          t(locale, 'bot.standing.why.section', {
            id: s.id,
            name: s.name,
            deductions: formatNumber(s.deductions),
            score: formatNumber(s.score),
            full: formatNumber(s.full),
          }),
        ),
      ),
    );
    blocks.push(...capped(locale, here, (r) => whyItem(rb, locale, r, seqOf, provisional), per));
  }
  if (bonuses.length > 0) {
    blocks.push(
      divider(),
      paragraph(bold(t(locale, 'bot.standing.why.bonuses', { bonuses: formatPoints(st.bonuses) }))),
    );
    blocks.push(
      ...capped(
        locale,
        [...bonuses].sort((x, y) => y.points - x.points),
        (r) => whyItem(rb, locale, r, seqOf, provisional),
        per,
      ),
    );
  }
  blocks.push(notCounted > 0 && context(t(locale, 'bot.standing.why.notCounted', { count: notCounted })));
  return message(blocks, { text: t(locale, 'bot.standing.why.header', { unit: b.unit, asOf: b.asOf }) });
}
