import type { Locale } from './locale.ts';

/**
 * A catalog area: zh-CN is the reference; every other locale must carry the same keys (checked
 * by the compiler here and by test/core/i18n.test.ts). Placeholders are written {name}.
 */
export function defineCatalog<const K extends string>(
  zh: Record<K, string>,
  others: { en: Record<K, string> },
): Record<Locale, Record<K, string>> {
  return { 'zh-CN': zh, en: others.en };
}
