import type { Clause, Rulebook } from '../../rules/rulebook.ts';
import { clauseInputs } from '../../rules/clause-kinds.ts';
import { parseLinkToken, plainWord, tokenize } from './command-tokens.ts';
import { suggestClauses, suggestUnits } from '../../core/suggest.ts';
import {
  fieldIssues,
  findingFieldsSchema,
  type FieldIssue,
  type FindingField,
  type FindingFieldsInput,
} from './finding-fields.schema.ts';

// The quick text form of /finding, for people who know the rulebook:
//
//   /finding 市公安局 2.1.1a x3 省督查 网上受理未覆盖 https://evidence.example/1
//   /finding 市科委 1.1.1a value=82.4            (or 82.4%)
//   /finding 市地震局 6.1.1a 省级 date=2017-06-01  (a level: lead/support, city/province/national,
//                                                   participated/strong, or their Chinese labels)
//
// unit (canonical name or alias) · clause id · count (x3, ×3, count=3, 3项) · value=82.4 / 82.4%
// · level · source (省督查/provincial, 市督查/municipal; default routine) · date=YYYY-MM-DD ·
// deadline=YYYY-MM-DD · the rest is evidence text, http(s) links are evidence links.
// Word order is free. Anything missing that the clause needs makes the command partial: the bot
// then opens the form with what was given.

/** What a person gave for a finding, typed; every field optional until the form is complete. */
export interface FindingDraft {
  unit?: string;
  clause?: string;
  count?: number;
  value?: number;
  level?: string;
  source?: string;
  date?: string;
  deadline?: string;
  evidenceText?: string;
  evidenceLinks?: string[];
}

export type ParseProblem =
  | FieldIssue['problem']
  | 'unknown_unit'
  | 'unknown_clause'
  | 'unknown_source'
  | 'unknown_level'
  | 'conflict';

export interface ParseIssue {
  field: FindingField;
  problem: ParseProblem;
  value: string;
  /** For an unknown unit or clause: the closest names or ids ("did you mean"). */
  suggestions?: string[];
}

export type FindingTextParse =
  | { kind: 'help' }
  | { kind: 'complete'; draft: FindingDraft & { unit: string; clause: string } }
  | { kind: 'partial'; draft: FindingDraft; missing: FindingField[] }
  | { kind: 'invalid'; issues: ParseIssue[]; draft: FindingDraft };

const HELP_WORDS = new Set(['help', '-h', '--help', '?', '帮助', '说明', '用法']);

/** key=value keys, English and Chinese, → field. */
const KEYS: Record<string, FindingField> = {
  unit: 'unit',
  单位: 'unit',
  clause: 'clause',
  条款: 'clause',
  count: 'count',
  n: 'count',
  数量: 'count',
  次数: 'count',
  项数: 'count',
  value: 'value',
  v: 'value',
  测得值: 'value',
  比例: 'value',
  百分比: 'value',
  level: 'level',
  等级: 'level',
  级别: 'level',
  source: 'source',
  来源: 'source',
  date: 'date',
  日期: 'date',
  发现日期: 'date',
  deadline: 'deadline',
  due: 'deadline',
  期限: 'deadline',
  整改期限: 'deadline',
};

/** Words for the finding's source → the rulebook's source ids. */
export const SOURCE_WORDS: Record<string, string> = {
  routine: 'routine',
  日常: 'routine',
  日常检查: 'routine',
  municipal: 'municipal_inspection',
  municipal_inspection: 'municipal_inspection',
  市督查: 'municipal_inspection',
  市级督查: 'municipal_inspection',
  市督: 'municipal_inspection',
  provincial: 'provincial_inspection',
  provincial_inspection: 'provincial_inspection',
  省督查: 'provincial_inspection',
  省级督查: 'provincial_inspection',
  省督: 'provincial_inspection',
};

/** Short Chinese words people use for levels, beside the rulebook's ids and labels. */
export const LEVEL_WORDS: Record<string, string> = {
  牵头: 'lead',
  牵头单位: 'lead',
  配合: 'support',
  配合单位: 'support',
  市级: 'city',
  市: 'city',
  省级: 'province',
  省: 'province',
  全国: 'national',
  国家级: 'national',
  全国推广: 'national',
  参与: 'participated',
  参与收集: 'participated',
  有力: 'strong',
  发动有力: 'strong',
  质量高: 'strong',
};

