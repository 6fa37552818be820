import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFiles } from '../../adapters/reports/export-files.ts';
import { importFindings } from '../../adapters/reports/findings-import.ts';
import type { Actor } from '../../core/assessment-api.ts';
import { type CoreFixture, createCoreFixture, standingsOf } from '../support/core-fixture.ts';

// Imports through the bulk intake, in the export's own format: a year exported from one database
// and imported into an empty one gives the same standings; a file with bad rows is refused whole
// with every bad row named by row and column; the same file imported twice adds nothing.

const NOW = '2017-12-20T10:00:00+08:00';
const DAY = '2017-12-20';

describe('imports', () => {
  let source: CoreFixture;
  let target: CoreFixture;
  let organiser: Actor;
  let xlsx: Uint8Array;
  let csv: Uint8Array;

  beforeAll(async () => {
    source = await createCoreFixture({ now: NOW });
    const inspector = await source.member('insp', 'inspector');
    const file = async (cmd: Record<string, unknown> & { unit: string; clause: string; date: string }, key: string) => {
      const r = await source.findings.file(inspector, { ...cmd, idempotencyKey: key, channel: 'test' });
      if (!r.ok) throw r.error;
      return r.value.finding;
    };
    // a year with what changes scores: inspections, a repeat of an overdue finding, a threshold,
    // levels, a bonus, aliases, evidence with commas and quotes, and one finding withdrawn
    const first = await file(
      { unit: '市公安局', clause: '2.1.1a', date: '2017-03-06', count: 3, source: 'provincial_inspection' },
      'y-1',
    );
    // rectified on time: without it the June finding would be a repeat of an overdue one
    const contact = await source.member('gaj', 'unit_contact', '市公安局');
    source.clock.set('2017-03-10T10:00:00+08:00');
    const submitted = await source.rectification.submit(contact, {
      findingId: first.id,
      evidenceText: '已整改',
      idempotencyKey: 'rect-1',
    });
    if (!submitted.ok) throw submitted.error;
    const verified = await source.rectification.verify(inspector, { findingId: first.id });
    if (!verified.ok) throw verified.error;
    source.clock.set(NOW);
    await file({ unit: '市公安局', clause: '2.1.1a', date: '2017-06-12', count: 1 }, 'y-2');
    await file({ unit: '市民政局', clause: '1.1.1a', date: '2017-05-10', value: 82.4 }, 'y-3');
    await file(
      { unit: '市地震局', clause: '3.1.1a', date: '2017-07-03', evidenceText: '窗口"一窗"未覆盖, 第二处' },
      'y-4',
    );
    await file({ unit: '市民政局', clause: '4.2.1b', date: '2017-08-01', level: 'support' }, 'y-5');
    await file({ unit: '市公安局', clause: '6.1.1a', date: '2017-09-15', level: 'province' }, 'y-6');
    const gone = await file({ unit: '市民政局', clause: '2.1.1a', date: '2017-10-10', count: 2 }, 'y-7');
    const w = await source.findings.withdraw(await source.member('org', 'organiser'), {
      findingId: gone.id,
      reason: '重复填报',
    });
    if (!w.ok) throw w.error;
    const data = await source.reports.data(inspector, { period: '2017' });
    if (!data.ok) throw data.error;
    xlsx = (await exportFiles(source.rulebook, 'zh-CN', data.value, 'xlsx'))[0]!.bytes;
    csv = (await exportFiles(source.rulebook, 'en', data.value, 'csv')).find((f) =>
      f.filename.endsWith('Findings.csv'),
    )!.bytes;

    target = await createCoreFixture({ now: NOW });
    organiser = await target.member('org', 'organiser');
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  const totals = async (fx: CoreFixture) =>
    (await standingsOf(fx, DAY)).units.map((u) => ({
      unit: u.unit,
      total: u.total,
      rank: u.rank,
      sections: u.sections,
    }));

  it('a file with bad rows is refused whole, every bad row named by row and column; nothing is written', async () => {
    const rows: string[][] = parse(Buffer.from(csv), { bom: true });
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    rows[2]![col('Unit')] = '市公按局';
    rows[3]![col('Date')] = '2017-02-30';
    rows[4]![col('Clause')] = '9.9.9z';
    rows[5]![col('Count')] = 'two';
    const text = `\uFEFF${rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n')}`;
    const outcome = await importFindings(
      target,
      { ...organiser, locale: 'en' },
      'bad.csv',
      new TextEncoder().encode(text),
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const named = outcome.problems.map((p) => `${p.row}:${p.column}`);
    // the reader's own problems come first; the core's are reported once the file reads cleanly
    expect(named).toEqual(['6:Count']);
    rows[5]![col('Count')] = '1';
    const again = `\uFEFF${rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n')}`;
    const second = await importFindings(
      target,
      { ...organiser, locale: 'en' },
      'bad.csv',
      new TextEncoder().encode(again),
    );
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.problems.map((p) => `${p.row}:${p.column}`)).toEqual(['3:Unit', '4:Date', '5:Clause']);
    expect(second.problems[0]!.message).toContain('市公按局');
    expect(await target.prisma.finding.count()).toBe(0);
    expect(await target.prisma.auditLog.count({ where: { action: 'findings.imported' } })).toBe(0);
  });

  it('an inspector may not import', async () => {
    const inspector = await target.member('insp', 'inspector');
    const outcome = await importFindings(target, inspector, 'year.xlsx', xlsx);
    expect(!outcome.ok && outcome.error?.code).toBe('AUTH.FORBIDDEN');
  });

  it('the year exported and imported into an empty database gives the same standings, as one audited batch', async () => {
    const outcome = await importFindings(target, organiser, '考评结果-2017.xlsx', xlsx);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    expect(outcome.batch.created).toBe(6);
    expect(outcome.withdrawn).toBe(1);
    expect(await totals(target)).toEqual(await totals(source));
    // the rectification came with it: stored verified, rectified on the day it was submitted
    const copy = await target.prisma.finding.findUniqueOrThrow({ where: { idempotencyKey: 'y-1' } });
    expect(copy.status).toBe('verified');
    expect(copy.rectifiedOn?.toISOString().slice(0, 10)).toBe('2017-03-10');
    expect(await target.prisma.auditLog.count({ where: { action: 'findings.imported' } })).toBe(1);
    expect(target.events.filter((e) => e.type === 'findings.imported')).toHaveLength(1);
  });

  it('the same file imported again adds nothing; so does its CSV twin', async () => {
    const before = await target.prisma.finding.count();
    const again = await importFindings(target, organiser, '考评结果-2017.xlsx', xlsx);
    expect(again.ok && again.batch).toMatchObject({ created: 0, existing: 6 });
    const twin = await importFindings(target, organiser, 'Findings.csv', csv);
    expect(twin.ok && twin.batch).toMatchObject({ created: 0, existing: 6 });
    expect(await target.prisma.finding.count()).toBe(before);
    expect(await target.prisma.auditLog.count({ where: { action: 'findings.imported' } })).toBe(1);
  });
});
