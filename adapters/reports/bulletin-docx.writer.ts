import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { BulletinContent, BulletinTable } from '../../core/reports/bulletin-content.ts';
import { resultsHeading } from '../../core/reports/bulletin-content.ts';
import type { Locale } from '../../core/i18n/locale.ts';

// The 通报 as a Word document laid out as GB/T 9704-2012 (党政机关公文格式) asks: A4, margins
// 37 / 35 / 28 / 26 mm, body in 3号 仿宋 at a fixed line height (22 lines a page), the issuing
// office's name in red above a red rule, the number line, the title in 2号 小标宋, first-level
// headings in 黑体 and second-level in 楷体, page numbers as "— 1 —", and the 附件 on a page of its
// own. Fonts are named, not embedded: Word and WPS on an office machine have them (a machine
// without them substitutes its own).

const MM = 56.7; // twips per millimetre
const FANGSONG = '仿宋_GB2312';
const XIAOBIAOSONG = '方正小标宋简体';
const HEITI = '黑体';
const KAITI = '楷体_GB2312';
const RED = 'C00000';
const BODY = 32; // 3号 = 16 pt, in half-points
const LINE = 579; // 28.95 pt: 22 lines on the type area

export interface BulletinChart {
  group: string;
  caption: string;
  png: Uint8Array;
  width: number;
  height: number;
}

const run = (text: string, o: { font?: string; size?: number; bold?: boolean; color?: string } = {}) =>
  new TextRun({
    text,
    font: { eastAsia: o.font ?? FANGSONG, ascii: o.font ?? FANGSONG, hAnsi: o.font ?? FANGSONG },
    size: o.size ?? BODY,
    ...(o.bold ? { bold: true } : {}),
    ...(o.color ? { color: o.color } : {}),
  });

const body = (text: string, o: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}) =>
  new Paragraph({
    children: [run(text)],
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
    ...(o.indent === false ? {} : { indent: { firstLine: 2 * 320 } }),
    ...(o.align ? { alignment: o.align } : {}),
  });

const heading = (text: string, font: string) =>
  new Paragraph({
    children: [run(text, { font })],
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
    indent: { firstLine: 2 * 320 },
  });

/** The type area's width (156 mm), shared by a table's columns in these proportions. */
const TYPE_WIDTH = Math.round(156 * MM);
const SHARES: Record<number, number[]> = {
  6: [9, 39, 13, 13, 13, 13],
};

function table(t: BulletinTable, shares?: number[]): Table {
  const parts = shares ?? SHARES[t.header.length] ?? t.header.map(() => 1);
  const sum = parts.reduce((a, b) => a + b, 0);
  const columnWidths = parts.map((p) => Math.floor((TYPE_WIDTH * p) / sum));
  const cell = (text: string, bold = false) =>
    new TableCell({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [run(text, { size: 24, ...(bold ? { bold: true, font: HEITI } : {}) })],
        }),
      ],
    });
  return new Table({
    width: { size: TYPE_WIDTH, type: WidthType.DXA },
    columnWidths,
    rows: [
      new TableRow({ tableHeader: true, children: t.header.map((h) => cell(h, true)) }),
      ...t.rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
    ],
  });
}

export async function writeBulletinDocx(
  locale: Locale,
  c: BulletinContent,
  charts: readonly BulletinChart[],
): Promise<Uint8Array> {
  const chartOf = new Map(charts.map((ch) => [ch.group, ch]));
  const typeWidthPx = 590; // 156 mm type area at 96 dpi
  const results = c.results.flatMap((r) => {
    const chart = chartOf.get(r.group);
    return [
      heading(r.heading, KAITI),
      table(r.table),
      ...(chart
        ? [
            new Paragraph({
              alignment: AlignmentType.CENTER,
              children: [
                new ImageRun({
                  type: 'png',
                  data: Buffer.from(chart.png),
                  transformation: {
                    width: typeWidthPx,
                    height: Math.round((typeWidthPx * chart.height) / chart.width),
                  },
                }),
              ],
            }),
            new Paragraph({
              alignment: AlignmentType.CENTER,
              children: [run(chart.caption, { size: 24, font: KAITI })],
            }),
          ]
        : []),
    ];
  });
  const doc = new Document({
    creator: 'kaoping',
    title: c.title,
    styles: { default: { document: { run: { font: FANGSONG, size: BODY } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(210 * MM), height: Math.round(297 * MM) },
            margin: {
              top: Math.round(37 * MM),
              bottom: Math.round(35 * MM),
              left: Math.round(28 * MM),
              right: Math.round(26 * MM),
            },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: '宋体', size: 28 })],
              }),
            ],
          }),
        },
        children: [
          // 版头: the issuing office in red, the number line, the red rule
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 35 * MM * 0.5, after: 240 },
            // as large as fits one line: GB/T 9704 leaves the size to the office, a long name gets smaller
            children: [run(c.office, { font: XIAOBIAOSONG, size: c.office.length > 14 ? 44 : 60, color: RED })],
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 480, after: 120 },
            border: { bottom: { color: RED, style: BorderStyle.SINGLE, size: 12, space: 8 } },
            children: [run(c.number)],
          }),
          // 主体: title, addressees, body
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 480, after: 480, line: 700, lineRule: LineRuleType.EXACT },
            children: [run(c.title, { font: XIAOBIAOSONG, size: 44 })],
          }),
          body(c.addressees, { indent: false }),
          body(c.opening),
          heading(resultsHeading(locale), HEITI),
          ...results,
          heading(c.advancedHeading, HEITI),
          ...c.advanced.map((a) => body(a)),
          heading(c.problemsHeading, HEITI),
          ...c.problems.map((p) => body(p)),
          body(c.closing),
          body(`${c.annexLabel}${c.annexTitle}`),
          new Paragraph({ spacing: { before: 600 }, children: [] }),
          body(c.signature, { indent: false, align: AlignmentType.RIGHT }),
          body(c.date, { indent: false, align: AlignmentType.RIGHT }),
          // 附件 on its own page
          new Paragraph({ children: [new PageBreak()] }),
          new Paragraph({ children: [run(c.annexHeading, { font: HEITI })] }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 240, after: 240 },
            children: [run(c.annexTitle, { font: XIAOBIAOSONG, size: 36 })],
          }),
          // unit, number, clause, date, points, what was found
          table(c.annex, [20, 9, 10, 15, 9, 37]),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
