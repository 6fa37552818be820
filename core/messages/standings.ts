import { findingNumber } from './findings.ts';
import type { FindingView, GroupStandings, UnitBreakdown } from '../assessment-api.ts';
import type { AppError } from '../errors.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { ACTION } from './actions.ts';
import { byRankThenName } from './advanced-cut.ts';
import { findingListItem } from './findings.ts';
import { formatNumber, formatPoints, people } from './format.ts';
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
  type Inline,
  type Message,
} from './message.ts';

// Month-end and standings messages, the unit breakdown, and the error reply.

/** Longest list rendered in one message; the rest is summarised as "N more". */
export const MAX_LIST_ITEMS = 20;

function cappedList(locale: Locale, items: Inline[][], ordered = false): Block[] {
  if (items.length <= MAX_LIST_ITEMS) return [list(items, { ordered })];
  return [
    list(items.slice(0, MAX_LIST_ITEMS), { ordered }),
    context(t(locale, 'msg.common.more', { count: items.length - MAX_LIST_ITEMS })),
  ];
}

/** To inspectors, a few working days before the month closes. */
export function monthEndReminderForInspectors(locale: Locale, p: { month: string; closeDate: string }): Message {
  return message([
    header(t(locale, 'msg.month.endReminder.header', { month: p.month })),
    paragraph(t(locale, 'msg.month.endReminder.inspectors', p)),
  ]);
}

/** To a unit with open findings, a few working days before the month closes. */
export function monthEndReminderForUnit(
  locale: Locale,
  p: { month: string; closeDate: string; unit: string; open: readonly FindingView[]; contacts?: readonly string[] },
): Message {
  return message([
    header(t(locale, 'msg.month.endReminder.header', { month: p.month })),
    paragraph(
      t(locale, 'msg.month.endReminder.unit', {
        month: p.month,
        closeDate: p.closeDate,
        unit: p.unit,
        count: p.open.length,
      }),
    ),
    ...cappedList(
      locale,
      p.open.map((f) => findingListItem(locale, f)),
    ),
    p.contacts && p.contacts.length > 0 && paragraph(...people(locale, p.contacts)),
  ]);
}

/** To the organisers' channel when a month closes: every group, ranked, and what is overdue. */
export function monthClosedSummaryMessage(
  locale: Locale,
  p: { month: string; standings: Omit<GroupStandings, 'overdue'> & { overdue: readonly OverdueLine[] } },
): Message {
  const s = p.standings;
  const blocks: Block[] = [
    header(t(locale, 'msg.month.closed.header', { month: p.month })),
    paragraph(t(locale, 'msg.month.closed.intro', { asOf: s.asOf, year: s.year })),
  ];
  for (const g of s.groups) {
    blocks.push(
      divider(),
      paragraph(bold(t(locale, 'msg.standings.group', { group: g.name, assessed: g.assessed, quota: g.quota }))),
    );
    const ranked = [...g.units].sort(byRankThenName);
    blocks.push(
      list(
        ranked.map((u) => [
          text(`${u.rank}. `),
          u.advanced
            ? bold(t(locale, 'msg.standings.unit', { unit: u.unit, total: formatNumber(u.total) }))
            : text(t(locale, 'msg.standings.unit', { unit: u.unit, total: formatNumber(u.total) })),
          ...(u.advanced ? [text(t(locale, 'msg.standings.advanced'))] : []),
          ...(u.disqualified.length > 0 ? [text(t(locale, 'msg.standings.disqualified'))] : []),
        ]),
      ),
    );
    if (g.tiedAtCut) blocks.push(context(t(locale, 'msg.standings.tiedAtCut')));
  }
  if (s.overdue.length > 0) {
    blocks.push(divider(), paragraph(bold(t(locale, 'msg.standings.overdue', { count: s.overdue.length }))));
    blocks.push(
      ...cappedList(
        locale,
        s.overdue.map((f) => [
          text(
            t(locale, 'msg.standings.overdueItem', {
              unit: f.unit,
              id: findingNumber(f),
              clause: f.clause,
              deadline: f.deadline ?? '',
            }),
          ),
        ]),
      ),
    );
  }
  return message(blocks, { text: t(locale, 'msg.month.closed.header', { month: p.month }) });
}

