import { z } from 'zod';
import type { $ZodIssue } from 'zod/v4/core';
import { parseIsoDate } from '../../rules/dates.ts';
import type { Rulebook } from '../../rules/rulebook.ts';

// zod schemas for the fields of a finding as a person types them — in the quick form
// (`/finding 市公安局 2.1.1a x3 …`) or in the modal — before core sees them. Syntax only; the
// rulebook's own checks (clause kind, applicability, deadlines) stay in core.

/** The fields a finding form has; also the modal's block ids. */
export const FINDING_FIELDS = [
  'unit',
  'clause',
  'count',
  'value',
  'level',
  'source',
  'date',
  'deadline',
  'evidence',
  'links',
] as const;
export type FindingField = (typeof FINDING_FIELDS)[number];

export type FieldProblem =
  | 'required'
  | 'bad_count'
  | 'bad_value'
  | 'bad_date'
  | 'bad_link'
  | 'too_long'
  | 'too_many_links';

export interface FieldIssue {
  field: FindingField;
  problem: FieldProblem;
  /** What was typed, for the message. */
  value: string;
}

const dateText = z
  .string()
  .trim()
  .refine((s) => parseIsoDate(s) !== null, { message: 'bad_date' });

const linkText = z
  .string()
  .trim()
  .max(2000, { message: 'bad_link' })
  .refine((s) => /^https?:\/\/\S+$/i.test(s) && URL.canParse(s), { message: 'bad_link' });

/** Longest text each field takes (what "too long" tells the person). */
export const FIELD_MAX = { unit: 100, clause: 20, level: 40, source: 40, evidence: 4000 } as const;

/**
 * Raw strings in, typed values out; the messages are FieldProblem codes. Built once per rulebook:
 * building it cost ~0.9 ms of the ~1 ms a quick-form parse took.
 */
export function findingFieldsSchema(rb: Rulebook): FindingFieldsSchema {
  const kept = schemas.get(rb);
  if (kept) return kept;
  const schema = buildSchema(rb);
  schemas.set(rb, schema);
  return schema;
}

type FindingFieldsSchema = ReturnType<typeof buildSchema>;
const schemas = new WeakMap<Rulebook, FindingFieldsSchema>();

function buildSchema(rb: Rulebook) {
  const { count, valueRange } = rb.settings;
  return z.object({
    unit: z.string().trim().min(1, { message: 'required' }).max(FIELD_MAX.unit, { message: 'too_long' }).optional(),
    clause: z.string().trim().min(1, { message: 'required' }).max(FIELD_MAX.clause, { message: 'too_long' }).optional(),
    count: z
      .string()
      .trim()
      .regex(/^\d+$/, { message: 'bad_count' })
      .transform(Number)
      .pipe(z.number().int().min(count.min, { message: 'bad_count' }).max(count.max, { message: 'bad_count' }))
      .optional(),
    value: z
      .string()
      .trim()
      // "96.5%" as well as "96.5": the unit is the percentage either way
      .regex(/^\d+(\.\d+)?%?$/, { message: 'bad_value' })
      .transform((v) => Number(v.replace('%', '')))
      .pipe(z.number().min(valueRange.min, { message: 'bad_value' }).max(valueRange.max, { message: 'bad_value' }))
      .optional(),
    level: z.string().trim().min(1).max(FIELD_MAX.level, { message: 'too_long' }).optional(),
    source: z.string().trim().min(1).max(FIELD_MAX.source, { message: 'too_long' }).optional(),
    date: dateText.optional(),
    deadline: dateText.optional(),
    evidence: z.string().trim().max(FIELD_MAX.evidence, { message: 'too_long' }).optional(),
    links: z.array(linkText).max(20, { message: 'too_many_links' }).optional(),
  });
}

export type FindingFieldsInput = { [K in FindingField]?: K extends 'links' ? string[] : string };

/** zod issues → one FieldIssue per field (the first), with the text that was typed. */
export function fieldIssues(issues: readonly $ZodIssue[], raw: FindingFieldsInput): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const i of issues) {
    const field = i.path[0] as FindingField;
    if (out.some((o) => o.field === field)) continue;
    const problem =
      (['required', 'bad_count', 'bad_value', 'bad_date', 'bad_link', 'too_long', 'too_many_links'] as const).find(
        (p) => p === i.message,
      ) ?? defaultProblem(field);
    const typed = raw[field];
    const value = Array.isArray(typed)
      ? typeof i.path[1] === 'number'
        ? (typed[i.path[1]] ?? '')
        : typed.join(' ')
      : (typed ?? '');
    out.push({ field, problem, value });
  }
  return out;
}

function defaultProblem(field: FindingField): FieldProblem {
  switch (field) {
    case 'count':
      return 'bad_count';
    case 'value':
      return 'bad_value';
    case 'date':
    case 'deadline':
      return 'bad_date';
    case 'links':
      return 'bad_link';
    default:
      return 'too_long';
  }
}

/** Links typed into one text box: separated by spaces, commas or new lines. */
export function splitLinks(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/[\s,，、]+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
