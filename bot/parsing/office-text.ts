import { z } from 'zod';
import { findingRefSchema, isoDateSchema } from './command-schemas.ts';
import { plainWord, tokenize } from './command-tokens.ts';

// The /finding forms of the office's cycle around a filed finding (lifecycle.md):
//
//   /finding appeal #12 理由 [https://…]          申诉 #12 …         a unit contact appeals
//   /finding rule #12 upheld 理由                  复核 #12 维持 …     an organiser rules:
//   /finding rule #12 reduce x2 理由               复核 #12 核减 x2 …    count (x2), value (=82.4) or level (level=B)
//   /finding rule #12 withdraw 理由                复核 #12 撤销 …
//   /finding reopen #12 理由                       重新复核 #12 …      an organiser reopens a ruled appeal
//   /finding extend #12 2017-10-20 理由            申请延期 #12 …      a unit contact asks for more time
//   /finding extension #12 approve 2017-10-20 [理由]   延期审批 #12 同意 …
//   /finding extension #12 refuse 理由                 延期审批 #12 不同意 …
//
// Syntax only, checked with zod: who may, the window, the deadline and the limits are core's.

export type OfficeKind = 'appeal' | 'rule' | 'reopen' | 'extend' | 'extension';

export type OfficeCommand =
  | { kind: 'appeal'; ref: string; reasons: string; evidenceLinks: string[] }
  | { kind: 'rule'; ref: string; outcome: 'upheld' | 'withdrawn'; ruling: string }
  | { kind: 'rule'; ref: string; outcome: 'reduced'; ruling: string; count?: number; value?: number; level?: string }
  | { kind: 'reopen'; ref: string; reason: string }
  | { kind: 'extend'; ref: string; deadline: string; reason: string }
  | { kind: 'extension'; ref: string; decision: 'approve'; deadline: string; reason?: string }
  | { kind: 'extension'; ref: string; decision: 'refuse'; reason: string };

export type OfficeProblem =
  | 'missing_ref'
  | 'bad_ref'
  | 'missing_reason'
  | 'missing_outcome'
  | 'missing_reduction'
  | 'missing_deadline'
  | 'bad_deadline'
  | 'missing_decision';

export type OfficeParse =
  | { ok: true; command: OfficeCommand }
  | { ok: false; issue: { kind: OfficeKind; problem: OfficeProblem; value: string } };

const KEYWORDS: Record<string, OfficeKind> = {
  appeal: 'appeal',
  申诉: 'appeal',
  rule: 'rule',
  复核: 'rule',
  reopen: 'reopen',
  重新复核: 'reopen',
  extend: 'extend',
  申请延期: 'extend',
  extension: 'extension',
  延期审批: 'extension',
};
const OUTCOMES: Record<string, 'upheld' | 'reduced' | 'withdrawn'> = {
  upheld: 'upheld',
  uphold: 'upheld',
  维持: 'upheld',
  reduce: 'reduced',
  reduced: 'reduced',
  核减: 'reduced',
  withdraw: 'withdrawn',
  withdrawn: 'withdrawn',
  撤销: 'withdrawn',
};
const DECISIONS: Record<string, 'approve' | 'refuse'> = {
  approve: 'approve',
  同意: 'approve',
  批准: 'approve',
  refuse: 'refuse',
  不同意: 'refuse',
  驳回: 'refuse',
};

const reasonSchema = z.string().trim().min(1, { message: 'missing_reason' }).max(1000, { message: 'missing_reason' });
const linkSchema = z.url({ protocol: /^https?$/ });
// The reduction: x2 / ×2 (count), =82.4 / value=82.4 (value), level=B / 等级=B (level)
const countWord = z
  .string()
  .regex(/^[x×*]\d+$/iu)
  .transform((s) => Number(s.slice(1)));
const valueWord = z
  .string()
  .regex(/^(?:value)?=\d+(?:\.\d+)?$/iu)
  .transform((s) => Number(s.split('=')[1]));
const levelWord = z
  .string()
  .regex(/^(?:level|等级)=\S+$/iu)
  .transform((s) => s.split('=')[1]!);