/** An overdue finding as the ranked summary lists it. */
type OverdueLine = Pick<FindingView, 'unit' | 'seq' | 'clause' | 'deadline'>;

/**
 * What a breakdown message shows: a live breakdown, or a published month's frozen one (its open
 * rectifications as lines, each section's bonus given since its findings are not kept).
 */
export type BreakdownText = Omit<UnitBreakdown, 'openRectifications' | 'findings' | 'sections'> & {
  sections: ReadonlyArray<UnitBreakdown['sections'][number] & { bonus?: number }>;
  openRectifications: ReadonlyArray<Parameters<typeof findingListItem>[1] & Pick<FindingView, 'id'>>;
};

/** A unit's breakdown: score, rank, sections, open findings. `month` makes it the month-close version. */
export function unitBreakdownMessage(locale: Locale, b: BreakdownText, opts: { month?: string } = {}): Message {
  const st = b.standing;
  const rk = b.ranking;
  const head = opts.month
    ? t(locale, 'msg.month.closed.unitHeader', { month: opts.month, unit: b.unit })
    : t(locale, 'msg.unit.header', { unit: b.unit, asOf: b.asOf });
  return message([
    header(head),
    paragraph(
      t(locale, 'msg.unit.summary', {
        total: formatNumber(st.total),
        base: formatNumber(st.base),
        deductions: formatNumber(st.deductions),
        bonuses: formatNumber(st.bonuses),
        monthPoints: formatPoints(b.monthPoints),
      }),
    ),
    rk && paragraph(t(locale, 'msg.unit.rank', { group: b.groupName, rank: rk.rank, size: rk.groupSize })),
    rk?.advanced && context(t(locale, 'msg.unit.advanced')),
    st.disqualified.length > 0 &&
      context(
        t(locale, 'msg.unit.disqualified', { reasons: st.disqualified.join(t(locale, 'msg.common.listSeparator')) }),
      ),
    b.sections.length > 0 && paragraph(bold(t(locale, 'msg.unit.sections'))),
    fields(...sectionFields(locale, b)),
    divider(),
    paragraph(bold(t(locale, 'msg.unit.open', { count: b.openRectifications.length }))),
    ...(b.openRectifications.length === 0
      ? [paragraph(t(locale, 'msg.unit.noOpen'))]
      : cappedList(
          locale,
          b.openRectifications.map((f) => findingListItem(locale, f)),
        )),
    ...b.openRectifications
      .filter((f) => f.status === 'filed' && f.deadline !== null)
      .slice(0, 5)
      .map((f) =>
        actions(
          button(
            `${t(locale, 'msg.button.submitRectification')} ${findingNumber(f)}`,
            ACTION.submitRectification,
            f.id,
          ),
        ),
      ),
  ]);
}

/**
 * One field per section: score / full. A bonus-only section (full score 0, like 6.1) shows the
 * bonus it earned, or nothing — never "0 / 0".
 */
function sectionFields(locale: Locale, b: BreakdownText) {
  return b.sections.flatMap((s) => {
    if (s.full > 0 || s.deductions > 0)
      return [
        field(s.name, t(locale, 'msg.unit.section', { score: formatNumber(s.score), full: formatNumber(s.full) })),
      ];
    const bonus =
      s.bonus ??
      b.standing.findings
        .filter((f) => f.section === s.id && f.status === 'counted' && f.points > 0)
        .reduce((a, f) => a + f.points, 0);
    return bonus > 0 ? [field(s.name, t(locale, 'msg.unit.sectionBonus', { bonus: formatPoints(bonus) }))] : [];
  });
}

/** The reply to a refused or failed request: the AppError's user message and its code in small print. */
export function errorMessage(locale: Locale, error: AppError, ref?: string): Message {
  const userText = error.userMessage(locale);
  const code = ref
    ? t(locale, 'msg.error.codeRef', { code: error.code, ref })
    : t(locale, 'msg.error.code', { code: error.code });
  return message([paragraph(userText), context(code)], { text: userText });
}
