import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { renderChartPng, renderSvgPng } from '../../adapters/reports/chart-png.renderer.ts';
import { rankedGroupChart, scoreTrendChart, sectionChart } from '../../core/reports/chart-spec.ts';

// The charts people get in chat: real PNGs, of the size asked for, with something drawn, and with
// Chinese text drawn from the project's own font (not the empty boxes of a missing glyph).

function pixels(png: Uint8Array) {
  const img = decode(png);
  const step = img.channels;
  let inked = 0;
  const colours = new Set<number>();
  for (let i = 0; i < img.data.length; i += step) {
    const [r, g, b] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
    if (r < 240 || g < 240 || b < 240) inked++;
    colours.add((r << 16) | (g << 8) | b);
  }
  return { img, inked, colours: colours.size };
}

const glyph = (ch: string) =>
  renderSvgPng(
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><text x="8" y="52" font-size="48" font-family="Noto Sans SC">${ch}</text></svg>`,
    64,
  );

describe('chart PNGs', () => {
  it('a score trend decodes as a PNG of the chart’s size with lines and labels drawn', () => {
    const spec = scoreTrendChart('zh-CN', '市公安局', [
      { month: '2017-07', total: 98.5 },
      { month: '2017-08', total: 97 },
      { month: '2017-09', total: 96.25 },
    ]);
    const png = renderChartPng(spec);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const { img, inked, colours } = pixels(png);
    expect([img.width, img.height]).toEqual([800, 450]);
    // not blank: axes, the line, labels and the title cover a visible share of the picture
    expect(inked / (img.width * img.height)).toBeGreaterThan(0.005);
    expect(colours).toBeGreaterThan(10);
  });

  it('a ranked group chart and a section chart render at their sizes', () => {
    const group = rankedGroupChart(
      'zh-CN',
      '市直有办事事项单位',
      [
        { unit: '市公安局', total: 99, advanced: true },
        { unit: '市地震局', total: 97.5, advanced: false },
        { unit: '市民政局', total: 98, advanced: true },
      ],
      2,
    );
    expect(group.categories).toEqual(['市公安局', '市民政局', '市地震局']);
    expect(group.markLine?.value).toBe(98);
    const g = pixels(renderChartPng(group));
    expect([g.img.width, g.img.height]).toEqual([group.width, group.height]);
    expect(g.inked).toBeGreaterThan(1000);
    const sections = sectionChart('en', 'Police', [
      { name: '事项梳理公布、入库情况', score: 9.5, full: 10 },
      { name: '数据资源共享情况', score: 5, full: 5 },
    ]);
    const s = pixels(renderChartPng(sections, { scale: 2 }));
    expect([s.img.width, s.img.height]).toEqual([sections.width * 2, sections.height * 2]);
  });

  it('Chinese characters render as their own glyphs, not as missing-glyph boxes', () => {
    const shi = pixels(glyph('市'));
    const ju = pixels(glyph('局'));
    const missing = pixels(glyph('\uE000')); // a private-use code point: no font has it
    expect(shi.inked).toBeGreaterThan(100);
    expect(ju.inked).toBeGreaterThan(100);
    // two different characters draw differently, and neither is the font's missing-glyph shape
    expect(Buffer.compare(Buffer.from(shi.img.data), Buffer.from(ju.img.data))).not.toBe(0);
    expect(Buffer.compare(Buffer.from(shi.img.data), Buffer.from(missing.img.data))).not.toBe(0);
    expect(Buffer.compare(Buffer.from(ju.img.data), Buffer.from(missing.img.data))).not.toBe(0);
  });
});