const CLAUSE_LIKE = /^\d+\.\d+\.\d+[a-z]?$/i;

export function isHelpText(text: string): boolean {
  return HELP_WORDS.has(text.trim().normalize('NFKC').toLowerCase());
}

/** A source word or id → the rulebook's source id, or undefined. */
export function resolveSource(rb: Rulebook, word: string): string | undefined {
  const w = word.normalize('NFKC').trim().toLowerCase();
  const id = SOURCE_WORDS[w] ?? SOURCE_WORDS[word.trim()];
  if (id && rb.settings.sources.includes(id)) return id;
  return rb.settings.sources.find((s) => s.toLowerCase() === w);
}

/** A level word, id or label of a tiered clause → the level id, or undefined. */
export function resolveLevel(clause: Clause, word: string): string | undefined {
  const levels = clauseInputs(clause).levels;
  if (!levels) return undefined;
  const w = word.normalize('NFKC').trim().toLowerCase();
  for (const l of levels) {
    if (l.id.toLowerCase() === w || l.label.en.toLowerCase() === w || l.label['zh-CN'] === word.trim()) return l.id;
  }
  const viaWord = LEVEL_WORDS[word.trim()];
  return viaWord && levels.some((l) => l.id === viaWord) ? viaWord : undefined;
}

/** What the clause needs besides unit and clause: value for thresholds, level for tiered ones. */
export function requiredFor(clause: Clause | undefined): FindingField[] {
  if (!clause) return [];
  const inputs = clauseInputs(clause);
  const fields: FindingField[] = [];
  if (inputs.value) fields.push('value');
  if (inputs.levels) fields.push('level');
  return fields;
}

