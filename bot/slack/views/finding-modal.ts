import type { types as slack, ViewOutput, ViewStateValue } from '@slack/bolt';
import type { AppError } from '../../../core/errors.ts';
import type { Locale } from '../../../core/i18n/locale.ts';
import { t } from '../../../core/i18n/t.ts';
import { formatNumber, formatPoints, sourceLabel } from '../../../core/messages/format.ts';
import { CalendarMissingError } from '../../../rules/calendar.ts';
import type { Clause, Rulebook } from '../../../rules/rulebook.ts';
import { clauseInputs, type Level } from '../../../rules/clause-kinds.ts';
import { assertNever } from '../../../rules/exhaustive.ts';
import { fieldName, parseIssueText } from '../../handlers/finding-reply.ts';
import {
  fieldIssues,
  findingFieldsSchema,
  splitLinks,
  type FindingField,
  type FindingFieldsInput,
} from '../../parsing/finding-fields.schema.ts';
import { requiredFor, type FindingDraft } from '../../parsing/finding-text.ts';

// The /finding modal: unit (searched over names and aliases), clause (grouped by category and
// section, with text and amount), then the fields the chosen clause needs, source, date, deadline
// (default shown), evidence. Block ids are the field names, so errors land on the right field.

export const FINDING_MODAL_CALLBACK = 'finding.file';

/** action_ids of the form's elements; the listeners route by these. */
export const FINDING_FORM_ACTION = {
  unit: 'finding_form.unit',
  clause: 'finding_form.clause',
  count: 'finding_form.count',
  value: 'finding_form.value',
  level: 'finding_form.level',
  source: 'finding_form.source',
  date: 'finding_form.date',
  deadline: 'finding_form.deadline',
  evidence: 'finding_form.evidence',
  links: 'finding_form.links',
} as const satisfies Record<FindingField, string>;

export interface FindingModalMeta {
  /** Where /finding was typed: the confirmation is shown there (ephemeral). */
  channel: string | null;
  /** Clause fields the command gave before a clause was chosen (shown once it is). */
  prefill?: Pick<FindingDraft, 'count' | 'value' | 'level'>;
}

const LIMIT = { optionText: 75, optionDescription: 75, groupLabel: 75, title: 24, hint: 2000, context: 3000 } as const;

const plain = (text: string, max = 3000): slack.PlainTextElement => ({
  type: 'plain_text',
  text: clip(text, max),
  emoji: true,
});

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The clause's amount in words: "每项 -1 分", "低于 85% 每差1点 -1 分", "牵头单位 +1 分 / …". */
export function amountText(locale: Locale, clause: Clause): string {
  switch (clause.kind) {
    case 'per_item':
      return t(locale, 'bot.finding.amount.perItem', { amount: formatPoints(clause.amount) });
    case 'flat':
      return t(locale, 'bot.finding.amount.points', { amount: formatPoints(clause.amount) });
    case 'threshold':
      return t(locale, 'bot.finding.amount.threshold', {
        amount: formatPoints(clause.amount),
        threshold: formatNumber(clause.threshold),
      });
    case 'tiered':
      return clause.levels
        .map((l) => t(locale, 'bot.finding.amount.level', { label: l.label[locale], amount: formatPoints(l.amount) }))
        .join(' / ');
    default:
      return assertNever(clause, 'clause kind');
  }
}

/** The hint under the value input: what the measured value is compared with. */
function valueHint(locale: Locale, clause: Clause): string | undefined {
  switch (clause.kind) {
    case 'threshold':
      return t(locale, 'bot.finding.modal.valueHint', {
        threshold: formatNumber(clause.threshold),
        amount: formatPoints(clause.amount),
      });
    case 'per_item':
    case 'flat':
    case 'tiered':
      return undefined; // they take no value
    default:
      return assertNever(clause, 'clause kind');
  }
}

