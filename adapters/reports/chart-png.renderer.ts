import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import * as echarts from 'echarts';
import type { ChartSpec } from '../../core/reports/chart-spec.ts';

// A ChartSpec → PNG on the server: ECharts draws it as SVG (its server-side renderer, no DOM, no
// canvas), resvg rasterises the SVG with Noto Sans SC, which the project installs from npm
// (@expo-google-fonts/noto-sans-sc ships the TTF), so Chinese labels never depend on the fonts of
// the machine — resvg sees no system fonts at all.
//
// resvg is its WebAssembly build, handed the font as bytes read once per process. The native
// @resvg/resvg-js took only font file paths (its options cross to Rust as JSON), and with the
// 10 MB TTF as a path every glyph it drew cost time in proportion to the file's size: 0.3–1 s a
// chart at load 3, 5–11× what this takes (`npm run bench -- charts`, README "Benchmarks").

export const CHART_FONT_FAMILY = 'Noto Sans SC';

const require = createRequire(import.meta.url);

// Once per process (the .wasm is 2 MB, compiled in ~100 ms). The wasm's state belongs to the
// package's module, which a process loads once, and initWasm refuses a second call; this module can
// be evaluated again in the same process (the test runner does so per test file), so the first
// initialisation is kept on the process, not here.
const RESVG_READY = Symbol.for('kaoping.resvg-wasm-ready');
const processWide = globalThis as { [RESVG_READY]?: Promise<void> };
processWide[RESVG_READY] ??= initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
await processWide[RESVG_READY];

let chartFont: Uint8Array | undefined;
/** The TTF's bytes, read from node_modules on the first picture and kept. */
function chartFontBytes(): Uint8Array {
  chartFont ??= new Uint8Array(
    readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')),
  );
  return chartFont;
}

const ACCENT = '#c23531';
const BAR = '#5470c6';
const GHOST = '#e3e7ef';

/** ECharts' option for a spec (exported for tests of what is drawn). */
export function echartsOption(spec: ChartSpec): Record<string, unknown> {
  const horizontal = spec.kind === 'hbar';
  const category = {
    type: 'category',
    data: spec.categories,
    axisLabel: horizontal
      ? { width: 220, overflow: 'truncate' }
      : { interval: 0, rotate: spec.kind === 'bar' ? 50 : 0 },
    ...(horizontal ? { inverse: true } : {}),
  };
  const value = {
    type: 'value',
    ...(spec.min === undefined ? {} : { min: spec.min }),
    ...(spec.max === undefined ? {} : { max: spec.max }),
    ...(spec.interval === undefined ? {} : { interval: spec.interval }),
  };
  const series = spec.series.map((s, i) => ({
    name: s.name,
    type: spec.kind === 'line' ? 'line' : 'bar',
    data:
      spec.kind === 'bar' && spec.highlight
        ? s.values.map((v, j) => ({
            value: v,
            itemStyle: { color: spec.highlight!.has(spec.categories[j]!) ? ACCENT : BAR },
          }))
        : [...s.values],
    label: { show: !s.ghost, position: spec.kind === 'line' ? 'top' : horizontal ? 'right' : 'top', fontSize: 11 },
    ...(s.ghost ? { itemStyle: { color: GHOST }, barGap: '-100%', z: 1 } : { z: 2 }),
    ...(i === 0 && spec.markLine
      ? {
          markLine: {
            symbol: 'none',
            lineStyle: { color: ACCENT, type: 'dashed', width: 2 },
            label: { formatter: `${spec.markLine.label} ${spec.markLine.value}`, position: 'insideEndTop' },
            data: [horizontal ? { xAxis: spec.markLine.value } : { yAxis: spec.markLine.value }],
          },
        }
      : {}),
  }));
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    title: { text: spec.title, ...(spec.subtitle ? { subtext: spec.subtitle } : {}), left: 'center' },
    legend: spec.series.length > 1 ? { bottom: 4 } : undefined,
    grid: {
      left: horizontal ? 240 : 60,
      right: 60,
      top: spec.subtitle ? 80 : 60,
      bottom: spec.kind === 'bar' ? 150 : 50,
    },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series,
  };
}

/** The chart as an SVG document. */
export function renderChartSvg(spec: ChartSpec): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption(echartsOption(spec));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as a PNG of spec.width × spec.height pixels (× scale). */
export function renderChartPng(spec: ChartSpec, opts: { scale?: number } = {}): Uint8Array {
  const scale = opts.scale ?? 1;
  return renderSvgPng(renderChartSvg(spec), spec.width * scale);
}

/** Any SVG as a PNG with the project's font (and only it). */
export function renderSvgPng(svg: string, width: number): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: { fontBuffers: [chartFontBytes()], defaultFontFamily: CHART_FONT_FAMILY },
  });
  // wasm memory is not garbage-collected: free the renderer and its image once the PNG is out
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
