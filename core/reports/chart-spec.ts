import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';

// Charts as data: what to draw, not how. Core builds these from the engine's results; the
// renderer in adapters/reports turns one into a PNG (ECharts' server-side SVG, then resvg with a
// CJK font). Nothing here knows about ECharts, so the numbers a chart shows are testable as data.

export interface ChartSeries {
  name: string;
  values: readonly number[];
  /** Bars drawn behind the others (full marks behind the score). */
  ghost?: boolean;
}

export interface ChartSpec {
  kind: 'line' | 'bar' | 'hbar';
  title: string;
  subtitle?: string;
  categories: readonly string[];
  series: readonly ChartSeries[];
  /** A horizontal (vertical for hbar) line across the plot, e.g. the advanced units' cut score. */
  markLine?: { value: number; label: string };
  /** Bars of these categories are highlighted (advanced units). */
  highlight?: ReadonlySet<string>;
  /** Axis range and tick step; default from the data. When set, min and max are multiples of interval. */
  min?: number;
  max?: number;
  interval?: number;
  width: number;
  height: number;
}

/** The unit's total at the end of each month so far (month 'YYYY-MM' → total). */
export function scoreTrendChart(
  locale: Locale,
  unit: string,
  points: ReadonlyArray<{ month: string; total: number }>,
): ChartSpec {
  const values = points.map((p) => p.total);
  return {
    kind: 'line',
    title: t(locale, 'report.chart.trend.title', { unit }),
    categories: points.map((p) => t(locale, 'report.chart.month', { month: Number(p.month.slice(5, 7)) })),
    series: [{ name: t(locale, 'report.chart.total'), values }],
    ...axisAround(values),
    width: 800,
    height: 450,
  };
}

/** Each section's score against its full marks. */
export function sectionChart(
  locale: Locale,
  unit: string,
  sections: ReadonlyArray<{ name: string; score: number; full: number }>,
): ChartSpec {
  return {
    kind: 'hbar',
    title: t(locale, 'report.chart.sections.title', { unit }),
    categories: sections.map((s) => s.name),
    series: [
      { name: t(locale, 'report.chart.full'), values: sections.map((s) => s.full), ghost: true },
      { name: t(locale, 'report.chart.score'), values: sections.map((s) => s.score) },
    ],
    ...niceAxis(0, Math.max(0, ...sections.map((s) => Math.max(s.full, s.score)))),
    width: 900,
    height: Math.max(360, 60 + sections.length * 34),
  };
}

/** A group's units ranked by total, the advanced ones highlighted, the cut score as a line. */
export function rankedGroupChart(
  locale: Locale,
  title: string,
  rows: ReadonlyArray<{ unit: string; total: number; advanced: boolean }>,
  quota: number,
): ChartSpec {
  const sorted = [...rows].sort((a, b) => b.total - a.total || a.unit.localeCompare(b.unit, 'zh-CN'));
  const cut = quota > 0 ? sorted[Math.min(quota, sorted.length) - 1]?.total : undefined;
  const values = sorted.map((r) => r.total);
  const advancedCount = sorted.filter((r) => r.advanced).length;
  return {
    kind: 'bar',
    title,
    // Ties at the cut make more units advanced than the quota (rulebook: every unit tied with the
    // last one chosen is chosen); the subtitle says so rather than implying the quota holds.
    subtitle:
      advancedCount > quota
        ? t(locale, 'report.chart.group.subtitleTied', { quota, assessed: rows.length, advanced: advancedCount })
        : t(locale, 'report.chart.group.subtitle', { quota, assessed: rows.length }),
    categories: sorted.map((r) => r.unit),
    series: [{ name: t(locale, 'report.chart.total'), values }],
    ...(cut === undefined ? {} : { markLine: { value: cut, label: t(locale, 'report.chart.quotaLine', { quota }) } }),
    highlight: new Set(sorted.filter((r) => r.advanced).map((r) => r.unit)),
    ...axisAround(values),
    width: Math.max(800, 120 + sorted.length * 28),
    height: 520,
  };
}

/** A value axis that shows differences of a few points instead of bars all ~100 high. */
function axisAround(values: readonly number[]): { min?: number; max?: number; interval?: number } {
  if (values.length === 0) return {};
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max(1, (hi - lo) * 0.2);
  return niceAxis(lo - pad, hi + pad);
}

const MAX_STEPS = 7;

/**
 * The smallest round step (1, 2 or 5 × 10ⁿ) that covers lo..hi in at most MAX_STEPS steps, with min
 * and max rounded out to multiples of it — so every tick is a round number, evenly spaced, and the
 * top one is a tick like the others (ECharts, given a max off the step, adds it as a crowded extra).
 */
export function niceAxis(lo: number, hi: number): { min: number; max: number; interval: number } {
  const span = Math.max(hi - lo, 1e-9);
  for (let exp = Math.floor(Math.log10(span / MAX_STEPS)); ; exp++)
    for (const m of [1, 2, 5]) {
      const interval = round(m * 10 ** exp);
      const min = round(Math.floor(lo / interval + 1e-9) * interval);
      const max = round(Math.ceil(hi / interval - 1e-9) * interval);
      if ((max - min) / interval <= MAX_STEPS + 1e-9) return { min, max, interval };
    }
}

/** Away with float noise (0.30000000000000004) in tick values. */
const round = (n: number) => Number(n.toPrecision(12));
