import { readFileSync, writeFileSync } from 'node:fs';
import { renderChartPng } from '../adapters/reports/chart-png.renderer.ts';
import { groupLabel } from '../core/messages/rulebook-labels.ts';
import { rankedGroupChart, scoreTrendChart, sectionChart } from '../core/reports/chart-spec.ts';
import { computeStandings } from '../rules/engine/compute-standings.ts';
import { prepareScenario } from '../rules/scenario.ts';

// npm run docs:charts — the chart pictures in docs/screenshots, remade from the bundled demo
// scenario as of the end of September: the 市直有办事事项单位 group ranked with its quota line, and
// the /myscore 图表 pair (monthly trend, sections against full marks) of that group's last unit.

const AS_OF = '2017-09-30';
const OUT = 'docs/screenshots';

const p = prepareScenario(JSON.parse(readFileSync('rules/examples/hz-2017-demo.scenario.json', 'utf8')));
const standingsAsOf = (asOf: string) =>
  computeStandings(p.rulebook, { year: p.year, asOf, units: p.units, findings: p.findings });
const st = standingsAsOf(AS_OF);
const groupId = p.rulebook.groupIds[0]!;
const group = st.groups[groupId]!;
const rows = st.units.filter((u) => u.group === groupId);
const ranked = rankedGroupChart(
  'zh-CN',
  groupLabel(p.rulebook, 'zh-CN', groupId),
  rows.map((u) => ({ unit: u.unit, total: u.total, advanced: u.advanced })),
  group.quota,
);
const last = [...rows].sort((a, b) => a.total - b.total)[0]!;
const months = Array.from({ length: Number(AS_OF.slice(5, 7)) }, (_, i) => {
  const month = `${p.year}-${String(i + 1).padStart(2, '0')}`;
  const end = new Date(Date.UTC(p.year, i + 1, 0)).toISOString().slice(0, 10);
  return { month, total: standingsAsOf(end).units.find((u) => u.unit === last.unit)!.total };
});
const trend = scoreTrendChart('zh-CN', last.unit, months);
const sections = sectionChart(
  'zh-CN',
  last.unit,
  last.sections.map((s) => ({ name: p.rulebook.sections.get(s.id)!.name['zh-CN'], score: s.score, full: s.full })),
);
for (const [name, spec] of [
  ['chart-group-ranked', ranked],
  ['chart-myscore-trend', trend],
  ['chart-myscore-sections', sections],
] as const) {
  writeFileSync(`${OUT}/${name}.png`, renderChartPng(spec));
  console.log(`${OUT}/${name}.png  (axis ${spec.min}..${spec.max} by ${spec.interval})`);
}
