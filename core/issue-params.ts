import type { LocalizedParam, Params } from './i18n/t.ts';
import { t, tAny } from './i18n/t.ts';
import type { Locale } from './i18n/locale.ts';
import type { FindingIssue } from '../rules/finding-check.ts';
import type { Rulebook } from '../rules/rulebook.ts';
import { suggestClauses, suggestUnits } from './suggest.ts';

// The rulebook check reports codes (group "without_matters", level "province", source
// "provincial_inspection"); a person reads names. This turns an issue's parameters into texts in
// every language, so an error never says "不适用于市统计局（without_matters）".

const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

function each(fn: (locale: Locale) => string): LocalizedParam {
  return Object.fromEntries(LOCALES.map((l) => [l, fn(l)])) as LocalizedParam;
}

export function localizeIssueParams(rb: Rulebook, issue: FindingIssue): Params {
  const out: Params = { ...issue.params };
  const group = issue.params.group;
  if (typeof group === 'string') {
    const g = rb.data.groups.find((x) => x.id === group);
    if (g) out.group = each((l) => g.name[l]);
  }
  const section = issue.params.section;
  if (typeof section === 'string') {
    const s = rb.sections.get(section);
    if (s) out.section = each((l) => `${s.id} ${s.name[l]}`);
  }
  if (issue.field === 'level' && typeof issue.params.clause === 'string') {
    const c = rb.clauses.get(issue.params.clause);
    if (c?.kind === 'tiered')
      out.allowed = each((l) =>
        c.levels
          .map((x) => (l === 'zh-CN' ? `${x.label[l]}（${x.id}）` : `${x.label[l]} (${x.id})`))
          .join(t(l, 'msg.common.listSeparator')),
      );
  }
  if (issue.field === 'source')
    out.allowed = each((l) =>
      rb.settings.sources.map((s) => tAny(l, `domain.source.${s}`)).join(t(l, 'msg.common.listSeparator')),
    );
  if (issue.code === 'UNKNOWN_UNIT' && typeof issue.params.value === 'string')
    out.suggestion = didYouMean(suggestUnits(rb, issue.params.value));
  if (issue.code === 'UNKNOWN_CLAUSE' && typeof issue.params.value === 'string')
    out.suggestion = didYouMean(suggestClauses(rb, issue.params.value));
  return out;
}

/** " Did you mean: a, b?" in every language; empty when there is nothing close. */
export function didYouMean(candidates: readonly string[]): LocalizedParam {
  return each((l) =>
    candidates.length === 0
      ? ''
      : t(l, 'msg.common.didYouMean', { options: candidates.join(t(l, 'msg.common.listSeparator')) }),
  );
}
