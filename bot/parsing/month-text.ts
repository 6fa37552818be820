import { z } from 'zod';
import { tokenize } from './command-tokens.ts';

// `/kaoping month …` and `/kaoping year …` — the month review cycle in chat (organisers):
//   /kaoping month draft 2017-09             the draft (also: /kaoping year draft 2017)
//   /kaoping month close 2017-09             close a month (early, too)
//   /kaoping month tiebreak 2017-09 <group> fewer-deductions <reason…>
//   /kaoping month tiebreak 2017-09 <group> 单位A、单位B <reason…>   (the tied units to advance)
//   /kaoping month publish 2017-09           publish; the 通报 goes out
//   /kaoping month reopen 2017-09 <reason…>  reopen (a published month needs the reason)
// The period is YYYY-MM or, for the year's results, YYYY, after either word. Chinese words work
// too: 月份|年度, 草稿, 结账, 同分, 公布, 重新开启.

export type MonthAction = 'draft' | 'close' | 'tiebreak' | 'publish' | 'reopen';

export type MonthCommand =
  | { kind: 'draft' | 'close' | 'publish'; period: string }
  | { kind: 'reopen'; period: string; reason: string }
  | {
      kind: 'tiebreak';
      period: string;
      group: string;
      choice: { method: 'fewer_deductions' } | { method: 'named'; units: string[] };
      reason: string;
    };

export type MonthProblem =
  | 'unknown_action'
  | 'missing_period'
  | 'bad_period'
  | 'month_only'
  | 'missing_group'
  | 'missing_units'
  | 'missing_reason'
  | 'extra_words';

export interface MonthIssue {
  problem: MonthProblem;
  value: string;
  /** Which usage line to show; 'all' when the action is unknown. */
  usage: MonthAction | 'all';
}

export type MonthParse = { ok: true; command: MonthCommand } | { ok: false; issue: MonthIssue };

const SUBJECT_WORDS = new Set(['month', 'months', 'year', '月份', '月度', '年度', '年度结果']);

/** Whether `/kaoping <word> …` is a month review command. */
export const isMonthCommand = (word: string | undefined): boolean =>
  word !== undefined && SUBJECT_WORDS.has(word.normalize('NFKC').toLowerCase());

const ACTION_WORDS: Record<string, MonthAction> = {
  draft: 'draft',
  review: 'draft',
  草稿: 'draft',
  审核: 'draft',
  close: 'close',
  结账: 'close',
  tiebreak: 'tiebreak',
  'tie-break': 'tiebreak',
  同分: 'tiebreak',
  同分处理: 'tiebreak',
  publish: 'publish',
  公布: 'publish',
  发布: 'publish',
  reopen: 'reopen',
  重新开启: 'reopen',
  重开: 'reopen',
};

const FEWER_DEDUCTIONS = new Set(['fewer-deductions', 'fewer_deductions', 'deductions', '扣分少者优先', '扣分少']);

const periodSchema = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/);
const reasonSchema = z.string().trim().min(1).max(1000);

export function parseMonthText(text: string): MonthParse {
  const all = tokenize(text);
  const tokens = all.map((t) => t.norm);
  const [, actionWord, periodWord, ...rest] = tokens;
  /** Reasons as typed (full-width punctuation kept), from the i-th token on. */
  const typedFrom = (i: number) =>
    all
      .slice(i)
      .map((t) => t.raw)
      .join(' ');
  const action = actionWord ? ACTION_WORDS[actionWord.toLowerCase()] : undefined;
  const fail = (problem: MonthProblem, value: string, usage: MonthAction | 'all' = action ?? 'all'): MonthParse => ({
    ok: false,
    issue: { problem, value, usage },
  });
  if (!action) return fail('unknown_action', actionWord ?? '', 'all');
  if (!periodWord) return fail('missing_period', '');
  if (!periodSchema.safeParse(periodWord).success) return fail('bad_period', periodWord);
  const period = periodWord;
  switch (action) {
    case 'draft':
    case 'publish':
    case 'close':
      if (action === 'close' && period.length === 4) return fail('month_only', period);
      if (rest.length > 0) return fail('extra_words', rest.join(' '));
      return { ok: true, command: { kind: action, period } };
    case 'reopen':
      // the reason is optional here: core asks for it when the period was published
      return { ok: true, command: { kind: 'reopen', period, reason: typedFrom(3) } };
    case 'tiebreak': {
      const [group, who] = rest;
      if (!group) return fail('missing_group', '');
      if (!who) return fail('missing_units', '');
      const reason = reasonSchema.safeParse(typedFrom(5));
      if (!reason.success) return fail('missing_reason', '');
      const choice = FEWER_DEDUCTIONS.has(who.toLowerCase())
        ? ({ method: 'fewer_deductions' } as const)
        : ({ method: 'named', units: who.split(/[,，、]/).filter(Boolean) } as const);
      if (choice.method === 'named' && choice.units.length === 0) return fail('missing_units', who);
      return { ok: true, command: { kind: 'tiebreak', period, group, choice, reason: reason.data } };
    }
  }
}