function clauseOption(locale: Locale, clause: Clause): slack.PlainTextOption {
  return {
    text: plain(`${clause.id} ${clause.text[locale]}`, LIMIT.optionText),
    value: clause.id,
    description: plain(amountText(locale, clause), LIMIT.optionDescription),
  };
}

/** Clauses grouped by section, each group labelled with its category and section. */
export function clauseOptionGroups(
  rb: Rulebook,
  locale: Locale,
): Array<{ label: slack.PlainTextElement; options: slack.PlainTextOption[] }> {
  return rb.data.sections
    .map((s) => {
      const category = rb.data.categories.find((c) => c.id === s.category);
      const label = `${category ? `${category.id} ${category.name[locale]} › ` : ''}${s.id} ${s.name[locale]}`;
      return {
        label: plain(label, LIMIT.groupLabel),
        options: rb.data.clauses.filter((c) => c.section === s.id).map((c) => clauseOption(locale, c)),
      };
    })
    .filter((g) => g.options.length > 0);
}

/** Units whose canonical name or an alias contains the query (exact and prefix matches first). */
export function unitOptions(rb: Rulebook, locale: Locale, query: string, max = 100): slack.PlainTextOption[] {
  const q = query.normalize('NFKC').trim().toLowerCase();
  const scored: Array<{ score: number; order: number; option: slack.PlainTextOption }> = [];
  rb.data.units.forEach((u, order) => {
    const names = [u.name, ...u.aliases];
    let best: { score: number; name: string } | null = null;
    for (const name of names) {
      const n = name.normalize('NFKC').toLowerCase();
      const score = q === '' ? 3 : n === q ? 0 : n.startsWith(q) ? 1 : n.includes(q) ? 2 : -1;
      if (score >= 0 && (best === null || score < best.score)) best = { score, name };
    }
    if (best === null) return;
    const text =
      best.name === u.name || q === ''
        ? u.name
        : t(locale, 'bot.finding.modal.unitOption', { name: u.name, alias: best.name });
    scored.push({ score: best.score, order, option: { text: plain(text, LIMIT.optionText), value: u.name } });
  });
  return scored
    .sort((a, b) => a.score - b.score || a.order - b.order)
    .slice(0, max)
    .map((s) => s.option);
}

function unitOption(name: string): slack.PlainTextOption {
  return { text: plain(name, LIMIT.optionText), value: name };
}

function sourceOptions(rb: Rulebook, locale: Locale): slack.PlainTextOption[] {
  return rb.settings.sources.map((s) => ({ text: plain(sourceLabel(locale, s), LIMIT.optionText), value: s }));
}

function levelOptions(locale: Locale, levels: readonly Level[]): slack.PlainTextOption[] {
  return levels.map((l) => ({
    text: plain(`${l.label[locale]} ${formatPoints(l.amount)}`, LIMIT.optionText),
    value: l.id,
  }));
}

function input(
  field: FindingField,
  label: string,
  element: slack.InputBlock['element'],
  opts: { optional?: boolean; hint?: string; dispatch?: boolean } = {},
): slack.InputBlock {
  return {
    type: 'input',
    block_id: field,
    label: plain(label, 2000),
    element,
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: plain(opts.hint, LIMIT.hint) } : {}),
    ...(opts.dispatch ? { dispatch_action: true } : {}),
  };
}

function note(text: string): slack.ContextBlock {
  return { type: 'context', elements: [{ type: 'plain_text', text: clip(text, LIMIT.context), emoji: true }] };
}

/** The default deadline's hint for a date, or why there is none. */
function deadlineHint(rb: Rulebook, locale: Locale, date: string | undefined): string {
  const days = rb.settings.rectification.defaultDeadlineWorkingDays;
  if (!date) return t(locale, 'bot.finding.modal.deadlineHintGeneric', { days });
  try {
    return t(locale, 'bot.finding.modal.deadlineHint', { deadline: rb.calendar.addWorkingDays(date, days), days });
  } catch (e) {
    if (e instanceof CalendarMissingError) return t(locale, 'bot.finding.modal.deadlineNoCalendar', { year: e.year });
    throw e;
  }
}

