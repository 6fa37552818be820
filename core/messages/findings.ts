import type { FiledFinding, FindingView } from '../assessment-api.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import type { FindingResult } from '../../rules/engine/types.ts';
import { ACTION } from './actions.ts';
import {
  deadlineText,
  formatNumber,
  formatPoints,
  people,
  personInline,
  sourceLabel,
  findingStatusLabel,
  provisionalMark,
  tInline,
  type InlineParam,
} from './format.ts';
import {
  actions,
  bold,
  button,
  context,
  field,
  fields,
  header,
  link,
  list,
  message,
  mention,
  paragraph,
  text,
  type Block,
  type Field,
  type Inline,
  type Message,
} from './message.ts';

// Messages about one finding: the notice to the unit, the reply to the inspector, the
// reminder stages of spec/lifecycle.md and the rectification round trip.

export interface FindingMessageOptions {
  /** The messenger's platform; people on it are mentioned, others are named. */
  platform?: string;
  /** Clause title from the rulebook, shown beside the clause id. */
  clauseTitle?: string;
  /** Section name from the rulebook, shown instead of the section id. */
  sectionName?: string;
  /** Level label from the rulebook ("省级"), shown instead of the level id ("province"). */
  levelLabel?: string;
  /** The finding's result in the ledger, for its points. */
  result?: FindingResult;
}

export type ReminderStage = 'due_soon' | 'due_today' | 'overdue';

/** How people refer to a finding: its filing number, not its storage id. */
export function findingNumber(f: Pick<FindingView, 'seq'>): string {
  return `#${f.seq}`;
}

/** Key facts of a finding as label/value fields. */
export function findingFields(locale: Locale, f: FindingView, opts: FindingMessageOptions = {}): Field[] {
  const out: Field[] = [
    field(t(locale, 'msg.label.finding'), bold(findingNumber(f))),
    field(t(locale, 'msg.label.clause'), opts.clauseTitle ? `${f.clause} ${opts.clauseTitle}` : f.clause),
    field(t(locale, 'msg.label.section'), opts.sectionName ?? f.section),
    field(t(locale, 'msg.label.date'), f.date),
    field(t(locale, 'msg.label.source'), sourceLabel(locale, f.source)),
  ];
  if (f.count !== 1) out.push(field(t(locale, 'msg.label.count'), String(f.count)));
  if (f.value !== null)
    out.push(field(t(locale, 'msg.label.value'), t(locale, 'msg.value.percent', { value: formatNumber(f.value) })));
  if (f.level !== null) out.push(field(t(locale, 'msg.label.level'), opts.levelLabel ?? f.level));
  if (f.deadline !== null) out.push(field(t(locale, 'msg.label.deadline'), deadlineText(locale, f)));
  out.push(field(t(locale, 'msg.label.status'), findingStatusLabel(locale, f)));
  if (opts.result) {
    const points = t(locale, 'msg.value.points', { points: formatPoints(opts.result.points) });
    out.push(field(t(locale, 'msg.label.points'), f.underAppeal ? `${points} ${provisionalMark(locale)}` : points));
  }
  out.push(field(t(locale, 'msg.label.filedBy'), personInline(f.filedBy, opts.platform)));
  return out;
}

/** The evidence text and links, or nothing when there are none. */
export function evidenceBlocks(locale: Locale, f: Pick<FindingView, 'evidenceText' | 'evidenceLinks'>): Block[] {
  const out: Block[] = [];
  if (f.evidenceText.trim() !== '')
    out.push(paragraph(bold(t(locale, 'msg.label.evidence')), '\n', f.evidenceText.trim()));
  if (f.evidenceLinks.length > 0) out.push(list(f.evidenceLinks.map((url) => link(url))));
  return out;
}

const rectifiable = (f: FindingView) => f.deadline !== null && (f.status === 'filed' || f.status === 'submitted');

/** Posted to the unit's group chat when a finding is filed (stage "notice"). */
export function findingNoticeMessage(
  locale: Locale,
  f: FindingView,
  opts: FindingMessageOptions & { contacts?: readonly string[] } = {},
): Message {
  const filer = personInline(f.filedBy, opts.platform);
  const contacts = opts.contacts ?? [];
  let intro: Inline[];
  // Once verified or withdrawn the notice no longer asks for a rectification.
  if (rectifiable(f)) {
    intro =
      contacts.length > 0
        ? tInline(locale, 'msg.finding.notice.rectify', { filer, unit: f.unit, people: people(locale, contacts) })
        : tInline(locale, 'msg.finding.notice.rectifyNoContacts', { filer, unit: f.unit });
  } else if (f.value !== null) {
    intro = tInline(locale, 'msg.finding.notice.measured', { filer, unit: f.unit });
  } else if (opts.result && opts.result.points > 0) {
    intro = tInline(locale, 'msg.finding.notice.bonus', { filer, unit: f.unit });
  } else {
    intro = tInline(locale, 'msg.finding.notice.other', { filer, unit: f.unit });
  }
  return message([
    header(t(locale, 'msg.finding.notice.header', { unit: f.unit })),
    paragraph(...intro),
    fields(...findingFields(locale, f, opts)),
    ...evidenceBlocks(locale, f),
    f.deadline !== null &&
      f.status === 'filed' &&
      actions(button(t(locale, 'msg.button.submitRectification'), ACTION.submitRectification, f.id, 'primary')),
  ]);
}

