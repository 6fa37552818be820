import { describe, expect, it } from 'vitest';
import type { FindingView, GroupStandings, PublishedStandings, UnitBreakdown } from '../../core/assessment-api.ts';
import { forbidden, type Action } from '../../core/authorization.ts';
import { AppError } from '../../core/errors.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { localizeIssueParams } from '../../core/issue-params.ts';
import {
  deadlineChangedMessage,
  findingFiledReplyMessage,
  findingNoticeMessage,
  findingWithdrawnMessage,
  overdueAlertMessage,
  rectificationRejectedMessage,
  rectificationSubmittedMessage,
  rectificationVerifiedMessage,
  reminderMessage,
} from '../../core/messages/findings.ts';
import { type Block, type Inline, inlineToPlain, type Message } from '../../core/messages/message.ts';
import { findingLabels } from '../../core/messages/rulebook-labels.ts';
import {
  errorMessage,
  monthClosedSummaryMessage,
  monthEndReminderForInspectors,
  monthEndReminderForUnit,
  unitBreakdownMessage,
} from '../../core/messages/standings.ts';
import { computeStandings } from '../../rules/engine/compute-standings.ts';
import type { EngineFinding, Standings } from '../../rules/engine/types.ts';
import { checkFinding } from '../../rules/finding-check.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import {
  calendarMissingMessage,
  deliveryAlertMessage,
  findingReminderMessage,
  monthPublishedMessage,
  overdueOrganisersMessage,
  repeatEscalationOf,
  workerNoticeMessage,
} from '../../worker/messages.ts';
import { findingConfirmationMessage, findingHelpMessage, parseErrorMessage } from '../../bot/handlers/finding-reply.ts';
import { unknownHome } from '../../bot/handlers/home.ts';
import { myScoreMessage, whyMessage } from '../../bot/handlers/myscore-message.ts';
import { publishedStandingsMessage, standingsMessage } from '../../bot/handlers/standings-message.ts';
import { periodDraftMessage, publicationMessage } from '../../core/messages/publication.ts';
import type { PublicationContent, PublicationRecord } from '../../core/ports/publications.port.ts';
import type { PeriodDraft } from '../../core/use-cases/months/months-api.ts';

// Every message kind the bot and the worker send, rendered in both languages from the real
// rulebook, and read as a person would: no code of ours may show (a group, level, source,
// disqualification, action, role or state id), and no placeholder may be left unfilled or filled
// with nothing ("请  立即整改", "（）", "0 / 0").

const rb = loadRulebook('hz-2017');
const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
const ACTIONS: Action[] = [
  'finding.file',
  'finding.withdraw',
  'finding.change_deadline',
  'finding.view',
  'finding.record_notice',
  'rectification.submit',
  'rectification.review',
  'breakdown.any_unit',
  'standings.view',
  'standings.view_published',
  'members.manage',
  'members.set_own_locale',
  'channels.look_up',
  'contacts.look_up',
  'month.manage',
  'month.view_draft',
];

/** Our codes that must never reach a reader. Codes that are also English words are checked in zh-CN only. */
function codes(): { always: string[]; zhOnly: string[] } {
  const all = new Set<string>([
    ...rb.data.groups.map((g) => g.id),
    ...rb.settings.sources,
    ...rb.data.disqualifications.map((d) => d.id),
    ...[...rb.clauses.values()].flatMap((c) => (c.kind === 'tiered' ? c.levels.map((l) => l.id) : [])),
    ...ACTIONS,
    'organiser',
    'inspector',
    'unit_contact',
    'filed',
    'submitted',
    'verified',
    'withdrawn',
    'counted',
    'superseded',
  ]);
  const always = [...all].filter((c) => /[_.]/.test(c));
  return { always, zhOnly: [...all].filter((c) => !always.includes(c)) };
}
const CODES = codes();

/** Every piece of text a person reads in a message, one string per block part. */
function readable(m: Message): string[] {
  const plain = (c: readonly Inline[]) => inlineToPlain(c, (id) => `@${id}`);
  const out: string[] = [m.text];
  const visit = (b: Block) => {
    switch (b.type) {
      case 'header':
        out.push(b.text);
        break;
      case 'paragraph':
      case 'context':
        out.push(plain(b.content));
        break;
      case 'fields':
        for (const f of b.fields) {
          out.push(`${f.label}: ${plain(f.value)}`);
          expect(plain(f.value).trim(), `field "${f.label}" has a value`).not.toBe('');
        }
        break;
      case 'list':
        for (const i of b.items) out.push(plain(i));
        break;
      case 'actions':
        for (const x of b.buttons) out.push(x.label);
        break;
      case 'divider':
        break;
    }
  };
  m.blocks.forEach(visit);
  return out;
}

