import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { groupLabel } from '../../core/messages/rulebook-labels.ts';
import type { OutgoingFile } from '../../core/ports/messenger.port.ts';
import type { ReportFormat, ReportKind } from '../../core/ports/report-jobs.port.ts';
import { bulletinContent } from '../../core/reports/bulletin-content.ts';
import { rankedGroupChart } from '../../core/reports/chart-spec.ts';
import type { ReportData } from '../../core/reports/report-data.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import { type BulletinChart, writeBulletinDocx } from './bulletin-docx.writer.ts';
import { renderChartPng } from './chart-png.renderer.ts';
import { exportFiles } from './export-files.ts';

/** The files of a report request: an export (XLSX or CSV), or the 通报 document and its charts. */
export async function reportFiles(
  rb: Rulebook,
  locale: Locale,
  data: ReportData,
  kind: ReportKind,
  format: ReportFormat,
): Promise<OutgoingFile[]> {
  if (kind === 'export') return exportFiles(rb, locale, data, format === 'csv' ? 'csv' : 'xlsx');
  return bulletinFiles(rb, locale, data);
}

/** Each group ranked, its advanced units highlighted and the quota line drawn, as the 通报 shows it. */
export function groupCharts(rb: Rulebook, locale: Locale, data: ReportData): BulletinChart[] {
  return data.groups.map((g) => {
    const name = groupLabel(rb, locale, g.group);
    const spec = rankedGroupChart(
      locale,
      name,
      g.standings.map((s) => ({ unit: s.unit, total: s.total, advanced: s.advanced })),
      g.quota,
    );
    return {
      group: g.group,
      caption: t(locale, 'report.bulletin.chartCaption', { group: name }),
      png: renderChartPng(spec),
      width: spec.width,
      height: spec.height,
    };
  });
}

/** The 通报 as .docx (with each group's chart in it), then the charts as pictures for the chat. */
export async function bulletinFiles(rb: Rulebook, locale: Locale, data: ReportData): Promise<OutgoingFile[]> {
  const charts = groupCharts(rb, locale, data);
  const content = bulletinContent(rb, locale, data);
  const base = t(locale, 'report.bulletin.fileName', { period: data.period });
  return [
    {
      filename: `${base}.docx`,
      bytes: await writeBulletinDocx(locale, content, charts),
      kind: 'file',
      title: content.title,
    },
    ...charts.map((c) => ({
      filename: `${base}-${c.group}.png`,
      bytes: c.png,
      kind: 'image' as const,
      title: c.caption,
    })),
  ];
}
