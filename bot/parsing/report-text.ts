import { z } from 'zod';
import { tokenize } from './command-tokens.ts';

// `/kaoping export …`, `/kaoping report …`, `/kaoping import …` — the reports people hand on:
//   /kaoping export 2017-09 [xlsx|csv]   standings, findings, rectifications, appeals, extensions
//   /kaoping export 2017                 the year (also 导出)
//   /kaoping report 2017-09              the 通报 as a Word document with its charts (also 通报)
//   /kaoping import <path>               at the console: a findings file in the export's format
//                                        (in chat: the file sent with the command; also 导入)

export type ReportCommand =
  | { kind: 'export'; period: string; format: 'xlsx' | 'csv' }
  | { kind: 'bulletin'; period: string }
  | { kind: 'import'; path: string | null };

export type ReportProblem = 'missing_period' | 'bad_period' | 'bad_format' | 'extra_words';

export type ReportParse =
  | { ok: true; command: ReportCommand }
  | { ok: false; kind: ReportCommand['kind']; problem: ReportProblem; value: string };

const KIND_WORDS: Record<string, ReportCommand['kind']> = {
  export: 'export',
  导出: 'export',
  report: 'bulletin',
  bulletin: 'bulletin',
  通报: 'bulletin',
  import: 'import',
  导入: 'import',
};

const FORMAT_WORDS: Record<string, 'xlsx' | 'csv'> = { xlsx: 'xlsx', excel: 'xlsx', csv: 'csv' };

/** Whether `/kaoping <word> …` is a report command. */
export const isReportCommand = (word: string | undefined): boolean =>
  word !== undefined && word.normalize('NFKC').toLowerCase() in KIND_WORDS;

const periodSchema = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/);

export function parseReportText(text: string): ReportParse {
  const tokens = tokenize(text).map((t) => t.norm);
  const kind = KIND_WORDS[(tokens[0] ?? '').toLowerCase()];
  if (!kind) return { ok: false, kind: 'export', problem: 'missing_period', value: tokens[0] ?? '' };
  const rest = tokens.slice(1);
  if (kind === 'import') {
    // a path may hold spaces: everything after the word, as typed
    const path = text
      .trim()
      .replace(/^\S+\s*/u, '')
      .trim();
    return { ok: true, command: { kind, path: path || null } };
  }
  const [period, ...more] = rest;
  if (!period) return { ok: false, kind, problem: 'missing_period', value: '' };
  if (!periodSchema.safeParse(period).success) return { ok: false, kind, problem: 'bad_period', value: period };
  if (kind === 'bulletin') {
    if (more.length) return { ok: false, kind, problem: 'extra_words', value: more.join(' ') };
    return { ok: true, command: { kind, period } };
  }
  const [formatWord, ...extra] = more;
  const format = formatWord === undefined ? 'xlsx' : FORMAT_WORDS[formatWord.toLowerCase()];
  if (!format) return { ok: false, kind, problem: 'bad_format', value: formatWord ?? '' };
  if (extra.length) return { ok: false, kind, problem: 'extra_words', value: extra.join(' ') };
  return { ok: true, command: { kind, period, format } };
}
