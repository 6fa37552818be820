import { z } from 'zod';
import { parseFindingRef } from '../../core/finding-ref.ts';
import { findingRefSchema, isoDateSchema } from './command-schemas.ts';
import { plainWord, tokenize } from './command-tokens.ts';

// The quick forms of /finding that change a finding already filed, by its filing number:
//
//   /finding withdraw #123 与 #120 重复记录                  (撤销 / 撤回 / retract)
//   /finding deadline #123 2017-10-20 单位申请延期，已获批准   (期限 / 整改期限 / 延期 / due)
//
// The number may be written #123, ＃123 or 123; the deadline and the number may swap places.
// Everything after them is the reason (required: the unit is told). Syntax only — who may do it,
// whether the finding exists and whether the date suits it are core's to say.

export type FindingChangeKind = 'withdraw' | 'deadline';

export type FindingChangeCommand =
  | { kind: 'withdraw'; ref: string; reason: string }
  | { kind: 'deadline'; ref: string; deadline: string; reason: string };

export type FindingChangeProblem =
  | 'missing_ref'
  | 'bad_ref'
  | 'missing_deadline'
  | 'bad_deadline'
  | 'missing_reason'
  | 'reason_too_long';

export interface FindingChangeIssue {
  /** Which command it was, for the usage line shown with the problem. */
  kind: FindingChangeKind;
  problem: FindingChangeProblem;
  /** What was typed, for the message. */
  value: string;
}

export type FindingChangeParse = { ok: true; command: FindingChangeCommand } | { ok: false; issue: FindingChangeIssue };

export const MAX_REASON = 1000;

const KEYWORDS: Record<string, FindingChangeKind> = {
  withdraw: 'withdraw',
  retract: 'withdraw',
  撤销: 'withdraw',
  撤回: 'withdraw',
  deadline: 'deadline',
  due: 'deadline',
  期限: 'deadline',
  整改期限: 'deadline',
  延期: 'deadline',
};

const reasonSchema = z
  .string()
  .trim()
  .min(1, { message: 'missing_reason' })
  .max(MAX_REASON, { message: 'reason_too_long' });

const looksLikeRef = (word: string) => parseFindingRef(word) !== null;
const looksLikeDate = (word: string) => /^\d{4}\D\d{1,2}\D\d{1,2}$/.test(word.normalize('NFKC').trim());

type Checked<T> = { ok: true; value: T } | { ok: false; issue: FindingChangeIssue };

function check<T>(schema: z.ZodType<T, string>, value: string, kind: FindingChangeKind): Checked<T> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    issue: { kind, problem: r.error.issues[0]!.message as FindingChangeProblem, value: value.trim() },
  };
}

const fail = (kind: FindingChangeKind, problem: FindingChangeProblem, value = ''): FindingChangeParse => ({
  ok: false,
  issue: { kind, problem, value },
});

/** The kind of change the text starts with, or null when it is not one (then it files a finding). */
export function findingChangeKind(text: string): FindingChangeKind | null {
  const first = tokenize(text)[0];
  return first ? (KEYWORDS[first.norm.toLowerCase()] ?? null) : null;
}

/** null: not a withdraw/deadline command; otherwise the command or the first thing wrong with it. */
export function parseFindingChangeText(text: string): FindingChangeParse | null {
  const kind = findingChangeKind(text);
  if (kind === null) return null;
  const words = tokenize(text)
    .slice(1)
    .map((t) => t.raw);

  if (kind === 'withdraw') {
    const [refWord, ...rest] = words;
    if (refWord === undefined) return fail(kind, 'missing_ref');
    const ref = check(findingRefSchema, refWord, kind);
    if (!ref.ok) return ref;
    const reason = check(reasonSchema, rest.map(plainWord).join(' '), kind);
    if (!reason.ok) return reason;
    return { ok: true, command: { kind, ref: ref.value, reason: reason.value } };
  }

  let [refWord, dateWord, ...rest] = words;
  if (refWord === undefined) return fail(kind, 'missing_ref');
  // "/finding deadline 2017-10-20 #123 …": the date first is understood too
  if (!looksLikeRef(refWord) && looksLikeDate(refWord) && dateWord !== undefined && looksLikeRef(dateWord))
    [refWord, dateWord] = [dateWord, refWord];
  const ref = check(findingRefSchema, refWord, kind);
  if (!ref.ok) return ref;
  // no date at all (the reason came next): say it is missing rather than "not a date"
  if (dateWord === undefined || !/\d/.test(dateWord.normalize('NFKC'))) return fail(kind, 'missing_deadline');
  const deadline = check(isoDateSchema, dateWord, kind);
  if (!deadline.ok) return deadline;
  const reason = check(reasonSchema, rest.map(plainWord).join(' '), kind);
  if (!reason.ok) return reason;
  return { ok: true, command: { kind, ref: ref.value, deadline: deadline.value, reason: reason.value } };
}
