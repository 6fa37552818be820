import type { FindingView } from '../assessment-api.ts';
import type { Locale } from '../i18n/locale.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import type { FindingMessageOptions } from './findings.ts';

// Rulebook codes (clause, section, level, group) as the reader's words. Every message that shows
// one of them goes through here, so no "等级: province" or "在with_matters排名" reaches a person.

export type FindingLabels = Pick<FindingMessageOptions, 'clauseTitle' | 'sectionName' | 'levelLabel'>;

/** Clause title, section name and level label of a finding in the reader's language. */
export function findingLabels(
  rb: Rulebook,
  locale: Locale,
  f: Pick<FindingView, 'clause'> & Partial<Pick<FindingView, 'section' | 'level'>>,
): FindingLabels {
  const clause = rb.clauses.get(f.clause);
  const section = rb.sections.get(f.section ?? clause?.section ?? '');
  const level = clause?.kind === 'tiered' && f.level ? clause.levels.find((l) => l.id === f.level) : undefined;
  return {
    ...(clause ? { clauseTitle: clause.text[locale] } : {}),
    ...(section ? { sectionName: section.name[locale] } : {}),
    ...(level ? { levelLabel: level.label[locale] } : {}),
  };
}

/** A level id as the reader's words ("province" → "省级"); the id itself when the clause has no such level. */
export function levelLabel(rb: Rulebook, locale: Locale, clauseId: string, levelId: string): string {
  const clause = rb.clauses.get(clauseId);
  if (clause?.kind !== 'tiered') return levelId;
  return clause.levels.find((l) => l.id === levelId)?.label[locale] ?? levelId;
}

/** A group id as its name ("with_matters" → "市直有办事事项单位"). */
export function groupLabel(rb: Rulebook, locale: Locale, groupId: string): string {
  return rb.data.groups.find((g) => g.id === groupId)?.name[locale] ?? groupId;
}