export interface FindingModalOptions {
  /** Today in the rulebook's time zone: the date's default. */
  today: string;
  channelId: string | null;
}

/** The modal for a draft: what the command (or the form so far) gave is filled in. */
export function findingModalView(
  rb: Rulebook,
  locale: Locale,
  draft: FindingDraft,
  opts: FindingModalOptions,
): slack.ModalView {
  const A = FINDING_FORM_ACTION;
  const clause = draft.clause !== undefined ? rb.clauses.get(draft.clause) : undefined;
  const unit = draft.unit !== undefined ? rb.resolveUnit(draft.unit) : undefined;
  const date = draft.date ?? opts.today;
  const blocks: slack.KnownBlock[] = [];

  blocks.push(
    input('unit', t(locale, 'bot.finding.modal.unit'), {
      type: 'external_select',
      action_id: A.unit,
      min_query_length: 0,
      placeholder: plain(t(locale, 'bot.finding.modal.unitPlaceholder'), 150),
      ...(unit ? { initial_option: unitOption(unit) } : {}),
    }),
  );

  const groups = clauseOptionGroups(rb, locale);
  const initialClause = clause ? groups.flatMap((g) => g.options).find((o) => o.value === clause.id) : undefined;
  blocks.push(
    input(
      'clause',
      t(locale, 'bot.finding.modal.clause'),
      {
        type: 'static_select',
        action_id: A.clause,
        placeholder: plain(t(locale, 'bot.finding.modal.clausePlaceholder'), 150),
        option_groups: groups,
        ...(initialClause ? { initial_option: initialClause } : {}),
      },
      { dispatch: true },
    ),
  );

  if (!clause) blocks.push(note(t(locale, 'bot.finding.modal.intro')));
  else {
    blocks.push(
      note(
        t(locale, 'bot.finding.modal.clauseNote', {
          id: clause.id,
          text: clause.text[locale],
          amount: amountText(locale, clause),
        }),
      ),
    );
    const inputs = clauseInputs(clause);
    if (inputs.count) {
      blocks.push(
        input('count', t(locale, 'bot.finding.modal.count'), {
          type: 'number_input',
          action_id: A.count,
          is_decimal_allowed: false,
          min_value: String(rb.settings.count.min),
          max_value: String(rb.settings.count.max),
          initial_value: String(draft.count ?? 1),
        }),
      );
    }
    if (inputs.value) {
      const hint = valueHint(locale, clause);
      blocks.push(
        input(
          'value',
          t(locale, 'bot.finding.modal.value'),
          {
            type: 'number_input',
            action_id: A.value,
            is_decimal_allowed: true,
            min_value: String(rb.settings.valueRange.min),
            max_value: String(rb.settings.valueRange.max),
            ...(draft.value !== undefined ? { initial_value: String(draft.value) } : {}),
          },
          hint === undefined ? {} : { hint },
        ),
      );
    }
    if (inputs.levels) {
      const options = levelOptions(locale, inputs.levels);
      const initial = options.find((o) => o.value === draft.level);
      blocks.push(
        input('level', t(locale, 'bot.finding.modal.level'), {
          type: 'static_select',
          action_id: A.level,
          options,
          ...(initial ? { initial_option: initial } : {}),
        }),
      );
    }
  }

  const sources = sourceOptions(rb, locale);
  const source = sources.find((o) => o.value === (draft.source ?? rb.settings.defaultSource)) ?? sources[0]!;
  blocks.push(
    input(
      'source',
      t(locale, 'bot.finding.modal.source'),
      { type: 'static_select', action_id: A.source, options: sources, initial_option: source },
      { hint: t(locale, 'bot.finding.modal.sourceHint') },
    ),
  );
  blocks.push(
    input(
      'date',
      t(locale, 'bot.finding.modal.date'),
      { type: 'datepicker', action_id: A.date, initial_date: date },
      { dispatch: true },
    ),
  );

  if (!clause || rb.isRectifiable(clause)) {
    blocks.push(
      input(
        'deadline',
        t(locale, 'bot.finding.modal.deadline'),
        { type: 'datepicker', action_id: A.deadline, ...(draft.deadline ? { initial_date: draft.deadline } : {}) },
        { optional: true, hint: deadlineHint(rb, locale, date) },
      ),
    );
  } else blocks.push(note(t(locale, 'bot.finding.modal.noRectification')));

  blocks.push(
    input(
      'evidence',
      t(locale, 'bot.finding.modal.evidence'),
      {
        type: 'plain_text_input',
        action_id: A.evidence,
        multiline: true,
        max_length: 3000,
        ...(draft.evidenceText ? { initial_value: draft.evidenceText } : {}),
      },
      { optional: true },
    ),
    input(
      'links',
      t(locale, 'bot.finding.modal.links'),
      {
        type: 'plain_text_input',
        action_id: A.links,
        multiline: true,
        placeholder: plain(t(locale, 'bot.finding.modal.linksPlaceholder'), 150),
        ...(draft.evidenceLinks?.length ? { initial_value: draft.evidenceLinks.join('\n') } : {}),
      },
      { optional: true },
    ),
  );

  const prefill = Object.fromEntries(
    Object.entries({ count: draft.count, value: draft.value, level: draft.level }).filter(([, v]) => v !== undefined),
  );
  const meta: FindingModalMeta = { channel: opts.channelId, ...(Object.keys(prefill).length ? { prefill } : {}) };
  return {
    type: 'modal',
    callback_id: FINDING_MODAL_CALLBACK,
    title: plain(t(locale, 'bot.finding.modal.title'), LIMIT.title),
    submit: plain(t(locale, 'bot.finding.modal.submit'), LIMIT.title),
    close: plain(t(locale, 'bot.finding.modal.close'), LIMIT.title),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

export function readModalMeta(view: { private_metadata?: string | undefined }): FindingModalMeta {
  try {
    const m = JSON.parse(view.private_metadata || '{}') as { channel?: unknown; prefill?: Record<string, unknown> };
    const channel = typeof m.channel === 'string' && /^[CGD][A-Z0-9]+$/.test(m.channel) ? m.channel : null;
    const p = m.prefill ?? {};
    const prefill: NonNullable<FindingModalMeta['prefill']> = {};
    if (typeof p.count === 'number' && Number.isInteger(p.count)) prefill.count = p.count;
    if (typeof p.value === 'number' && Number.isFinite(p.value)) prefill.value = p.value;
    if (typeof p.level === 'string' && p.level.length <= 40) prefill.level = p.level;
    return Object.keys(prefill).length ? { channel, prefill } : { channel };
  } catch {
    return { channel: null };
  }
}

type StateValues = ViewOutput['state']['values'];

/** What the form's elements hold, as typed. */
export function rawFormValues(values: StateValues): FindingFieldsInput {
  const A = FINDING_FORM_ACTION;
  const get = (field: FindingField): ViewStateValue | undefined => values[field]?.[A[field]];
  const str = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === '' ? undefined : v);
  const out: FindingFieldsInput = {
    unit: str(get('unit')?.selected_option?.value),
    clause: str(get('clause')?.selected_option?.value),
    count: str(get('count')?.value),
    value: str(get('value')?.value),
    level: str(get('level')?.selected_option?.value),
    source: str(get('source')?.selected_option?.value),
    date: str(get('date')?.selected_date),
    deadline: str(get('deadline')?.selected_date),
    evidence: str(get('evidence')?.value),
    links: splitLinks(get('links')?.value),
  };
  return Object.fromEntries(
    Object.entries(out).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as FindingFieldsInput;
}

/** The form's values as a draft, dropping what does not parse (for re-rendering the form). */
export function draftFromState(rb: Rulebook, values: StateValues): FindingDraft {
  const raw = rawFormValues(values);
  const schema = findingFieldsSchema(rb);
  const draft: FindingDraft = {};
  const one = (k: Exclude<FindingField, 'links'>): unknown => {
    const r = schema.shape[k].safeParse(raw[k]);
    return r.success ? r.data : undefined;
  };
  const set = <K extends keyof FindingDraft>(k: K, v: unknown) => {
    if (v !== undefined) draft[k] = v as FindingDraft[K];
  };
  set('unit', one('unit'));
  set('clause', one('clause'));
  set('count', one('count'));
  set('value', one('value'));
  set('level', one('level'));
  set('source', one('source'));
  set('date', one('date'));
  set('deadline', one('deadline'));
  set('evidenceText', one('evidence'));
  const links = raw.links ?? [];
  if (links.length) draft.evidenceLinks = links;
  return draft;
}

export type ModalReading = { ok: true; draft: FindingDraft } | { ok: false; errors: Record<string, string> };

/** Block ids of the input blocks the submitted view has. */
function inputBlocks(view: Pick<ViewOutput, 'blocks'>): Set<string> {
  return new Set(
    view.blocks.filter((b) => b.type === 'input' && typeof b.block_id === 'string').map((b) => b.block_id as string),
  );
}

/** The block an error belongs on: its own when the view has it, else the clause (or unit). */
function blockFor(view: Pick<ViewOutput, 'blocks'>, field: string): string {
  const present = inputBlocks(view);
  if (present.has(field)) return field;
  return present.has('clause') ? 'clause' : (present.values().next().value ?? 'unit');
}

/** A submitted modal → a draft to file, or the errors to show on its fields. */
export function readFindingModal(
  rb: Rulebook,
  locale: Locale,
  view: Pick<ViewOutput, 'blocks' | 'state'>,
): ModalReading {
  const raw = rawFormValues(view.state.values);
  const errors: Record<string, string> = {};
  const add = (field: string, text: string) => {
    const block = blockFor(view, field);
    if (errors[block] === undefined) errors[block] = text;
  };
  const parsed = findingFieldsSchema(rb).safeParse(raw);
  if (!parsed.success)
    for (const fi of fieldIssues(parsed.error.issues, raw)) add(fi.field, parseIssueText(locale, fi));
  const clause = raw.clause !== undefined ? rb.clauses.get(raw.clause) : undefined;
  for (const field of ['unit', 'clause', 'date', ...requiredFor(clause)] as FindingField[]) {
    if (raw[field] === undefined)
      add(field, t(locale, 'bot.finding.modal.required', { field: fieldName(locale, field) }));
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  const d = parsed.data;
  const draft: FindingDraft = {};
  if (d.unit !== undefined) draft.unit = d.unit;
  if (d.clause !== undefined) draft.clause = d.clause;
  // Only the fields the chosen clause takes: a count left over from another clause is not sent.
  const inputs = clause ? clauseInputs(clause) : undefined;
  if (inputs?.count && d.count !== undefined) draft.count = d.count;
  if (inputs?.value && d.value !== undefined) draft.value = d.value;
  if (inputs?.levels && d.level !== undefined) draft.level = d.level;
  if (d.source !== undefined) draft.source = d.source;
  if (d.date !== undefined) draft.date = d.date;
  if (d.deadline !== undefined && clause && rb.isRectifiable(clause)) draft.deadline = d.deadline;
  if (d.evidence !== undefined) draft.evidenceText = d.evidence;
  if (d.links?.length) draft.evidenceLinks = d.links;
  return { ok: true, draft };
}

/** Core's refusal on the field it names (FileFindingCommand field → block id). */
export function modalErrorsFor(
  view: Pick<ViewOutput, 'blocks'>,
  locale: Locale,
  error: AppError,
): Record<string, string> {
  const f = error.field ?? '';
  const field = f.startsWith('evidenceLinks') ? 'links' : f === 'evidenceText' ? 'evidence' : f === '' ? 'unit' : f;
  return { [blockFor(view, field)]: error.userMessage(locale) };
}