function problems(locale: Locale, m: Message): string[] {
  const found: string[] = [];
  for (const s of readable(m)) {
    if (/\{\w+\}/.test(s)) found.push(`unfilled placeholder: ${s}`);
    if (/\S {2,}\S/.test(s.replace(/\n +/g, '\n'))) found.push(`empty placeholder (two spaces): ${s}`);
    if (/（）|\(\)|“”|""|「」|：[。，]|、、|, ,|,\./.test(s)) found.push(`empty placeholder: ${s}`);
    if (/\b(undefined|null|NaN)\b/.test(s)) found.push(`undefined value: ${s}`);
    if (/(^|[^\d.])0 \/ 0\b/.test(s)) found.push(`0 / 0: ${s}`);
    const words = s.replace(/https?:\/\/\S+/g, '').replace(/@U\w+/g, '');
    for (const c of CODES.always) if (words.includes(c)) found.push(`untranslated code ${c}: ${s}`);
    // What to type may be shown beside its label: "市领导批示肯定（city）", "lead/support（牵头/配合）".
    const prose = words.replace(/（[a-z]+）/g, '').replace(/[a-z]+(\/[a-z]+)+/g, '');
    if (locale === 'zh-CN')
      for (const c of CODES.zhOnly)
        if (new RegExp(`(^|[^A-Za-z_])${c}($|[^A-Za-z_])`).test(prose)) found.push(`untranslated code ${c}: ${s}`);
  }
  return found;
}

// ---- a small year: 市公安局 with an overdue repeat, a province-level bonus, a measured finding ----

const TODAY = '2017-10-09';
const engine: EngineFinding[] = [
  f('F1', '市公安局', '2.1.1a', '2017-09-05', { count: 3, source: 'provincial_inspection', deadline: '2017-09-19' }),
  f('F2', '市公安局', '2.1.1a', '2017-09-25', { deadline: '2017-10-13' }),
  f('F3', '市公安局', '6.1.1a', '2017-09-08', { level: 'province', deadline: null }),
  f('F4', '市科委', '1.1.1a', '2017-09-12', { value: 82.4, deadline: null }),
  f('F5', '市统计局', '1.1.1a', '2017-09-12', { value: 90, deadline: null }),
];
function f(id: string, unit: string, clause: string, date: string, over: Partial<EngineFinding> = {}): EngineFinding {
  return {
    id,
    unit,
    clause,
    date,
    filedSeq: Number(id.slice(1)),
    count: 1,
    source: 'routine',
    deadline: null,
    rectifiedOn: null,
    withdrawn: false,
    ...over,
  } as EngineFinding;
}
const standings: Standings = computeStandings(rb, {
  year: 2017,
  asOf: TODAY,
  units: rb.data.units.map((u) => u.name),
  findings: engine,
});

function view(e: EngineFinding, over: Partial<FindingView> = {}): FindingView {
  const clause = rb.clauses.get(e.clause)!;
  return {
    id: `00000000-0000-4000-8000-00000000000${e.filedSeq}`,
    seq: 30 + e.filedSeq,
    rulebookId: 'hz-2017',
    unit: e.unit,
    group: rb.units.get(e.unit)!.group,
    clause: e.clause,
    section: clause.section,
    date: e.date,
    count: e.count,
    value: e.value ?? null,
    level: e.level ?? null,
    source: e.source,
    deadline: e.deadline,
    status: 'filed',
    rectifiedOn: null,
    overdue: e.deadline !== null && e.deadline < TODAY,
    workingDaysLeft: e.deadline === null ? null : rb.calendar.workingDaysBetween(TODAY, e.deadline),
    evidenceText: '窗口未公示办事指南',
    evidenceLinks: ['https://example.gov.cn/e/1'],
    filedBy: {
      memberId: 2,
      platform: 'slack',
      externalId: 'U0INSPECT',
      displayName: '王督查',
      identities: [{ platform: 'slack', externalId: 'U0INSPECT' }],
    },
    filedAt: `${e.date}T02:00:00.000Z`,
    withdrawReason: null,
    noticeRef: null,
    underAppeal: false,
    ...over,
  };
}
const overdue = view(engine[0]!);
const open = view(engine[1]!);
const bonus = view(engine[2]!);
const measured = view(engine[3]!);
const resultOf = (id: string) => standings.units.flatMap((u) => u.findings).find((r) => r.id === id)!;

