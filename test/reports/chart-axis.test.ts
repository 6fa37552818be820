import * as echarts from 'echarts';
import { describe, expect, it } from 'vitest';
import { echartsOption } from '../../adapters/reports/chart-png.renderer.ts';
import {
  type ChartSpec,
  niceAxis,
  rankedGroupChart,
  scoreTrendChart,
  sectionChart,
} from '../../core/reports/chart-spec.ts';

// The value axis of a chart reads as a ruler: round numbers, evenly spaced, the top one a tick
// like the others (the 通报's group chart once showed 90 93 96 99 102 103, the 103 on top of 102).
// The ticks are the ones ECharts itself lays out for the option the renderer gives it.

function valueTicks(spec: ChartSpec): number[] {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption(echartsOption(spec));
    // ECharts' model is not in its public types
    const model = (chart as any).getModel();
    const axis = model.getComponent(spec.kind === 'hbar' ? 'xAxis' : 'yAxis').axis;
    return axis.scale.getTicks().map((t: { value: number }) => t.value);
  } finally {
    chart.dispose();
  }
}

function expectRuler(ticks: number[], values: readonly number[]) {
  expect(ticks.length).toBeGreaterThanOrEqual(3);
  const step = ticks[1]! - ticks[0]!;
  for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBeCloseTo(step, 9);
  // a round step: 1, 2 or 5 × 10ⁿ
  const mantissa = Number((step / 10 ** Math.floor(Math.log10(step))).toPrecision(6));
  expect([1, 2, 5]).toContain(mantissa);
  // every value on the plot, none cut off
  expect(ticks[0]!).toBeLessThanOrEqual(Math.min(...values));
  expect(ticks.at(-1)!).toBeGreaterThanOrEqual(Math.max(...values));
}

describe('chart value axes', () => {
  it('the ranked group chart of the demo year: even round ticks, the max one of them, the quota line kept', () => {
    const totals = [100.5, ...Array(26).fill(100), 99, 98, 98, 98, 98, 98, 98, 98, 97, 96, 96, 96, 94, 92];
    const spec = rankedGroupChart(
      'zh-CN',
      '市直有办事事项单位',
      totals.map((total, i) => ({ unit: `单位${i}`, total, advanced: i === 0 })),
      8,
    );
    const ticks = valueTicks(spec);
    expectRuler(ticks, totals);
    expect(ticks.at(-1)).toBe(spec.max);
    expect(ticks[0]).toBe(spec.min);
    expect(spec.markLine?.value).toBe(100);
    expect(spec.markLine?.label).toContain('8');
  });

  it('the /myscore trend and section charts: even round ticks, the max one of them', () => {
    const points = [100, 100, 100, 100, 100, 100, 100, 100, 94];
    const trend = scoreTrendChart(
      'zh-CN',
      '市交通运输局',
      points.map((total, i) => ({ month: `2017-${String(i + 1).padStart(2, '0')}`, total })),
    );
    expectRuler(valueTicks(trend), points);
    expect(valueTicks(trend).at(-1)).toBe(trend.max);
    const sections = sectionChart('zh-CN', '市交通运输局', [
      { name: '事项梳理公布、入库情况', score: 15, full: 15 },
      { name: '数据资源共享情况', score: 7.5, full: 10 },
      { name: '个人办事事项办理改革情况', score: 0, full: 5 },
    ]);
    const st = valueTicks(sections);
    expectRuler(st, [0, 15]);
    expect(st[0]).toBe(0);
    expect(st.at(-1)).toBe(sections.max);
  });

  it('niceAxis rounds out to multiples of a 1-2-5 step, fractional spans included', () => {
    expect(niceAxis(90.3, 102.2)).toEqual({ min: 90, max: 104, interval: 2 });
    expect(niceAxis(96.8, 98.7)).toEqual({ min: 96.5, max: 99, interval: 0.5 });
    expect(niceAxis(0, 15)).toEqual({ min: 0, max: 15, interval: 5 });
    expect(niceAxis(0, 100)).toEqual({ min: 0, max: 100, interval: 20 });
    expect(niceAxis(-3.5, 2)).toEqual({ min: -4, max: 2, interval: 1 });
  });
});

describe("the ranked group chart's subtitle", () => {
  const rows = (advanced: number) =>
    Array.from({ length: 10 }, (_, i) => ({ unit: `单位${i}`, total: i < 6 ? 100 : 90 - i, advanced: i < advanced }));

  it('names the quota when the advanced units fit in it', () => {
    expect(rankedGroupChart('zh-CN', '组', rows(2), 2).subtitle).toBe('共 10 个单位，先进名额 2 个（红色为先进单位）');
  });

  it('says why more units are red than the quota when units tie at the cut, in both languages', () => {
    expect(rankedGroupChart('zh-CN', '组', rows(6), 2).subtitle).toBe(
      '共 10 个单位，先进名额 2 个；因名额分界处同分，红色标出 6 个单位',
    );
    expect(rankedGroupChart('en', 'group', rows(6), 2).subtitle).toBe(
      '10 units, 2 advanced places; 6 units in red because units tie at the cut',
    );
  });
});
