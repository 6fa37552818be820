import { renderChartPng } from '../adapters/reports/chart-png.renderer.ts';
import { rankedGroupChart, scoreTrendChart, sectionChart } from '../core/reports/chart-spec.ts';
import { loadRulebook } from '../rules/rulebook.ts';
import { fmt, medianWallCpu } from './timing.ts';

// npm run bench -- charts — ms per chart PNG (median of 10 after a warm-up; wall and this process's
// CPU, the steadier one on a shared machine) for the three charts people get: a 43-unit group
// ranked with its quota line (as the 通报 carries it), a unit's 12-month trend and its 14 sections
// (the /myscore 图表 pair). No database: the charts are drawn from made-up standings.

export async function benchCharts(): Promise<void> {
  const rb = loadRulebook('hz-2017');
  const group = rankedGroupChart(
    'zh-CN',
    '市直有办事事项单位',
    Array.from({ length: 43 }, (_, i) => ({ unit: `市第${i + 1}办事事项局`, total: 100.5 - i / 5, advanced: i < 8 })),
    8,
  );
  const trend = scoreTrendChart(
    'zh-CN',
    '市公安局',
    Array.from({ length: 12 }, (_, i) => ({ month: `2017-${String(i + 1).padStart(2, '0')}`, total: 100 - i / 3 })),
  );
  const sections = sectionChart(
    'zh-CN',
    '市公安局',
    [...rb.sections.values()].map((s) => ({ name: s.name['zh-CN'], score: s.full * 0.9, full: s.full })),
  );
  console.log(
    `load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log('| chart | wall ms per PNG | CPU ms per PNG |');
  console.log('| --- | ---: | ---: |');
  for (const [name, spec] of [
    ['ranked group (43 units)', group],
    ['monthly trend (12 months)', trend],
    [`sections (${sections.categories.length})`, sections],
  ] as const) {
    const m = medianWallCpu(() => renderChartPng(spec), 10, 1);
    console.log(`| ${name} | ${fmt(m.wall)} | ${fmt(m.cpu)} |`);
  }
}
