import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { formatNumber } from '../messages/format.ts';
import { groupLabel } from '../messages/rulebook-labels.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import type { ReportData } from './report-data.ts';

// The 通报 (bulletin) of a published period as text and tables, in the order of a 公文 (GB/T 9704):
// the issuing office, the number line, the title, the addressees, the body (results per group,
// the advanced units, the main problems found), the signature and date, and the 附件 of deductions
// by unit. adapters/reports/bulletin-docx.writer.ts lays it out as a Word document; the numbers
// are the published snapshot's (ReportData), the same the chat 通报 announced.

export interface BulletinTable {
  caption: string;
  header: string[];
  rows: string[][];
}

export interface BulletinContent {
  office: string;
  /** 发文字号 with the number left for the office to fill in. */
  number: string;
  title: string;
  addressees: string;
  opening: string;
  /** 一、… per group: a caption, a table, the chart's group. */
  results: Array<{ group: string; heading: string; table: BulletinTable }>;
  advancedHeading: string;
  advanced: string[];
  problemsHeading: string;
  problems: string[];
  closing: string;
  signature: string;
  date: string;
  annexLabel: string;
  annexHeading: string;
  annexTitle: string;
  annex: BulletinTable;
}

const MAX_PROBLEMS = 5;

/** Chinese ordinal headings 一、二、三… */
const CN_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export function bulletinContent(rb: Rulebook, locale: Locale, data: ReportData): BulletinContent {
  const published = data.published;
  const periodText =
    data.kind === 'month'
      ? t(locale, 'report.bulletin.periodMonth', { year: data.year, month: Number(data.period.slice(5, 7)) })
      : t(locale, 'report.bulletin.periodYear', { year: data.year });
  const dateOf = (d: Date) => {
    const day = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const [y, m, dd] = day.split('-').map(Number);
    return t(locale, 'report.bulletin.date', { year: y!, month: m!, day: dd! });
  };
  const sep = t(locale, 'msg.common.listSeparator');
  const results = data.groups.map((g, i) => ({
    group: g.group,
    heading: t(locale, 'report.bulletin.groupHeading', {
      n: i + 1,
      group: groupLabel(rb, locale, g.group),
      assessed: g.assessed,
      quota: g.quota,
    }),
    table: {
      caption: groupLabel(rb, locale, g.group),
      header: [
        t(locale, 'report.column.rank'),
        t(locale, 'report.column.unit'),
        t(locale, 'report.column.total'),
        t(locale, 'report.column.deductions'),
        t(locale, 'report.column.bonuses'),
        t(locale, 'report.column.advanced'),
      ],
      rows: g.standings.map((s) => [
        String(s.rank),
        s.unit,
        formatNumber(s.total),
        formatNumber(s.deductions),
        formatNumber(s.bonuses),
        s.advanced ? t(locale, 'report.yes') : '',
      ]),
    },
  }));
  const advanced = data.groups.map((g) =>
    t(locale, 'report.bulletin.advancedLine', {
      group: groupLabel(rb, locale, g.group),
      units: g.advanced.length ? g.advanced.join(sep) : t(locale, 'report.bulletin.none'),
    }),
  );

  // the clauses most often found against, by findings that counted as deductions
  const byClause = new Map<string, { findings: number; units: Set<string>; points: number }>();
  for (const f of data.findings) {
    if (f.result.status !== 'counted' || f.result.points >= 0) continue;
    const c = byClause.get(f.finding.clause) ?? { findings: 0, units: new Set<string>(), points: 0 };
    c.findings += 1;
    c.units.add(f.finding.unit);
    c.points += f.result.points;
    byClause.set(f.finding.clause, c);
  }
  const problems = [...byClause.entries()]
    .sort((a, b) => b[1].findings - a[1].findings || a[1].points - b[1].points || a[0].localeCompare(b[0]))
    .slice(0, MAX_PROBLEMS)
    .map(([clause, c], i) =>
      t(locale, 'report.bulletin.problem', {
        n: i + 1,
        text: rb.clauses.get(clause)?.text[locale] ?? clause,
        clause,
        units: c.units.size,
        findings: c.findings,
        points: formatNumber(-c.points),
      }),
    );

  const rankOf = new Map(data.groups.flatMap((g) => g.standings.map((s, i) => [s.unit, i] as const)));
  const annexRows = data.findings
    .filter((f) => f.result.status === 'counted' && f.result.points < 0)
    .sort(
      (a, b) =>
        (rankOf.get(a.finding.unit) ?? 0) - (rankOf.get(b.finding.unit) ?? 0) ||
        a.finding.unit.localeCompare(b.finding.unit, 'zh-CN') ||
        a.finding.seq - b.finding.seq,
    )
    .map((f) => [
      f.finding.unit,
      `#${f.finding.seq}`,
      f.finding.clause,
      f.finding.date,
      formatNumber(f.result.points),
      f.finding.evidenceText || (rb.clauses.get(f.finding.clause)?.text[locale] ?? ''),
    ]);
  const office = t(locale, 'report.bulletin.office');
  return {
    office: t(locale, 'report.bulletin.officeHeader', { office }),
    number: t(locale, 'report.bulletin.number', { year: data.year }),
    title: t(locale, 'report.bulletin.title', { period: periodText }),
    addressees: t(locale, 'report.bulletin.addressees'),
    opening: t(locale, 'report.bulletin.opening', {
      period: periodText,
      rules: rb.data.title[locale],
      asOf: data.asOf,
      version: published?.version ?? 0,
    }),
    results,
    advancedHeading: t(locale, 'report.bulletin.advancedHeading', { n: CN_NUMBERS[1]! }),
    advanced,
    problemsHeading: t(locale, 'report.bulletin.problemsHeading', { n: CN_NUMBERS[2]! }),
    problems: problems.length ? problems : [t(locale, 'report.bulletin.noProblems')],
    closing: t(locale, 'report.bulletin.closing'),
    signature: office,
    date: published ? dateOf(published.publishedAt) : data.asOf,
    annexLabel: t(locale, 'report.bulletin.annexLabel'),
    annexHeading: t(locale, 'report.bulletin.annexHeading'),
    annexTitle: t(locale, 'report.bulletin.annexTitle', { period: periodText }),
    annex: {
      caption: t(locale, 'report.bulletin.annexTitle', { period: periodText }),
      header: [
        t(locale, 'report.column.unit'),
        t(locale, 'report.column.seq'),
        t(locale, 'report.column.clause'),
        t(locale, 'report.column.date'),
        t(locale, 'report.column.points'),
        t(locale, 'report.column.evidence'),
      ],
      rows: annexRows,
    },
  };
}

/** The results heading of the body: 一、考评结果. */
export function resultsHeading(locale: Locale): string {
  return t(locale, 'report.bulletin.resultsHeading', { n: CN_NUMBERS[0]! });
}