export function parseFindingText(rb: Rulebook, text: string): FindingTextParse {
  if (isHelpText(text)) return { kind: 'help' };
  const tokens = tokenize(text);
  const issues: ParseIssue[] = [];
  const raw: FindingFieldsInput = {};
  const links: string[] = [];
  const evidence: string[] = [];
  let unit: string | undefined;
  let clauseId: string | undefined;
  let badClause: string | undefined;
  let firstUnknown: { index: number; word: string } | undefined;
  const claimed = new Set<number>();

  // What was typed for each field, to quote in a conflict ("省督查 / 市督查", not the source's code).
  const typed: Partial<Record<FindingField, string>> = {};
  const set = (field: FindingField, value: string, token: string) => {
    const prior = raw[field];
    if (prior !== undefined && prior !== value)
      issues.push({ field, problem: 'conflict', value: `${typed[field] ?? String(prior)} / ${token}` });
    else {
      (raw as Record<string, string>)[field] = value;
      typed[field] = token;
    }
  };

  // Pass 1: the clause (levels are read against it), explicit key=value, links.
  tokens.forEach((tok, i) => {
    const kv = /^([^=\s]+)=(.*)$/u.exec(tok.norm);
    if (kv && KEYS[kv[1]!.toLowerCase()] !== undefined) {
      const field = KEYS[kv[1]!.toLowerCase()]!;
      claimed.add(i);
      const value = kv[2]!.trim();
      if (field === 'clause') clauseId = clauseId ?? value;
      else set(field, value, tok.raw);
      return;
    }
    const link = parseLinkToken(tok.raw);
    if (link !== null) {
      links.push(link);
      claimed.add(i);
      return;
    }
    if (CLAUSE_LIKE.test(tok.norm) && clauseId === undefined) {
      claimed.add(i);
      if (rb.clauses.has(tok.norm.toLowerCase())) clauseId = tok.norm.toLowerCase();
      else if (rb.clauses.has(tok.norm)) clauseId = tok.norm;
      else badClause = badClause ?? tok.raw;
    }
  });
  if (clauseId !== undefined && !rb.clauses.has(clauseId)) {
    badClause = clauseId;
    clauseId = undefined;
  }
  const clause = clauseId !== undefined ? rb.clauses.get(clauseId) : undefined;

  // Pass 2: everything else, in order.
  for (const [i, tok] of tokens.entries()) {
    if (claimed.has(i)) continue;
    const n = tok.norm;
    const count = /^[x×*](\S+)$/iu.exec(n) ?? /^(\d+)[项次个处件]$/u.exec(n);
    if (count && /^\d/.test(count[1]!)) {
      set('count', count[1]!, tok.raw);
      continue;
    }
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(n);
    if (percent) {
      set('value', percent[1]!, tok.raw);
      continue;
    }
    if (unit === undefined) {
      const u = rb.resolveUnit(n) ?? rb.resolveOrganiser(n);
      if (u !== undefined) {
        // organisers are passed on by name: core refuses them with its own message
        unit = rb.resolveUnit(n) ? u : n;
        continue;
      }
    }
    const source = resolveSource(rb, n);
    if (source !== undefined) {
      set('source', source, tok.raw);
      continue;
    }
    if (clause) {
      const level = resolveLevel(clause, n);
      if (level !== undefined) {
        set('level', level, tok.raw);
        continue;
      }
    }
    if (firstUnknown === undefined) firstUnknown = { index: i, word: tok.raw };
    evidence.push(plainWord(tok.raw));
  }

  // key=value words are resolved like bare ones.
  if (raw.unit !== undefined) {
    const u = rb.resolveUnit(raw.unit) ?? (rb.resolveOrganiser(raw.unit) ? raw.unit : undefined);
    if (u === undefined)
      issues.push({ field: 'unit', problem: 'unknown_unit', value: raw.unit, suggestions: suggestUnits(rb, raw.unit) });
    else if (unit !== undefined && unit !== u)
      issues.push({ field: 'unit', problem: 'conflict', value: `${unit} / ${raw.unit}` });
    else unit = u;
  }
  if (raw.source !== undefined && !rb.settings.sources.includes(raw.source)) {
    const s = resolveSource(rb, raw.source);
    if (s === undefined) issues.push({ field: 'source', problem: 'unknown_source', value: raw.source });
    else raw.source = s;
  }
  if (raw.level !== undefined && clause) {
    const l = resolveLevel(clause, raw.level);
    if (l !== undefined) raw.level = l; // an unknown level is left for core to refuse with the clause's levels
  }
  if (badClause !== undefined)
    issues.push({
      field: 'clause',
      problem: 'unknown_clause',
      value: badClause,
      suggestions: suggestClauses(rb, badClause),
    });
  // The word in the unit's place (first or second, before any evidence) that names no unit.
  if (
    unit === undefined &&
    firstUnknown !== undefined &&
    firstUnknown.index <= 1 &&
    (clause !== undefined || badClause !== undefined)
  ) {
    const word = plainWord(firstUnknown.word);
    issues.push({ field: 'unit', problem: 'unknown_unit', value: word, suggestions: suggestUnits(rb, word) });
    evidence.shift();
  }

  const parsed = findingFieldsSchema(rb).safeParse({
    ...raw,
    unit,
    clause: clauseId,
    evidence: evidence.join(' ') || undefined,
    links: links.length ? links : undefined,
  });
  if (!parsed.success) {
    for (const fi of fieldIssues(parsed.error.issues, { ...raw, links }))
      if (!issues.some((x) => x.field === fi.field)) issues.push(fi);
  }
  const v = parsed.success ? parsed.data : undefined;
  const draft: FindingDraft = stripUndefined({
    unit,
    clause: clauseId,
    count: v?.count,
    value: v?.value,
    level: raw.level,
    source: raw.source,
    date: v?.date,
    deadline: v?.deadline,
    evidenceText: evidence.join(' ') || undefined,
    evidenceLinks: links.length ? links : undefined,
  });
  if (issues.length > 0) return { kind: 'invalid', issues, draft };

  const missing: FindingField[] = [];
  if (draft.unit === undefined) missing.push('unit');
  if (draft.clause === undefined) missing.push('clause');
  for (const f of requiredFor(clause)) if ((f === 'value' ? draft.value : draft.level) === undefined) missing.push(f);
  if (missing.length > 0 || draft.unit === undefined || draft.clause === undefined)
    return { kind: 'partial', draft, missing };
  return { kind: 'complete', draft: { ...draft, unit: draft.unit, clause: draft.clause } };
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