function groupStandings(locale: Locale): GroupStandings {
  return {
    asOf: TODAY,
    year: 2017,
    groups: Object.values(standings.groups).map((g) => ({
      ...g,
      name: rb.data.groups.find((x) => x.id === g.group)!.name[locale],
      units: standings.units
        .filter((u) => u.group === g.group)
        .map((u) => ({
          unit: u.unit,
          total: u.total,
          rank: u.rank,
          advanced: u.advanced,
          disqualified: u.disqualified,
        })),
    })),
    overdue: [overdue],
  };
}

function breakdown(locale: Locale, live: boolean): UnitBreakdown {
  const st = standings.units.find((u) => u.unit === '市公安局')!;
  const { rank, advanced, ...own } = st;
  const group = standings.groups[st.group]!;
  return {
    unit: st.unit,
    group: st.group,
    groupName: rb.data.groups.find((g) => g.id === st.group)!.name[locale],
    asOf: TODAY,
    standing: own,
    ranking: live ? { rank, advanced, groupSize: group.assessed, groupResult: group } : null,
    published: live ? null : { month: '2017-09', total: 92, rank: 43, groupSize: 43, advanced: false },
    monthPoints: -2,
    sections: st.sections.map((s) => ({ ...s, name: rb.sections.get(s.id)!.name[locale] })),
    openRectifications: [overdue, open],
    findings: [overdue, open, bonus],
  };
}

function published(locale: Locale): PublishedStandings {
  return {
    month: '2017-09',
    asOf: '2017-09-30',
    groups: [
      {
        group: 'without_matters',
        name: rb.data.groups.find((g) => g.id === 'without_matters')!.name[locale],
        assessed: 16,
        quota: 3,
        advanced: ['市总工会'],
        tied: ['团市委', '市信访局'],
        remaining: 2,
        cut: 20,
        tieBreak: null,
      },
    ],
    own: { unit: '市公安局', group: 'with_matters', total: 92, rank: 43, groupSize: 43, advanced: false },
  };
}

/** Errors as core raises them: refusals for every action, and the rulebook's checks with real codes. */
function errors(): AppError[] {
  const contact = {
    memberId: 9,
    platform: 'slack',
    externalId: 'U0C',
    role: 'unit_contact' as const,
    unit: '市公安局',
    locale: 'zh-CN' as const,
    displayName: null,
  };
  const out = ACTIONS.map((a) => forbidden(contact, a));
  const bad = [
    { unit: '市统计局', clause: '2.1.1a', date: '2017-09-05' }, // not applicable to its group
    { unit: '市公安局', clause: '6.1.1a', date: '2017-09-05' }, // level required
    { unit: '市公安局', clause: '6.1.1a', date: '2017-09-05', level: 'planet' },
    { unit: '市公安局', clause: '2.1.1a', date: '2017-09-05', source: 'rumour' },
    { unit: '市公按局', clause: '2.1.1a', date: '2017-09-05' },
    { unit: '市公安局', clause: '2.1.1z', date: '2017-09-05' },
  ];
  for (const cmd of bad) {
    const r = checkFinding(rb, cmd, { year: 2017 });
    expect(r.ok).toBe(false);
    if (!r.ok)
      for (const i of r.issues)
        out.push(new AppError(`FINDING.${i.code}`, i.message, { field: i.field, params: localizeIssueParams(rb, i) }));
  }
  return out;
}