/** The kind of office command the text starts with, or null. */
export function officeKind(text: string): OfficeKind | null {
  const first = tokenize(text)[0];
  return first ? (KEYWORDS[first.norm.toLowerCase()] ?? null) : null;
}

/** null: not an office command; otherwise the command or the first thing wrong with it. */
export function parseOfficeText(text: string): OfficeParse | null {
  const kind = officeKind(text);
  if (kind === null) return null;
  const words = tokenize(text)
    .slice(1)
    .map((t) => t.raw.normalize('NFKC').trim());
  const fail = (problem: OfficeProblem, value = ''): OfficeParse => ({ ok: false, issue: { kind, problem, value } });
  const [refWord, ...rest] = words;
  if (refWord === undefined) return fail('missing_ref');
  const ref = findingRefSchema.safeParse(refWord);
  if (!ref.success) return fail('bad_ref', refWord);
  const reasonOf = (ws: string[]) => reasonSchema.safeParse(ws.map(plainWord).join(' '));

  switch (kind) {
    case 'appeal': {
      const links = rest.filter((w) => linkSchema.safeParse(w).success);
      const reasons = reasonOf(rest.filter((w) => !links.includes(w)));
      if (!reasons.success) return fail('missing_reason');
      return { ok: true, command: { kind, ref: ref.data, reasons: reasons.data, evidenceLinks: links } };
    }
    case 'reopen': {
      const reason = reasonOf(rest);
      if (!reason.success) return fail('missing_reason');
      return { ok: true, command: { kind, ref: ref.data, reason: reason.data } };
    }
    case 'rule': {
      const [outcomeWord, ...more] = rest;
      const outcome = outcomeWord === undefined ? undefined : OUTCOMES[outcomeWord.toLowerCase()];
      if (!outcome) return fail('missing_outcome', outcomeWord ?? '');
      if (outcome !== 'reduced') {
        const ruling = reasonOf(more);
        if (!ruling.success) return fail('missing_reason');
        return { ok: true, command: { kind, ref: ref.data, outcome, ruling: ruling.data } };
      }
      const reduction: { count?: number; value?: number; level?: string } = {};
      const words: string[] = [];
      for (const w of more) {
        const c = countWord.safeParse(w);
        const v = valueWord.safeParse(w);
        const l = levelWord.safeParse(w);
        if (c.success && reduction.count === undefined) reduction.count = c.data;
        else if (v.success && reduction.value === undefined) reduction.value = v.data;
        else if (l.success && reduction.level === undefined) reduction.level = l.data;
        else words.push(w);
      }
      if (Object.keys(reduction).length === 0) return fail('missing_reduction');
      const ruling = reasonOf(words);
      if (!ruling.success) return fail('missing_reason');
      return { ok: true, command: { kind, ref: ref.data, outcome, ruling: ruling.data, ...reduction } };
    }
    case 'extend': {
      const [dateWord, ...more] = rest;
      if (dateWord === undefined || !/\d/.test(dateWord)) return fail('missing_deadline');
      const deadline = isoDateSchema.safeParse(dateWord);
      if (!deadline.success) return fail('bad_deadline', dateWord);
      const reason = reasonOf(more);
      if (!reason.success) return fail('missing_reason');
      return { ok: true, command: { kind, ref: ref.data, deadline: deadline.data, reason: reason.data } };
    }
    case 'extension': {
      const [decisionWord, ...more] = rest;
      const decision = decisionWord === undefined ? undefined : DECISIONS[decisionWord.toLowerCase()];
      if (!decision) return fail('missing_decision', decisionWord ?? '');
      if (decision === 'refuse') {
        const reason = reasonOf(more);
        if (!reason.success) return fail('missing_reason');
        return { ok: true, command: { kind, ref: ref.data, decision, reason: reason.data } };
      }
      const [dateWord, ...why] = more;
      if (dateWord === undefined || !/\d/.test(dateWord)) return fail('missing_deadline');
      const deadline = isoDateSchema.safeParse(dateWord);
      if (!deadline.success) return fail('bad_deadline', dateWord);
      const reason = reasonOf(why);
      return {
        ok: true,
        command: {
          kind,
          ref: ref.data,
          decision,
          deadline: deadline.data,
          ...(reason.success ? { reason: reason.data } : {}),
        },
      };
    }
  }
}
