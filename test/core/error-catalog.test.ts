import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { allKeys, hasMessage } from '../../core/i18n/t.ts';
import { AppError } from '../../core/errors.ts';

// Every error code raised anywhere in the code has a user message in every language, and every
// message's placeholders are the same across languages.

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'generated' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const codes = new Set<string>();
for (const dir of ['core', 'bot', 'worker', 'prisma', 'rules', 'adapters']) {
  for (const file of sources(dir)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/new AppError\(\s*[`'"]([A-Z_]+\.[A-Z_]+)[`'"]/g))
      codes.add(m[1]!);
  }
}
codes.add('BATCH.INVALID_ROWS'); // raised by InvalidRowsError (core/errors.ts)
for (const m of readFileSync('rules/finding-check.ts', 'utf8').matchAll(/issue\(\s*'([A-Z_]+)'/g))
  codes.add(`FINDING.${m[1]!}`);

describe('error catalog', () => {
  it('finds the codes it checks', () => {
    expect(codes.size).toBeGreaterThan(20);
  });

  it.each([...codes].sort())('%s has a message in zh-CN and en without unfilled placeholders', (code) => {
    expect(hasMessage(`error.${code}`)).toBe(true);
    expect(allKeys('en')).toContain(`error.${code}`);
    const e = new AppError(code, 'internal', {
      field: 'unit',
      params: {
        value: 'v',
        clause: 'c',
        section: 's',
        unit: 'u',
        group: 'g',
        year: 2017,
        years: '2017, 2018',
        min: 1,
        max: 2,
        allowed: 'a',
        date: 'd',
        month: 'm',
        state: 'st',
        detail: 'x',
        action: 'act',
        suggestion: '',
        row: 3,
        count: 4,
      },
    });
    for (const locale of ['zh-CN', 'en'] as const) {
      const text = e.userMessage(locale);
      expect(text).not.toMatch(/\{\w+\}/);
      expect(text.length).toBeGreaterThan(5);
    }
  });

  it('zh-CN and en carry the same keys', () => {
    expect([...allKeys('en')].sort()).toEqual([...allKeys('zh-CN')].sort());
  });

  it('AppError survives a JSON round trip', () => {
    const e = new AppError('FINDING.MONTH_CLOSED', 'month 2017-04 is closed', {
      field: 'date',
      params: { month: '2017-04' },
    });
    const back = AppError.fromJSON(JSON.parse(JSON.stringify(e)));
    expect(back).toBeInstanceOf(AppError);
    expect(back.code).toBe(e.code);
    expect(back.field).toBe('date');
    expect(back.userMessage('en')).toBe(e.userMessage('en'));
    expect(back.userMessage('zh-CN')).toContain('2017-04');
  });
});