/** The private reply to the inspector who filed (or re-sent) a finding. */
export function findingFiledReplyMessage(
  locale: Locale,
  filed: FiledFinding,
  opts: FindingMessageOptions = {},
): Message {
  const f = filed.finding;
  const points =
    filed.result.status === 'counted'
      ? paragraph(t(locale, 'msg.finding.filed.points', { points: formatPoints(filed.result.points) }))
      : paragraph(t(locale, 'msg.finding.filed.notCounted'));
  return message([
    header(t(locale, 'msg.finding.filed.header', { id: findingNumber(f) })),
    !filed.created && paragraph(t(locale, 'msg.finding.filed.duplicate', { id: findingNumber(f) })),
    points,
    fields(...findingFields(locale, f, { ...opts, result: filed.result })),
    f.status !== 'withdrawn' && actions(button(t(locale, 'msg.button.withdraw'), ACTION.withdraw, f.id, 'danger')),
  ]);
}

/** Reminder stages: due soon / due today / overdue, to the unit's chat with its contacts mentioned. */
export function reminderMessage(
  locale: Locale,
  stage: ReminderStage,
  f: FindingView,
  opts: FindingMessageOptions & {
    contacts?: readonly string[];
    /** Which overdue reminder this is, counting those actually sent (not the stage's number). */
    attempt?: number;
    maxAttempts?: number;
    /** What a repeat finding of this unit and clause now costs; omitted when the clause does not escalate. */
    repeat?: RepeatEscalation;
  } = {},
): Message {
  const contacts = opts.contacts ?? [];
  const days = Math.abs(f.workingDaysLeft ?? 0);
  const params: Record<string, InlineParam> = {
    id: findingNumber(f),
    unit: f.unit,
    deadline: f.deadline ?? '',
    days,
    people: people(locale, contacts),
  };
  const keys = {
    due_soon: ['msg.reminder.dueSoon.header', 'msg.reminder.dueSoon.body'],
    due_today: ['msg.reminder.dueToday.header', 'msg.reminder.dueToday.body'],
    overdue: ['msg.reminder.overdue.header', 'msg.reminder.overdue.body'],
  } as const;
  const [headKey, bodyKey] = keys[stage];
  // Without contacts there is nobody to address: the body names the unit instead of "请  …".
  const body = contacts.length > 0 ? bodyKey : (`${bodyKey}NoContacts` as const);
  return message([
    header(t(locale, headKey, { unit: f.unit })),
    paragraph(...tInline(locale, body, params)),
    contacts.length === 0 && context(t(locale, 'msg.reminder.noContacts')),
    fields(...findingFields(locale, f, opts)),
    stage === 'overdue' && opts.repeat && context(repeatWarningText(locale, f.clause, opts.repeat)),
    opts.attempt !== undefined &&
      opts.maxAttempts !== undefined &&
      context(t(locale, 'msg.reminder.count', { n: opts.attempt, max: opts.maxAttempts })),
    rectifiable(f) &&
      f.status === 'filed' &&
      actions(button(t(locale, 'msg.button.submitRectification'), ACTION.submitRectification, f.id, 'primary')),
  ]);
}

/** Repeat escalation for one unit and clause: `count` findings overdue now, the next one counts ×`factor`. */
export interface RepeatEscalation {
  count: number;
  factor: number;
  /** The rulebook's factor per overdue finding (2: ×2, ×4, ×8 …). */
  base: number;
}

/**
 * What the next finding of this clause costs the unit: ×base per finding overdue now (base^count),
 * and an overdue finding keeps counting after a late rectification — only an on-time one does not.
 */
export function repeatWarningText(locale: Locale, clause: string, r: RepeatEscalation): string {
  return t(locale, 'msg.reminder.overdue.repeatWarning', {
    clause,
    count: r.count,
    factor: formatNumber(r.factor),
    base: formatNumber(r.base),
  });
}

/** Overdue alert for the organisers' channel. */
export function overdueAlertMessage(locale: Locale, f: FindingView, opts: FindingMessageOptions = {}): Message {
  return message([
    header(t(locale, 'msg.reminder.overdue.organisersHeader', { unit: f.unit })),
    paragraph(
      t(locale, 'msg.reminder.overdue.organisersBody', {
        unit: f.unit,
        id: findingNumber(f),
        clause: f.clause,
        deadline: f.deadline ?? '',
        days: Math.abs(f.workingDaysLeft ?? 0),
      }),
    ),
    fields(...findingFields(locale, f, opts)),
    actions(button(t(locale, 'msg.button.viewUnit'), ACTION.viewUnit, f.unit)),
  ]);
}

