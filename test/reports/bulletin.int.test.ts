import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulletinFiles } from '../../adapters/reports/report-files.ts';
import type { Actor } from '../../core/assessment-api.ts';
import { type CoreFixture, createCoreFixture } from '../support/core-fixture.ts';
import { zipEntries } from '../support/zip-entries.ts';

// The 通报 as a Word document, from the published snapshot: opened as the ZIP it is, its
// document.xml read paragraph by paragraph and table by table.

/** The text of each paragraph outside tables, and each table as rows of cell texts. */
function readDocument(xml: string) {
  const textOf = (s: string) => [...s.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
  const tables = [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((tbl) =>
    [...tbl[1]!.matchAll(/<w:tr[ >]([\s\S]*?)<\/w:tr>/g)].map((tr) =>
      [...tr[1]!.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((tc) => textOf(tc[1]!)),
    ),
  );
  const outside = xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '');
  const paragraphs = [...outside.matchAll(/<w:p[ >]([\s\S]*?)<\/w:p>/g)].map((p) => textOf(p[1]!)).filter(Boolean);
  return { paragraphs, tables };
}

describe('the 通报 as .docx', () => {
  let fx: CoreFixture;
  let organiser: Actor;
  let inspector: Actor;

  beforeAll(async () => {
    fx = await createCoreFixture({ now: '2017-10-09T10:00:00+08:00' });
    organiser = await fx.member('org', 'organiser');
    inspector = await fx.member('insp', 'inspector');
    const file = async (unit: string, clause: string, date: string, count: number, key: string) => {
      const r = await fx.findings.file(inspector, { unit, clause, date, count, idempotencyKey: key, channel: 'test' });
      if (!r.ok) throw r.error;
    };
    await file('市公安局', '2.1.1a', '2017-09-05', 3, 'b-1');
    await file('市民政局', '2.1.1a', '2017-09-06', 1, 'b-2');
    await file('市地震局', '3.1.1a', '2017-09-07', 1, 'b-3');
    await fx.months.setState(organiser, { month: '2017-09', state: 'closed' });
  });
  afterAll(async () => fx?.drop());

  it('is refused for a month the office has not published, saying so', async () => {
    const r = await fx.reports.data(organiser, { period: '2017-09', published: true });
    expect(!r.ok && r.error.code).toBe('REPORT.NOT_PUBLISHED');
  });

  it('carries the month, each group’s table as published, the advanced units, the problems and the 附件', async () => {
    const published = await fx.months.publish(organiser, { period: '2017-09', announceTies: true });
    if (!published.ok) throw published.error;
    const r = await fx.reports.data(organiser, { period: '2017-09', published: true });
    if (!r.ok) throw r.error;
    const data = r.value;
    const files = await bulletinFiles(fx.rulebook, 'zh-CN', data);
    expect(files.map((f) => f.filename)).toEqual([
      '考评通报-2017-09.docx',
      ...fx.rulebook.data.groups.map((g) => `考评通报-2017-09-${g.id}.png`),
    ]);
    const entries = zipEntries(files[0]!.bytes);
    const { paragraphs, tables } = readDocument(entries.get('word/document.xml')!.toString('utf8'));
    expect(paragraphs[0]).toBe('杭州市“最多跑一次”改革专题组办公室文件');
    expect(paragraphs[1]).toBe('杭跑改办〔2017〕　　号');
    expect(paragraphs).toContain('关于2017年9月“最多跑一次”改革综合考评结果的通报');
    expect(paragraphs).toContain('各市直单位：');

    // one table per group, in rank order, as the publication has them; then the 附件
    expect(tables).toHaveLength(fx.rulebook.data.groups.length + 1);
    const snapshot = await fx.months.publishedSnapshot(organiser, { period: '2017-09' });
    if (!snapshot.ok || !snapshot.value) throw new Error('not published');
    fx.rulebook.data.groups.forEach((g, i) => {
      const rows = tables[i]!;
      expect(rows[0]).toEqual(['名次', '单位', '总分', '扣分', '加分', '先进']);
      const units = snapshot.value!.content.units.filter((u) => u.group === g.id);
      expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[5]])).toEqual(
        units.map((u) => [String(u.rank), u.unit, String(Number(u.total.toFixed(2))), u.advanced ? '是' : '']),
      );
    });
    for (const g of snapshot.value.content.groups) {
      const name = fx.rulebook.data.groups.find((x) => x.id === g.group)!.name['zh-CN'];
      expect(paragraphs).toContain(`${name}：${g.advanced.length ? g.advanced.join('、') : '无'}。`);
    }
    expect(
      paragraphs.some((p) => p.startsWith('1. ') && p.includes('条款 2.1.1a') && p.includes('涉及 2 个单位')),
    ).toBe(true);
    const annex = tables.at(-1)!;
    expect(annex[0]).toEqual(['单位', '事项编号', '条款', '日期', '计分', '问题描述']);
    expect(
      annex
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['市公安局', '市民政局', '市科委']); // 市地震局 is 市科委's alias
    // the charts are in the document and beside it
    expect([...entries.keys()].filter((n) => n.startsWith('word/media/'))).toHaveLength(fx.rulebook.data.groups.length);
    expect(decode(files[1]!.bytes).width).toBeGreaterThanOrEqual(800);
    // GB/T 9704 page: A4 with 37/35/28/26 mm margins
    const xml = entries.get('word/document.xml')!.toString('utf8');
    expect(xml).toMatch(/<w:pgSz w:w="11907" w:h="16840"/);
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1985" w:left="1588"/);
  });
});