function everyMessage(locale: Locale): Array<[string, Message]> {
  const labels = (x: FindingView) => findingLabels(rb, locale, x);
  const esc = repeatEscalationOf(rb, standings, '市公安局', '2.1.1a');
  const out: Array<[string, Message]> = [
    ['notice (deduction)', findingNoticeMessage(locale, open, { ...labels(open), contacts: ['U0CONTACT'] })],
    ['notice (no contacts)', findingNoticeMessage(locale, open, labels(open))],
    ['notice (bonus)', findingNoticeMessage(locale, bonus, { ...labels(bonus), result: resultOf('F3') })],
    ['notice (measured)', findingNoticeMessage(locale, measured, { ...labels(measured), result: resultOf('F4') })],
    [
      'notice (verified)',
      findingNoticeMessage(locale, view(engine[1]!, { status: 'verified', rectifiedOn: '2017-10-01' }), labels(open)),
    ],
    [
      'filed reply',
      findingFiledReplyMessage(
        locale,
        { finding: bonus, created: true, result: resultOf('F3'), published: true, earlier: [] },
        labels(bonus),
      ),
    ],
    [
      'confirmation',
      findingConfirmationMessage(
        rb,
        locale,
        { finding: overdue, created: false, result: resultOf('F1'), published: false, earlier: [] },
        {
          platform: 'slack',
          notice: { kind: 'no_channel' },
        },
      ),
    ],
    [
      'confirmation (the worker posts the notice)',
      findingConfirmationMessage(
        rb,
        locale,
        { finding: bonus, created: true, result: resultOf('F3'), published: true, earlier: [] },
        { platform: 'slack', notice: { kind: 'queued' } },
      ),
    ],
    ['reminder due soon', reminderMessage(locale, 'due_soon', open, { ...labels(open), contacts: ['U0CONTACT'] })],
    ['reminder due today (no contacts)', reminderMessage(locale, 'due_today', open, labels(open))],
    [
      'reminder overdue (worker)',
      findingReminderMessage(locale, rb, 'overdue-1', overdue, {
        platform: 'slack',
        contacts: [],
        overdueMaxTimes: 5,
        overdueSent: 0,
        repeat: esc,
      }),
    ],
    ['overdue alert', overdueAlertMessage(locale, overdue, labels(overdue))],
    ['overdue alert (worker)', overdueOrganisersMessage(locale, rb, overdue, { platform: 'slack', repeat: esc })],
    ['worker notice', workerNoticeMessage(locale, rb, bonus, { platform: 'slack', contacts: [] })],
    [
      'rectification submitted',
      rectificationSubmittedMessage(locale, view(engine[1]!, { status: 'submitted' }), { ...labels(open), by: 'U0C' }),
    ],
    [
      'rectification submitted, after it was verified',
      rectificationSubmittedMessage(locale, view(engine[1]!, { status: 'verified', rectifiedOn: '2017-10-01' }), {
        ...labels(open),
        by: 'U0C',
      }),
    ],
    [
      'rectification submitted, after it was sent back',
      rectificationSubmittedMessage(locale, view(engine[1]!, { status: 'filed' }), { ...labels(open), by: null }),
    ],
    [
      'rectification reviewed',
      rectificationSubmittedMessage(locale, view(engine[1]!, { status: 'verified' }), { ...labels(open), by: null }),
    ],
    [
      'rectification verified',
      rectificationVerifiedMessage(locale, view(engine[1]!, { status: 'verified', rectifiedOn: '2017-10-01' }), {
        by: 'U0I',
      }),
    ],
    ['rectification rejected', rectificationRejectedMessage(locale, open, { by: 'U0I', reason: '证明材料不全' })],
    [
      'withdrawn',
      findingWithdrawnMessage(locale, view(engine[1]!, { status: 'withdrawn', withdrawReason: '重复' }), { by: 'U0I' }),
    ],
    ['deadline changed', deadlineChangedMessage(locale, open, { from: '2017-10-10', reason: '国庆顺延' })],
    ['month end (inspectors)', monthEndReminderForInspectors(locale, { month: '2017-10', closeDate: '2017-10-31' })],
    [
      'month end (unit)',
      monthEndReminderForUnit(locale, { month: '2017-10', closeDate: '2017-10-31', unit: '市公安局', open: [open] }),
    ],
    [
      'month closed summary',
      monthClosedSummaryMessage(locale, { month: '2017-09', standings: groupStandings(locale) }),
    ],
    ['month closed unit', unitBreakdownMessage(locale, breakdown(locale, true), { month: '2017-09' })],
    [
      'month published',
      monthPublishedMessage(locale, {
        month: '2017-09',
        unit: '市公安局',
        standings: groupStandings(locale),
        policy: { advancedUnits: true, ownResult: true },
        detailSentPrivately: true,
      })!,
    ],
    ['calendar missing', calendarMissingMessage(locale, 2018)],
    [
      'delivery alert',
      deliveryAlertMessage(locale, {
        what: '到期提醒',
        target: '市公安局',
        reason: 'channel_not_found',
        unknown: false,
      }),
    ],
    ['myscore (staff)', myScoreMessage(rb, locale, breakdown(locale, true), { canSubmit: false })],
    ['myscore (contact)', myScoreMessage(rb, locale, breakdown(locale, false), { canSubmit: true })],
    [
      'myscore (contact, nothing published)',
      myScoreMessage(rb, locale, { ...breakdown(locale, false), published: null }, { canSubmit: true }),
    ],
    ['why', whyMessage(rb, locale, breakdown(locale, true))],
    ['standings', standingsMessage(locale, groupStandings(locale))],
    ['published standings', publishedStandingsMessage(locale, published(locale))],
    ['finding help', findingHelpMessage(locale, rb)],
    [
      'parse error',
      parseErrorMessage(locale, [
        { field: 'unit', problem: 'unknown_unit', value: '市公按局', suggestions: ['市公安局'] },
        { field: 'evidence', problem: 'too_long', value: '…' },
        { field: 'source', problem: 'conflict', value: '省督查 / 市督查' },
      ]),
    ],
    ['unknown home', unknownHome(locale, 'slack', 'U0NEW')],
  ];
  out.push(...publicationMessages(locale));
  for (const e of errors())
    out.push([`error ${e.code} ${JSON.stringify(e.params).slice(0, 40)}`, errorMessage(locale, e)]);
  return out;
}

