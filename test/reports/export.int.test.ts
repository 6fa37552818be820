import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFiles } from '../../adapters/reports/export-files.ts';
import type { Actor } from '../../core/assessment-api.ts';
import type { ReportData } from '../../core/reports/report-data.ts';
import { FINDING_COLUMNS } from '../../core/reports/report-tables.ts';
import type { Standings } from '../../rules/engine/types.ts';
import { type CoreFixture, createCoreFixture, standingsOf } from '../support/core-fixture.ts';

// /kaoping export's files against the engine: a month filed, closed and published, exported as
// XLSX (opened again with exceljs) and as CSV (read back with csv-parse); every standings cell is
// the engine's for the month's last day.

describe('exports of a published month', () => {
  let fx: CoreFixture;
  let organiser: Actor;
  let inspector: Actor;
  let contact: Actor;
  let data: ReportData;
  let engine: Standings;

  const file = async (cmd: Record<string, unknown> & { unit: string; clause: string; date: string }, key: string) => {
    const r = await fx.findings.file(inspector, { ...cmd, idempotencyKey: key, channel: 'test' });
    if (!r.ok) throw r.error;
  };

  beforeAll(async () => {
    fx = await createCoreFixture({ now: '2017-10-09T10:00:00+08:00' });
    organiser = await fx.member('org', 'organiser');
    inspector = await fx.member('insp', 'inspector');
    contact = await fx.member('c1', 'unit_contact', '市公安局');
    await file({ unit: '市公安局', clause: '2.1.1a', date: '2017-08-10', count: 1 }, 'aug-1');
    await file(
      { unit: '市公安局', clause: '2.1.1a', date: '2017-09-05', count: 3, source: 'provincial_inspection' },
      'sep-1',
    );
    await file({ unit: '市民政局', clause: '1.1.1a', date: '2017-09-12', value: 82.4 }, 'sep-2');
    await file(
      {
        unit: '市地震局',
        clause: '2.1.1a',
        date: '2017-09-20',
        evidenceText: '窗口"一窗受理"未覆盖，\n第二行, 带逗号',
        evidenceLinks: ['https://example.gov.cn/e/1'],
      },
      'sep-3',
    );
    for (const month of ['2017-08', '2017-09']) {
      const closed = await fx.months.setState(organiser, { month, state: 'closed' });
      if (!closed.ok) throw closed.error;
      const published = await fx.months.publish(organiser, { period: month, announceTies: true });
      if (!published.ok) throw published.error;
    }
    const r = await fx.reports.data(inspector, { period: '2017-09' });
    if (!r.ok) throw r.error;
    data = r.value;
    engine = await standingsOf(fx, '2017-09-30');
  });
  afterAll(async () => fx?.drop());

  it('is the published month: its standings as published, only its own findings', () => {
    expect(data.published?.version).toBe(1);
    expect(data.asOf).toBe('2017-09-30');
    expect(data.findings.map((f) => f.key)).toEqual(['sep-1', 'sep-2', 'sep-3']);
  });

  it('unit contacts may not export; a bad period names itself', async () => {
    const refused = await fx.reports.data(contact, { period: '2017-09' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('AUTH.FORBIDDEN');
    const bad = await fx.reports.data(organiser, { period: '2017-13' });
    expect(!bad.ok && bad.error.code).toBe('PERIOD.UNKNOWN');
  });

  it('the workbook has a sheet per group whose every cell is the engine’s result, frozen header, decimals kept', async () => {
    const [xlsx] = await exportFiles(fx.rulebook, 'zh-CN', data, 'xlsx');
    expect(xlsx!.filename).toBe('考评结果-2017-09.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx!.bytes) as unknown as ArrayBuffer);
    const sections = [...fx.rulebook.sections.keys()];
    const published = await fx.months.publishedSnapshot(organiser, { period: '2017-09' });
    if (!published.ok || !published.value) throw new Error('not published');
    const announced = new Set(published.value.content.units.filter((u) => u.advanced).map((u) => u.unit));
    for (const g of fx.rulebook.data.groups) {
      const ws = wb.getWorksheet(`排名-${g.name['zh-CN']}`.slice(0, 31))!;
      expect(ws, g.id).toBeDefined();
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      expect(header.slice(0, 4)).toEqual(['名次', '单位', '总分', '基础分']);
      const units = engine.units.filter((u) => u.group === g.id);
      expect(ws.rowCount).toBe(units.length + 1);
      const rowOf = new Map<string, ExcelJS.Row>();
      ws.eachRow((row, n) => {
        if (n > 1) rowOf.set(String(row.getCell(2).value), row);
      });
      // ranked: the sheet's ranks never go down
      const ranks = [...rowOf.values()].map((r) => Number(r.getCell(1).value));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      for (const u of units) {
        const row = rowOf.get(u.unit)!;
        const cells = (row.values as unknown[]).slice(1);
        const expected = [
          u.rank,
          u.unit,
          u.total,
          u.base,
          ...sections.map((s) => u.sections.find((x) => x.id === s)?.score ?? 0),
          u.deductions,
          u.bonuses,
          u.overflow,
          // advanced as announced: the engine's, except where the office broke (or announced) a tie at the cut
          (engine.groups[g.id]!.tiedAtCut ? announced.has(u.unit) : u.advanced) ? '是' : '否',
          ...(u.disqualified.length
            ? [
                u.disqualified
                  .map((d) => fx.rulebook.data.disqualifications.find((x) => x.id === d)!.name['zh-CN'])
                  .join('、'),
              ]
            : []),
        ];
        expect(cells, u.unit).toEqual(expected);
        expect(row.getCell(3).numFmt).toBe('0.00');
      }
    }
    const police = engine.units.find((u) => u.unit === '市公安局')!;
    expect(police.total).toBeLessThan(100);
  });

  it('the findings sheet carries every field, the engine’s explanation and real dates', async () => {
    const [xlsx] = await exportFiles(fx.rulebook, 'zh-CN', data, 'xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx!.bytes) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('考评事项')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toHaveLength(FINDING_COLUMNS.length);
    const col = (name: string) => header.indexOf(name) + 1;
    const sep1 = ws.getRow(2);
    expect(sep1.getCell(col('单位')).value).toBe('市公安局');
    expect(sep1.getCell(col('日期')).value).toEqual(new Date(Date.UTC(2017, 8, 5)));
    expect(sep1.getCell(col('日期')).numFmt).toBe('yyyy-mm-dd');
    expect(sep1.getCell(col('来源')).value).toBe('省级督查');
    const result = data.findings[0]!.result;
    expect(sep1.getCell(col('计分')).value).toBe(result.points);
    expect(sep1.getCell(col('督查倍数')).value).toBe(result.inspectionMultiplier);
    expect(String(sep1.getCell(col('计分说明')).value)).toContain('省级督查发现，加倍扣分');
    expect(sep1.getCell(col('整改期限')).value).toBeInstanceOf(Date);
    const sep2 = ws.getRow(3);
    expect(sep2.getCell(col('数值')).value).toBe(82.4);
    expect(String(sep2.getCell(col('计分说明')).value)).toContain('82.4% 低于 85%');
    expect(sep2.getCell(col('行键')).value).toBe('sep-2');
  });

  it('English readers get English headers and words', async () => {
    const [xlsx] = await exportFiles(fx.rulebook, 'en', data, 'xlsx');
    expect(xlsx!.filename).toBe('kaoping-2017-09.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx!.bytes) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Findings')!;
    expect((ws.getRow(1).values as unknown[]).slice(1, 5)).toEqual(['Finding no.', 'Row key', 'Unit', 'Clause']);
    expect(wb.worksheets.map((w) => w.name)).toContain('Rectifications');
  });

  it('the same tables as CSV: UTF-8 with a BOM, and they read back through a CSV parser cell for cell', async () => {
    const csvs = await exportFiles(fx.rulebook, 'zh-CN', data, 'csv');
    expect(csvs.map((f) => f.filename)).toContain('考评结果-2017-09-考评事项.csv');
    for (const f of csvs) {
      expect([...f.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const records: string[][] = parse(Buffer.from(f.bytes), { bom: true, relax_column_count: false });
      expect(records.length).toBeGreaterThan(0);
    }
    const findings = csvs.find((f) => f.filename.endsWith('考评事项.csv'))!;
    const records: string[][] = parse(Buffer.from(findings.bytes), { bom: true });
    const header = records[0]!;
    const row = (key: string) => records.find((r) => r[header.indexOf('行键')] === key)!;
    expect(row('sep-3')[header.indexOf('问题描述')]).toBe('窗口"一窗受理"未覆盖，\n第二行, 带逗号');
    expect(row('sep-2')[header.indexOf('数值')]).toBe('82.4');
    expect(row('sep-1')[header.indexOf('日期')]).toBe('2017-09-05');
    const standings = csvs.find((f) => f.filename.includes('排名-市直有办事事项单位'))!;
    const s: string[][] = parse(Buffer.from(standings.bytes), { bom: true });
    const police = engine.units.find((u) => u.unit === '市公安局')!;
    const policeRow = s.find((r) => r[1] === '市公安局')!;
    expect(Number(policeRow[2])).toBe(police.total);
    expect(Number(policeRow[0])).toBe(police.rank);
  });
});
