import { performance } from 'node:perf_hooks';
import type { SettingsFor } from '../adapters/config/settings.schema.ts';
import { renderChartPng } from '../adapters/reports/chart-png.renderer.ts';
import { exportFiles } from '../adapters/reports/export-files.ts';
import { importFindings } from '../adapters/reports/findings-import.ts';
import type { Actor } from '../core/assessment-api.ts';
import { createAssessment } from '../core/assessment.ts';
import { rankedGroupChart, scoreTrendChart, sectionChart } from '../core/reports/chart-spec.ts';
import { PrismaAssessmentStore } from '../prisma/repositories/prisma-assessment-store.ts';
import { prepareYearDatabase } from './bot.bench.ts';
import { fmt, medianMs } from './timing.ts';

// Reports on a year of 100,000 findings: the export (ReportData, then the XLSX workbook and the
// CSV files) and the import of that workbook into an empty year through the bulk intake, each
// with its time and the process's peak memory while it ran (RSS sampled every 20 ms, above what
// it was before); then the charts, in ms per chart. The imported year is compared with the
// source: how many units' totals differ (none should: verified rectifications come along).

const ROWS = 100_000;
const NOW = new Date('2017-12-31T10:00:00+08:00');

async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, ms: performance.now() - t0, peakMb: (peak - before) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

export async function benchReports(settings: SettingsFor<'bench'>): Promise<void> {
  const source = await prepareYearDatabase(settings, 'reports-src', ROWS);
  const target = await prepareYearDatabase(settings, 'reports-dst', 0);
  try {
    const clock = { now: () => NOW };
    const a = createAssessment({ rulebook: source.rb, store: new PrismaAssessmentStore(source.prisma), clock });
    const b = createAssessment({ rulebook: target.rb, store: new PrismaAssessmentStore(target.prisma), clock });
    const organiser = async (x: typeof a): Promise<Actor> => {
      const r = await x.membership.resolveActor('slack', 'UBENCHORG');
      if (!r.ok) throw r.error;
      return r.value;
    };
    const orgA = await organiser(a);
    const orgB = await organiser(b);
    await a.queries.standingsAsOf(orgA, '2017-12-31'); // a running worker has its ledger cache warm

    const data = await measured(async () => {
      const r = await a.reports.data(orgA, { period: '2017' });
      if (!r.ok) throw r.error;
      return r.value;
    });
    const xlsx = await measured(() => exportFiles(a.rulebook, 'zh-CN', data.value, 'xlsx'));
    const csv = await measured(() => exportFiles(a.rulebook, 'zh-CN', data.value, 'csv'));
    const workbook = xlsx.value[0]!;
    const mb = (n: number) => (n / 2 ** 20).toFixed(1);
    console.log(
      `year of ${ROWS} findings (${data.value.findings.length} in the export), loaded in ${fmt(source.loadMs)} ms`,
    );
    console.log('| step | time | peak RSS above start | output |');
    console.log('| --- | ---: | ---: | --- |');
    console.log(`| report data (engine + store) | ${fmt(data.ms)} ms | ${data.peakMb.toFixed(0)} MB | |`);
    console.log(
      `| XLSX export | ${fmt(xlsx.ms)} ms | ${xlsx.peakMb.toFixed(0)} MB | ${mb(workbook.bytes.byteLength)} MB |`,
    );
    const csvBytes = csv.value.reduce((s, f) => s + f.bytes.byteLength, 0);
    console.log(
      `| CSV export (${csv.value.length} files) | ${fmt(csv.ms)} ms | ${csv.peakMb.toFixed(0)} MB | ${mb(csvBytes)} MB |`,
    );

    const imported = await measured(() => importFindings(b, orgB, workbook.filename, workbook.bytes));
    if (!imported.value.ok) throw new Error(`import refused: ${JSON.stringify(imported.value.problems.slice(0, 5))}`);
    const again = await measured(() => importFindings(b, orgB, workbook.filename, workbook.bytes));
    console.log(
      `| XLSX import (bulk intake) | ${fmt(imported.ms)} ms | ${imported.peakMb.toFixed(0)} MB | ${imported.value.batch.created} filed, ${imported.value.withdrawn} withdrawn left out |`,
    );
    console.log(
      `| the same import again | ${fmt(again.ms)} ms | ${again.peakMb.toFixed(0)} MB | ${again.value.ok ? again.value.batch.created : '?'} filed |`,
    );
    const sa = await a.queries.standingsAsOf(orgA, '2017-12-31');
    const sb = await b.queries.standingsAsOf(orgB, '2017-12-31');
    if (!sa.ok || !sb.ok) throw new Error('standings refused');
    const totalOf = new Map(sb.value.units.map((u) => [u.unit, u.total]));
    const differ = sa.value.units.filter((u) => totalOf.get(u.unit) !== u.total).length;
    console.log(`imported year: ${differ} of ${sa.value.units.length} units' totals differ from the source's`);

    // charts: ms per chart (median of 10 after a warm-up), each group's ranked chart and a unit's two
    const g = data.value.groups[0]!;
    const group = rankedGroupChart('zh-CN', g.group, g.standings, g.quota);
    const months = Array.from({ length: 12 }, (_, i) => ({
      month: `2017-${String(i + 1).padStart(2, '0')}`,
      total: 100 - i / 3,
    }));
    const trend = scoreTrendChart('zh-CN', '市公安局', months);
    const sections = sectionChart(
      'zh-CN',
      '市公安局',
      data.value.sections.map((s) => ({
        name: a.rulebook.sections.get(s.id)!.name['zh-CN'],
        score: s.full * 0.9,
        full: s.full,
      })),
    );
    console.log('| chart | ms per chart (PNG) |');
    console.log('| --- | ---: |');
    for (const [name, spec] of [
      [`ranked group (${g.standings.length} units)`, group],
      ['monthly trend', trend],
      [`sections (${sections.categories.length})`, sections],
    ] as const)
      console.log(`| ${name} | ${fmt(await medianMs(() => renderChartPng(spec), 10, 1))} |`);
  } finally {
    await source.prisma.$disconnect();
    await target.prisma.$disconnect();
    await source.drop();
    await target.drop();
  }
}