/** The month review cycle's messages (core/messages/publication.ts): a draft, a republished month, the year. */
function publicationMessages(locale: Locale): Array<[string, Message]> {
  const content: PublicationContent = {
    groups: [
      {
        group: 'without_matters',
        assessed: 16,
        quota: 3,
        advanced: ['市总工会', '团市委', '市信访局'],
        tied: ['团市委', '市信访局', '市妇联'],
        remaining: 2,
        cut: 20,
        tieBreak: { method: 'named', advanced: ['团市委', '市信访局'], reason: '考核办会议决定' },
      },
      {
        group: 'with_matters',
        assessed: 43,
        quota: 8,
        advanced: ['市科委'],
        tied: ['市发改委', '市教育局'],
        remaining: 7,
        cut: 100,
        tieBreak: null,
      },
    ],
    units: [
      {
        unit: '市总工会',
        group: 'without_matters',
        total: 21,
        base: 20,
        rank: 1,
        advanced: true,
        deductions: 0,
        bonuses: 1,
        disqualified: [],
      },
      {
        unit: '市公安局',
        group: 'with_matters',
        total: 92,
        base: 100,
        rank: 43,
        advanced: false,
        deductions: 8,
        bonuses: 0,
        disqualified: ['year_end_excellence'],
      },
    ],
    disqualifications: [
      {
        unit: '市公安局',
        group: 'with_matters',
        disqualification: 'year_end_excellence',
        findings: [{ id: 'f1', seq: 12, clause: '1.1.3a', date: '2017-09-20' }],
      },
      { unit: '市审管办', group: 'without_matters', disqualification: 'special_award', findings: [] },
    ],
  };
  const changes = [
    {
      unit: '市科委',
      group: 'with_matters',
      before: { total: 98, rank: 30, advanced: false },
      after: { total: 100, rank: 1, advanced: true },
    },
    { unit: '市妇联', group: 'without_matters', before: null, after: { total: 20, rank: 3, advanced: false } },
  ];
  const pub: PublicationRecord = {
    id: 1,
    rulebookId: 'hz-2017',
    year: 2017,
    period: '2017-09',
    version: 2,
    asOf: '2017-09-30',
    ledgerVersion: 7n,
    content,
    changes,
    reason: '市科委事项复核撤销',
    publishedById: 1,
    publishedBy: 'organiser:slack:U0ORG',
    publishedAt: new Date('2017-10-09T02:00:00Z'),
    reopened: null,
  };
  const finding = { id: 'f1', seq: 12, unit: '市公安局', clause: '1.1.3a', date: '2017-09-20' };
  const draft: PeriodDraft = {
    period: '2017-10',
    kind: 'month',
    asOf: '2017-10-31',
    monthState: 'closed',
    decemberPublished: false,
    latest: { version: 1, reopened: { at: new Date(), byId: 1, reason: '更正' }, publishedAt: new Date() },
    content,
    openTies: [{ group: 'with_matters', tied: ['市发改委', '市教育局'], remaining: 7, cut: 100 }],
    comparedWith: { period: '2017-10', version: 1 },
    changes,
    lateFindings: [finding],
    pendingAppeals: [finding],
    pendingExtensions: [{ ...finding, deadline: '2017-10-20', requested: '2017-10-27' }],
  };
  return [
    ['month draft', periodDraftMessage(locale, rb, draft)],
    [
      'year draft',
      periodDraftMessage(locale, rb, {
        ...draft,
        period: '2017',
        kind: 'year',
        monthState: null,
        latest: null,
        openTies: [],
      }),
    ],
    ['month republished (retrieved)', publicationMessage(locale, rb, { ...pub, latestVersion: 2 }, { ranks: true })],
    [
      'month v1 reopened (contact)',
      publicationMessage(
        locale,
        rb,
        {
          ...pub,
          version: 1,
          changes: [],
          reason: null,
          reopened: { at: new Date(), byId: 1, reason: '更正' },
          latestVersion: 2,
        },
        { ranks: false, unit: '市公安局' },
      ),
    ],
    [
      'year results',
      publicationMessage(
        locale,
        rb,
        { ...pub, period: '2017', asOf: '2017-12-31', version: 1, changes: [], reason: null },
        { ranks: false, unit: '市公安局' },
      ),
    ],
    [
      'published standings with a tie-break',
      publishedStandingsMessage(locale, {
        ...published(locale),
        groups: published(locale).groups.map((g) => ({
          ...g,
          tied: [],
          tieBreak: { advanced: ['团市委'], reason: '考核办会议决定' },
        })),
      }),
    ],
  ];
}

