// A month's 通报 as its publication froze it: the ranked summary's standings (with the overdue
// list) and each unit's private detail, rebuilt from the publication alone — never from live
// findings, so a ruling or a verified rectification after publishing does not change what this
// version says. null for a publication made before the detail was frozen (the caller falls back
// to the standings as of the month's last day, as it did then).

import type { GroupStandings } from '../core/assessment-api.ts';
import type { Locale } from '../core/i18n/locale.ts';
import type { BreakdownText } from '../core/messages/standings.ts';
import type { PublicationRecord, PublishedFindingLine, PublishedGroup } from '../core/ports/publications.port.ts';
import type { Rulebook } from '../rules/rulebook.ts';

export type AnnouncedStandings = Omit<GroupStandings, 'overdue'> & { overdue: readonly PublishedFindingLine[] };

/** A tie the office did not resolve is announced as a tie: every tied unit marked, with the note. */
const openTie = (g: PublishedGroup) => g.tied.length > 0 && !g.tieBreak;

const isFrozen = (p: PublicationRecord) => p.content.overdue !== undefined && p.content.units.every((u) => u.detail);

/** Advanced as announced; with an open tie also the tied units (as the engine marks them). */
function announcedAdvanced(g: PublishedGroup, unit: string, advanced: boolean): boolean {
  return advanced || (openTie(g) && g.tied.includes(unit));
}

export function announcedStandings(rb: Rulebook, locale: Locale, p: PublicationRecord): AnnouncedStandings | null {
  if (!isFrozen(p)) return null;
  return {
    asOf: p.asOf,
    year: p.year,
    groups: p.content.groups.map((g) => ({
      group: g.group,
      name: rb.data.groups.find((x) => x.id === g.group)!.name[locale],
      assessed: g.assessed,
      quota: g.quota,
      advanced: g.advanced,
      tiedAtCut: openTie(g),
      cutScore: g.cut,
      units: p.content.units
        .filter((u) => u.group === g.group)
        .map((u) => ({
          unit: u.unit,
          total: u.total,
          rank: u.rank,
          advanced: announcedAdvanced(g, u.unit, u.advanced),
          disqualified: u.disqualified,
        })),
    })),
    overdue: p.content.overdue ?? [],
  };
}

/** A unit's private detail as published, in the reader's language; null as for announcedStandings. */
export function announcedBreakdown(
  rb: Rulebook,
  locale: Locale,
  p: PublicationRecord,
  unit: string,
): BreakdownText | null {
  const u = p.content.units.find((x) => x.unit === unit);
  const g = u && p.content.groups.find((x) => x.group === u.group);
  if (!isFrozen(p) || !u?.detail || !g) return null;
  const d = u.detail;
  return {
    unit,
    group: u.group,
    groupName: rb.data.groups.find((x) => x.id === u.group)!.name[locale],
    asOf: p.asOf,
    standing: {
      unit,
      group: u.group,
      base: u.base,
      total: u.total,
      deductions: u.deductions,
      bonuses: u.bonuses,
      overflow: d.overflow,
      sections: d.sections,
      disqualified: u.disqualified,
      findings: [],
    },
    ranking: {
      rank: u.rank,
      advanced: announcedAdvanced(g, unit, u.advanced),
      groupSize: g.assessed,
      groupResult: {
        group: g.group,
        assessed: g.assessed,
        quota: g.quota,
        advanced: g.advanced,
        tiedAtCut: openTie(g),
        cutScore: g.cut,
      },
    },
    published: null,
    monthPoints: d.monthPoints,
    sections: d.sections.map((s) => ({ ...s, name: rb.sections.get(s.id)!.name[locale] })),
    openRectifications: d.open,
  };
}
