import type { Locale } from '../../core/i18n/locale.ts';
import { t, tAny } from '../../core/i18n/t.ts';
import { suggestClauses, suggestUnits } from '../../core/suggest.ts';
import type { Clause, Rulebook } from '../../rules/rulebook.ts';
import { fieldName, parseIssueText } from '../handlers/finding-reply.ts';
import { fieldIssues, findingFieldsSchema, splitLinks, type FindingField } from '../parsing/finding-fields.schema.ts';
import type { FindingDraft } from '../parsing/finding-text.ts';

// The console's filing form (Slack's modal, asked field by field): what the /finding command did
// not give is asked for, one line each; choices are numbered lists (a unit's clauses, levels,
// sources, did-you-mean suggestions) answered by number or by name/id. Pure: lines in, texts out;
// the session files the finished draft through the same handler as the quick form.

export type FormStep = 'unit' | 'clause' | 'level' | 'count' | 'value' | 'source' | 'date' | 'evidence' | 'links';

export interface StepAnswer {
  /** Lines to show (errors, the next field's choices). */
  say: string[];
  /** The draft is complete: file it. */
  done: boolean;
}

interface Choice {
  answer: string;
  label: string;
}

export class ConsoleFindingForm {
  readonly draft: FindingDraft;
  #step: FormStep | null = null;
  /** Optional fields already asked (left empty or answered). */
  readonly #asked = new Set<FormStep>();
  #choices: Choice[] = [];
  /** Fields the command gave: not asked again (unless core refuses them). */
  readonly #given: Set<FormStep>;

