import { describe, it, expect } from 'vitest';
import { t } from '../../core/i18n/t.ts';
import { workerCatalog } from '../../core/i18n/catalogs/worker.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('worker catalog', () => {
  it('is registered and renders in both languages', () => {
    expect(t('zh-CN', 'worker.stage.overdue', { n: 2 })).toBe('第 2 次逾期提醒');
    expect(t('en', 'worker.stage.overdue', { n: 2 })).toBe('overdue reminder 2');
  });
  it('has the same keys and placeholders in every locale, all prefixed worker.', () => {
    expect(Object.keys(workerCatalog.en).sort()).toEqual(Object.keys(workerCatalog['zh-CN']).sort());
    for (const [k, zh] of Object.entries(workerCatalog['zh-CN'])) {
      expect(k.startsWith('worker.')).toBe(true);
      expect(placeholders(workerCatalog.en[k as keyof typeof workerCatalog.en])).toEqual(placeholders(zh));
    }
  });
});
