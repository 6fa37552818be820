import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreFixture, standingsOf, type CoreFixture } from '../support/core-fixture.ts';
import type { Actor, FileBatchCommand } from '../../core/assessment-api.ts';
import { InvalidRowsError } from '../../core/errors.ts';
import { invalidRowsMessage, rowErrorLine } from '../../core/messages/batch.ts';
import { computeStandings } from '../../rules/engine/compute-standings.ts';
import { toEngineFinding } from '../../core/finding-view.ts';

// Bulk intake (findings.fileBatch) against real PostgreSQL: the same checks as a chat filing,
// all-or-nothing, idempotent per row key, one audit entry, one ledger version, one event, and the
// next read counts the batch.
let fx: CoreFixture;
let organiser: Actor, inspector: Actor;

beforeAll(async () => {
  fx = await createCoreFixture({ now: '2017-11-20T10:00:00+08:00' });
  organiser = await fx.member('org', 'organiser');
  inspector = await fx.member('insp', 'inspector');
});
afterAll(async () => fx?.drop());

const UNITS = ['市公安局', '市司法局', '市民政局'];
function batch(prefix: string, n: number): FileBatchCommand {
  return {
    channel: 'import',
    label: `${prefix}.csv`,
    rows: Array.from({ length: n }, (_, i) => ({
      unit: UNITS[i % UNITS.length]!,
      clause: i % 2 ? '2.1.1a' : '3.1.3b',
      date: `2017-0${1 + (i % 9)}-1${i % 10}`,
      idempotencyKey: `${prefix}:${i}`,
    })),
  };
}

const countFindings = () => fx.prisma.finding.count();
const version = async () =>
  (await fx.prisma.ledgerVersion.findUnique({ where: { rulebookId_year: { rulebookId: 'hz-2017', year: 2017 } } }))
    ?.version ?? 0n;
const batchAudits = () => fx.prisma.auditLog.count({ where: { action: 'findings.imported' } });

async function expectCacheCurrent() {
  const rows = await fx.store.findingsForYear('hz-2017', 2017);
  const want = computeStandings(fx.rulebook, {
    year: 2017,
    asOf: '2017-11-20',
    units: [...fx.rulebook.units.keys()],
    findings: rows.map(toEngineFinding),
  });
  const got = await standingsOf(fx.assessment, '2017-11-20');
  expect(got.units.map((u) => [u.unit, u.total, u.rank])).toEqual(want.units.map((u) => [u.unit, u.total, u.rank]));
}