  constructor(
    private readonly rb: Rulebook,
    private readonly locale: Locale,
    private readonly today: string,
    draft: FindingDraft,
  ) {
    this.draft = { ...draft };
    this.#given = new Set(
      (['unit', 'clause', 'level', 'count', 'value', 'source', 'date'] as const).filter((f) => draft[f] !== undefined),
    );
  }

  get step(): FormStep | null {
    return this.#step;
  }

  get #clause(): Clause | undefined {
    return this.draft.clause ? this.rb.clauses.get(this.draft.clause) : undefined;
  }

  /** The fields this clause asks for, in order. */
  #steps(): FormStep[] {
    const c = this.#clause;
    const out: FormStep[] = ['unit', 'clause'];
    if (c?.kind === 'tiered') out.push('level', ...(c.perItem ? (['count'] as const) : []));
    if (c?.kind === 'per_item') out.push('count');
    if (c?.kind === 'threshold') out.push('value');
    out.push('source', 'date', 'evidence', 'links');
    return out;
  }

  /** Start (or go on): ask the next field not yet answered. */
  next(): StepAnswer {
    const answered = (s: FormStep) =>
      this.#given.has(s) ||
      (s === 'evidence' ? this.#asked.has(s) : s === 'links' ? this.#asked.has(s) : this.draft[s] !== undefined);
    const step = this.#steps().find((s) => !answered(s)) ?? null;
    this.#step = step;
    if (step === null) return { say: [], done: true };
    return { say: this.#ask(step), done: false };
  }

  /** Ask a field again (core refused it): its value is dropped. */
  reask(field: string): StepAnswer {
    const step = (['unit', 'clause', 'level', 'count', 'value', 'source', 'date'] as const).find((s) => s === field);
    if (!step) return this.next();
    this.#given.delete(step);
    delete this.draft[step];
    return this.next();
  }

  /** The prompt of the field being asked. */
  prompt(): string {
    const s = this.#step;
    if (s === null) return '';
    const optional = s === 'evidence' || s === 'links' || s === 'source' || s === 'date' || s === 'count';
    return t(this.locale, 'bot.console.form.field', {
      label: fieldName(this.locale, s),
      optional: optional ? t(this.locale, 'bot.console.form.optional') : '',
    });
  }

  #numbered(choices: Choice[]): string[] {
    this.#choices = choices;
    return choices.map((c, i) => `  ${i + 1}. ${c.label}`);
  }

  #ask(step: FormStep): string[] {
    const l = this.locale;
    const hint = (key: string, params: Record<string, string | number> = {}) => `  ${tAny(l, key, params)}`;
    switch (step) {
      case 'unit':
        this.#choices = [];
        return [hint('bot.console.finding.unitHint')];
      case 'clause': {
        const group = this.draft.unit ? this.rb.units.get(this.draft.unit)?.group : undefined;
        const clauses = [...this.rb.clauses.values()].filter(
          (c) => group === undefined || this.rb.sections.get(c.section)!.appliesTo.includes(group),
        );
        return [
          hint('bot.console.finding.clauseHint'),
          ...this.#numbered(clauses.map((c) => ({ answer: c.id, label: `${c.id} ${c.text[l]}` }))),
        ];
      }
      case 'level': {
        const c = this.#clause;
        const levels = c?.kind === 'tiered' ? c.levels : [];
        return [
          hint('bot.console.finding.chooseHint'),
          ...this.#numbered(levels.map((x) => ({ answer: x.id, label: `${x.label[l]}（${formatAmount(x.amount)}）` }))),
        ];
      }
      case 'source':
        return [
          hint('bot.console.finding.sourceHint', {
            default: tAny(l, `domain.source.${this.rb.settings.defaultSource}`),
          }),
          ...this.#numbered(this.rb.settings.sources.map((s) => ({ answer: s, label: tAny(l, `domain.source.${s}`) }))),
        ];
      case 'count':
        this.#choices = [];
        return [hint('bot.console.finding.countHint')];
      case 'value': {
        const c = this.#clause;
        this.#choices = [];
        return [
          hint('bot.console.finding.valueHint', {
            threshold: c?.kind === 'threshold' ? formatAmount(c.threshold) : '',
          }),
        ];
      }
      case 'date':
        this.#choices = [];
        return [hint('bot.console.finding.dateHint', { today: this.today })];
      case 'evidence':
        this.#choices = [];
        return [hint('bot.console.finding.evidenceHint')];
      case 'links':
        this.#choices = [];
        return [hint('bot.console.finding.linksHint')];
    }
  }

  /** A line typed for the current field. */
  answer(raw: string): StepAnswer {
    const step = this.#step;
    if (step === null) return this.next();
    const line = raw.trim();
    const l = this.locale;
    const again = (...say: string[]): StepAnswer => ({ say, done: false });
    const chosen = /^\d+$/.test(line) && this.#choices.length > 0 ? this.#choices[Number(line) - 1] : undefined;
    if (/^\d+$/.test(line) && this.#choices.length > 0 && !chosen && step !== 'count')
      return again(t(l, 'bot.console.finding.badChoice', { value: line, max: this.#choices.length }));
    switch (step) {
      case 'unit': {
        const unit = chosen?.answer ?? this.rb.resolveUnit(line);
        if (unit) {
          this.draft.unit = unit;
          break;
        }
        if (line === '') return again(t(l, 'bot.finding.problem.required', { field: fieldName(l, 'unit') }));
        const close = suggestUnits(this.rb, line);
        return again(
          t(l, close.length ? 'bot.console.finding.didYouMean' : 'bot.console.finding.unknownUnit', { value: line }),
          ...this.#numbered(close.map((u) => ({ answer: u, label: u }))),
        );
      }
      case 'clause': {
        const id = chosen?.answer ?? (this.rb.clauses.has(line.toLowerCase()) ? line.toLowerCase() : undefined);
        if (id) {
          this.draft.clause = id;
          // a new clause asks for its own level / count / value
          delete this.draft.level;
          delete this.draft.value;
          break;
        }
        if (line === '') return again(t(l, 'bot.finding.problem.required', { field: fieldName(l, 'clause') }));
        const close = suggestClauses(this.rb, line);
        return again(
          t(l, close.length ? 'bot.console.finding.didYouMean' : 'bot.finding.problem.unknown_clause', {
            value: line,
          }),
          ...this.#numbered(close.map((c) => ({ answer: c, label: `${c} ${this.rb.clauses.get(c)!.text[l]}` }))),
        );
      }
      case 'level': {
        const c = this.#clause;
        const level =
          chosen?.answer ??
          (c?.kind === 'tiered'
            ? c.levels.find((x) => x.id === line.toLowerCase() || x.label[l] === line || x.label['zh-CN'] === line)?.id
            : undefined);
        if (!level) return again(t(l, 'bot.console.finding.chooseAgain'));
        this.draft.level = level;
        break;
      }
      case 'source': {
        if (line === '') {
          this.draft.source = this.rb.settings.defaultSource;
          break;
        }
        const source =
          chosen?.answer ??
          this.rb.settings.sources.find((s) => s === line || tAny(l, `domain.source.${s}`) === line) ??
          sourceWord(line);
        if (!source) return again(t(l, 'bot.console.finding.chooseAgain'));
        this.draft.source = source;
        break;
      }
      case 'count':
      case 'value':
      case 'date': {
        if (line === '' && step !== 'value') {
          if (step === 'count') this.draft.count = 1;
          else this.draft.date = this.today;
          break;
        }
        const parsed = findingFieldsSchema(this.rb).safeParse({ [step]: line === '' ? undefined : line });
        const v = parsed.success ? parsed.data[step] : undefined;
        if (v === undefined) {
          const issue = parsed.success
            ? { field: step as FindingField, problem: 'required' as const, value: '' }
            : fieldIssues(parsed.error.issues, { [step]: line })[0]!;
          return again(parseIssueText(l, issue));
        }
        if (step === 'count') this.draft.count = v as number;
        else if (step === 'value') this.draft.value = v as number;
        else this.draft.date = v as string;
        break;
      }
      case 'evidence': {
        const parsed = findingFieldsSchema(this.rb).safeParse({ evidence: line === '' ? undefined : line });
        if (!parsed.success) return again(parseIssueText(l, fieldIssues(parsed.error.issues, { evidence: line })[0]!));
        if (parsed.data.evidence) this.draft.evidenceText = parsed.data.evidence;
        this.#asked.add('evidence');
        break;
      }
      case 'links': {
        const links = splitLinks(line);
        const parsed = findingFieldsSchema(this.rb).safeParse({ links: links.length ? links : undefined });
        if (!parsed.success) return again(parseIssueText(l, fieldIssues(parsed.error.issues, { links })[0]!));
        if (parsed.data.links) this.draft.evidenceLinks = parsed.data.links;
        this.#asked.add('links');
        break;
      }
    }
    return this.next();
  }
}

function formatAmount(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** The quick form's words for sources (省督查, 市督查, 日常) at the console too. */
function sourceWord(word: string): string | undefined {
  const w = word.toLowerCase();
  if (['省督查', '省级督查', 'provincial', '省'].includes(w)) return 'provincial_inspection';
  if (['市督查', '市级督查', 'municipal', '市'].includes(w)) return 'municipal_inspection';
  if (['日常', '日常检查', 'routine'].includes(w)) return 'routine';
  return undefined;
}