/**
 * To inspectors: a unit submitted a rectification; verify or send back. `by` is the contact who
 * submitted; without it (not on this platform) the unit is named — never the person who pressed
 * the last button. Re-rendered after a review (the finding no longer awaits one), it asks nothing
 * and its header says how it was reviewed.
 */
export function rectificationSubmittedMessage(
  locale: Locale,
  f: FindingView,
  opts: FindingMessageOptions & { by: string | null },
): Message {
  // once reviewed, the header says how (verified, or back to 'filed': sent back), not that it waits
  const headerKey =
    f.status === 'submitted'
      ? 'msg.rectification.submitted.header'
      : f.status === 'verified'
        ? 'msg.rectification.submitted.headerVerified'
        : 'msg.rectification.submitted.headerSentBack';
  return message([
    header(t(locale, headerKey, { unit: f.unit })),
    paragraph(
      ...(opts.by
        ? tInline(
            locale,
            f.status === 'submitted' ? 'msg.rectification.submitted.body' : 'msg.rectification.submitted.bodyReviewed',
            { who: mention(opts.by), id: findingNumber(f) },
          )
        : tInline(locale, 'msg.rectification.submitted.bodyUnit', { unit: f.unit, id: findingNumber(f) })),
    ),
    fields(...findingFields(locale, f, opts)),
    ...evidenceBlocks(locale, f),
    f.status === 'submitted' &&
      actions(
        button(t(locale, 'msg.button.verify'), ACTION.verify, f.id, 'primary'),
        button(t(locale, 'msg.button.reject'), ACTION.reject, f.id, 'danger'),
      ),
  ]);
}

/** To the unit: the rectification was verified and the finding is closed (销号). */
export function rectificationVerifiedMessage(
  locale: Locale,
  f: FindingView,
  opts: FindingMessageOptions & { by: string },
): Message {
  return message([
    header(t(locale, 'msg.rectification.verified.header', { unit: f.unit })),
    paragraph(
      ...tInline(locale, 'msg.rectification.verified.body', {
        who: mention(opts.by),
        id: findingNumber(f),
        clause: f.clause,
        rectifiedOn: f.rectifiedOn ?? '',
      }),
    ),
  ]);
}

/** To the unit: the rectification was sent back, with the inspector's reason. */
export function rectificationRejectedMessage(
  locale: Locale,
  f: FindingView,
  opts: FindingMessageOptions & { by: string; reason: string; contacts?: readonly string[] },
): Message {
  return message([
    header(t(locale, 'msg.rectification.rejected.header', { unit: f.unit })),
    paragraph(
      ...tInline(locale, 'msg.rectification.rejected.body', {
        who: mention(opts.by),
        id: findingNumber(f),
        deadline: deadlineText(locale, f),
      }),
    ),
    paragraph(bold(t(locale, 'msg.label.reason')), '\n', opts.reason),
    opts.contacts && opts.contacts.length > 0 && paragraph(...people(locale, opts.contacts)),
    f.status === 'filed' &&
      actions(button(t(locale, 'msg.button.submitRectification'), ACTION.submitRectification, f.id, 'primary')),
  ]);
}

/** To the unit (and the original notice): the finding was withdrawn. */
export function findingWithdrawnMessage(
  locale: Locale,
  f: FindingView,
  opts: FindingMessageOptions & { by: string },
): Message {
  return message([
    header(t(locale, 'msg.finding.withdrawn.header', { unit: f.unit })),
    paragraph(
      ...tInline(locale, 'msg.finding.withdrawn.body', {
        who: mention(opts.by),
        id: findingNumber(f),
        clause: f.clause,
      }),
    ),
    f.withdrawReason ? paragraph(bold(t(locale, 'msg.label.reason')), '\n', f.withdrawReason) : null,
  ]);
}

/** To the unit: the deadline moved. */
export function deadlineChangedMessage(
  locale: Locale,
  f: FindingView,
  opts: FindingMessageOptions & { from: string; reason: string },
): Message {
  return message([
    header(t(locale, 'msg.finding.deadlineChanged.header', { unit: f.unit })),
    paragraph(
      t(locale, 'msg.finding.deadlineChanged.body', {
        id: findingNumber(f),
        from: opts.from,
        to: deadlineText(locale, f),
      }),
    ),
    paragraph(bold(t(locale, 'msg.label.reason')), '\n', opts.reason),
  ]);
}

/** One line per finding, for lists (month-end reminders, breakdowns). */
export function findingListItem(
  locale: Locale,
  f: Pick<FindingView, 'seq' | 'clause' | 'date' | 'status' | 'deadline' | 'workingDaysLeft' | 'underAppeal'>,
): Inline[] {
  return [
    text(
      t(locale, 'msg.unit.findingItem', {
        id: findingNumber(f),
        clause: f.clause,
        date: f.date,
        status: findingStatusLabel(locale, f),
      }),
    ),
    ...(f.deadline ? [text(` · ${deadlineText(locale, f)}`)] : []),
  ];
}