describe('bulk intake', () => {
  it('files every row in one transaction: one ledger version, one audit entry, one event, and the next read counts them', async () => {
    await standingsOf(fx.assessment, '2017-11-20'); // a warm cache must see the batch too
    const v0 = await version();
    const events0 = fx.events.length;
    const r = await fx.findings.fileBatch(organiser, batch('b1', 30));
    if (!r.ok) throw r.error;
    expect(r.value.created).toBe(30);
    expect(r.value.existing).toBe(0);
    expect(r.value.rows.map((x) => x.index)).toEqual([...Array(30).keys()]);
    // filing numbers follow the rows' order
    const seqs = r.value.rows.map((x) => x.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(await countFindings()).toBe(30);
    expect(await version()).toBe(v0 + 1n);
    expect(await batchAudits()).toBe(1);
    const audit = await fx.prisma.auditLog.findFirstOrThrow({ where: { action: 'findings.imported' } });
    expect(audit.actorLabel).toBe('organiser:test:org');
    expect((audit.after as { findings: unknown[]; label: string }).findings).toHaveLength(30);
    expect((audit.after as { label: string }).label).toBe('b1.csv');
    expect(fx.events.slice(events0)).toEqual([
      { type: 'findings.imported', rulebookId: 'hz-2017', year: 2017, count: 30 },
    ]);
    const stored = await fx.store.getFinding(r.value.rows[3]!.id);
    expect(stored).toMatchObject({ unit: UNITS[0], clauseId: '2.1.1a', date: '2017-04-13', channel: 'import' });
    expect(stored?.deadline).not.toBeNull(); // the rulebook's default deadline, as in chat
    await expectCacheCurrent();
  });

  it('adds nothing when the same batch is sent again (and reports each row as already filed)', async () => {
    const v0 = await version();
    const events0 = fx.events.length;
    const r = await fx.findings.fileBatch(organiser, batch('b1', 30));
    if (!r.ok) throw r.error;
    expect(r.value).toMatchObject({ created: 0, existing: 30 });
    expect(r.value.rows.every((x) => !x.created)).toBe(true);
    expect(await countFindings()).toBe(30);
    expect(await version()).toBe(v0);
    expect(await batchAudits()).toBe(1);
    expect(fx.events.length).toBe(events0);
  });

  it('writes only the new rows of a batch that overlaps earlier filings, chat filings included', async () => {
    const chat = await fx.findings.file(inspector, {
      unit: '市公安局',
      clause: '2.1.1a',
      date: '2017-05-02',
      idempotencyKey: 'b2:0',
      channel: 'test',
    });
    expect(chat.ok).toBe(true);
    const r = await fx.findings.fileBatch(organiser, batch('b2', 5));
    if (!r.ok) throw r.error;
    expect(r.value).toMatchObject({ created: 4, existing: 1 });
    expect(r.value.rows[0]).toMatchObject({ created: false, id: chat.ok ? chat.value.finding.id : '' });
    expect(await countFindings()).toBe(35);
    await expectCacheCurrent();
  });

  it('files two identical batches sent at once exactly once', async () => {
    const [a, b] = await Promise.all([
      fx.findings.fileBatch(organiser, batch('b3', 40)),
      fx.findings.fileBatch(organiser, batch('b3', 40)),
    ]);
    if (!a.ok || !b.ok) throw new Error('a batch failed');
    expect(a.value.created + b.value.created).toBe(40);
    expect(a.value.rows.map((x) => x.id)).toEqual(b.value.rows.map((x) => x.id));
    expect(await countFindings()).toBe(75);
    await expectCacheCurrent();
  });

  it('refuses the whole batch when any row is invalid, naming every invalid row, its field and why in both languages', async () => {
    const v0 = await version();
    const good = batch('b4', 6).rows;
    const rows = [
      good[0]!,
      { ...good[1]!, clause: '9.9.9' }, // unknown clause
      good[2]!,
      { ...good[3]!, date: '2017-12-01' }, // after today (2017-11-20)
      { ...good[4]!, count: 0 }, // out of range
      { ...good[5]!, idempotencyKey: 'b4:0' }, // the key of row 1
      { ...good[2]!, unit: '', idempotencyKey: 'b4:x' }, // fails the shape
    ];
    const r = await fx.findings.fileBatch(organiser, { channel: 'import', rows });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(InvalidRowsError);
    const e = r.error as InvalidRowsError;
    expect(e.code).toBe('BATCH.INVALID_ROWS');
    expect(e.rows.map((x) => [x.index, x.field, x.error.code])).toEqual([
      [1, 'clause', 'FINDING.UNKNOWN_CLAUSE'],
      [3, 'date', 'FINDING.DATE_IN_FUTURE'],
      [4, 'count', 'FINDING.COUNT_OUT_OF_RANGE'],
      [5, 'idempotencyKey', 'BATCH.DUPLICATE_KEY'],
      [6, 'unit', 'FINDING.BAD_FIELD'],
    ]);
    expect(e.userMessage('zh-CN')).toContain('5 行');
    expect(e.userMessage('en')).toContain('5 rows');
    expect(rowErrorLine('zh-CN', e.rows[0]!)).toBe(`第 2 行（条款）：${e.rows[0]!.error.userMessage('zh-CN')}`);
    expect(rowErrorLine('zh-CN', e.rows[0]!)).toContain('9.9.9');
    expect(rowErrorLine('en', e.rows[1]!)).toMatch(/^Row 4 \(Date found\): .*2017-12-01/);
    expect(rowErrorLine('en', e.rows[3]!)).toMatch(/^Row 6 \(Import key\): .*b4:0.*row 1/);
    const text = JSON.stringify(invalidRowsMessage('en', e));
    for (const row of [2, 4, 5, 6, 7]) expect(text).toContain(`Row ${row} (`);
    // nothing of it was written
    expect(await fx.prisma.finding.count({ where: { idempotencyKey: { startsWith: 'b4:' } } })).toBe(0);
    expect(await version()).toBe(v0);
  });

  it('refuses the whole batch when a row falls in a closed month (checked inside the transaction)', async () => {
    expect((await fx.months.setState(organiser, { month: '2017-03', state: 'closed' })).ok).toBe(true);
    try {
      const before = await countFindings();
      const r = await fx.findings.fileBatch(organiser, batch('b5', 6)); // rows 2 and 5 are in March
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const e = r.error as InvalidRowsError;
      expect(e.rows.map((x) => [x.index, x.field, x.error.code])).toEqual([[2, 'date', 'FINDING.MONTH_CLOSED']]);
      expect(await countFindings()).toBe(before);
      // a batch whose March rows were filed before the month closed is still a no-op, not a refusal
      const again = await fx.findings.fileBatch(organiser, batch('b1', 30));
      expect(again.ok && again.value.created).toBe(0);
    } finally {
      await fx.months.setState(organiser, { month: '2017-03', state: 'open' });
    }
  });

  it('is for organisers only (lifecycle.md: import findings), and refuses an empty batch', async () => {
    const r = await fx.findings.fileBatch(inspector, batch('b6', 2));
    expect(r.ok ? null : r.error.code).toBe('AUTH.FORBIDDEN');
    expect(r.ok ? '' : r.error.userMessage('en')).toContain('import findings');
    const empty = await fx.findings.fileBatch(organiser, { channel: 'import', rows: [] });
    expect(empty.ok ? null : empty.error.code).toBe('BATCH.EMPTY');
  });
});