describe('every rendered message, in both languages', () => {
  for (const locale of LOCALES) {
    it.each(everyMessage(locale).map(([name, m]) => [name, m] as const))(`${locale}: %s`, (_name, m) => {
      expect(problems(locale, m)).toEqual([]);
    });
  }

  it('the checker itself catches a raw code and an empty mention', () => {
    const m = reminderMessage('zh-CN', 'overdue', overdue, { contacts: [] });
    expect(problems('zh-CN', { ...m, text: '在with_matters排名第 29 / 43' })).toHaveLength(1);
    expect(problems('zh-CN', { ...m, text: '请  立即整改' })).toHaveLength(1);
    expect(problems('zh-CN', { ...m, text: '等级: province' })).toHaveLength(1);
  });

  it('says exactly what is true about the findings it shows', () => {
    const zh = (m: Message) => readable(m).join('\n');
    // bonus and measured findings need no rectification: never "待整改"
    expect(zh(findingNoticeMessage('zh-CN', bonus, findingLabels(rb, 'zh-CN', bonus)))).toContain(
      '状态: 已记录（无需整改）',
    );
    expect(zh(findingNoticeMessage('zh-CN', measured, findingLabels(rb, 'zh-CN', measured)))).not.toContain('待整改');
    // the level as its label
    expect(zh(findingNoticeMessage('zh-CN', bonus, findingLabels(rb, 'zh-CN', bonus)))).toContain(
      '等级: 省领导批示肯定',
    );
    // the escalation as it is: two overdue findings of 2.1.1a? one here (F1), so the next counts ×2
    expect(repeatEscalationOf(rb, standings, '市公安局', '2.1.1a')).toEqual({ count: 1, factor: 2, base: 2 });
    // the count counts what was sent: the first overdue reminder sent is "1", whatever its stage
    const first = findingReminderMessage('zh-CN', rb, 'overdue-5', overdue, {
      platform: 'slack',
      contacts: ['U0CONTACT'],
      overdueMaxTimes: 5,
      overdueSent: 0,
    });
    expect(zh(first)).toContain('第 1 次提醒，最多 5 次。');
    // a review message updated after the inspector's decision names the unit, not the inspector
    const reviewed = rectificationSubmittedMessage('zh-CN', view(engine[1]!, { status: 'verified' }), { by: null });
    expect(zh(reviewed)).toContain('市公安局提交了事项 #32 的整改情况。');
    expect(reviewed.mentions).toEqual([]);
  });
});
