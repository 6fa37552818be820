import type { Locale } from './locale.ts';
import { errorsCatalog } from './catalogs/errors.ts';
import { domainCatalog } from './catalogs/domain.ts';
import { workerCatalog } from './catalogs/worker.ts';
import { messagesCatalog } from './catalogs/messages.ts';
import { botFindingCatalog } from './catalogs/bot-finding.ts';
import { botStandingCatalog } from './catalogs/bot-standing.ts';
import { botFindingChangeCatalog } from './catalogs/bot-finding-change.ts';
import { botDingTalkCatalog } from './catalogs/bot-dingtalk.ts';
import { botOfficeCatalog } from './catalogs/bot-office.ts';
import { monthsCatalog } from './catalogs/months.ts';
import { reportsCatalog } from './catalogs/reports.ts';

// Each area owns one catalog file; keys are prefixed by area so they cannot collide.
const catalogs = [
  errorsCatalog,
  domainCatalog,
  messagesCatalog,
  workerCatalog,
  botFindingCatalog,
  botStandingCatalog,
  botFindingChangeCatalog,
  botDingTalkCatalog,
  botOfficeCatalog,
  monthsCatalog,
  reportsCatalog,
] as const;

type KeysOf<C> = C extends Record<Locale, Record<infer K, string>> ? K : never;
export type MessageKey = KeysOf<(typeof catalogs)[number]>;
/** A parameter already in every language (a rulebook name, a translated code), picked per locale. */
export type LocalizedParam = Readonly<Record<Locale, string>>;
export type Params = Record<string, string | number | LocalizedParam>;

function paramText(locale: Locale, v: string | number | LocalizedParam): string {
  return typeof v === 'object' ? (v[locale] ?? v['zh-CN']) : String(v);
}

/** A catalog text in every language, as a parameter for another text (an error's action name, a state). */
export function localized(key: MessageKey, params: Params = {}): LocalizedParam {
  return { 'zh-CN': t('zh-CN', key, params), en: t('en', key, params) };
}

const merged: Record<Locale, Map<string, string>> = { 'zh-CN': new Map(), en: new Map() };
for (const c of catalogs) {
  for (const locale of Object.keys(merged) as Locale[]) {
    for (const [k, v] of Object.entries(c[locale] as Record<string, string>)) merged[locale].set(k, v);
  }
}

export function hasMessage(key: string): key is MessageKey {
  return merged['zh-CN'].has(key);
}

export function t(locale: Locale, key: MessageKey, params: Params = {}): string {
  const template = merged[locale].get(key) ?? merged['zh-CN'].get(key) ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? paramText(locale, params[name]!) : whole,
  );
}

export function allKeys(locale: Locale): string[] {
  return [...merged[locale].keys()];
}

export function tAny(locale: Locale, key: string, params: Params = {}): string {
  return t(locale, key as MessageKey, params);
}
