import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreFixture } from '../support/core-fixture.ts';
import { findingRefLabel, parseFindingRef } from '../../core/finding-ref.ts';
import type { Actor } from '../../core/assessment-api.ts';

// People refer to findings by filing number (#123); every findingId the service takes accepts it
// beside the storage id, against the real PostgreSQL store.

describe('parseFindingRef', () => {
  it.each([
    ['#123', { kind: 'seq', seq: 123 }],
    ['123', { kind: 'seq', seq: 123 }],
    [' #7 ', { kind: 'seq', seq: 7 }],
    ['＃１２', { kind: 'seq', seq: 12 }],
    ['2C0E6F0A-1B2C-4D3E-8F90-A1B2C3D4E5F6', { kind: 'id', id: '2c0e6f0a-1b2c-4d3e-8f90-a1b2c3d4e5f6' }],
  ])('%j', (raw, ref) => {
    expect(parseFindingRef(raw)).toEqual(ref);
  });

  it.each(['', '#', '#0', '0', '#-1', '#12a', 'abc', '#99999999999', '2147483648', '1.5'])(
    '%j is not a reference',
    (raw) => {
      expect(parseFindingRef(raw)).toBeNull();
    },
  );

  it('labels', () => {
    expect(findingRefLabel({ kind: 'seq', seq: 5 })).toBe('#5');
  });
});

describe('findings by filing number in the service', () => {
  let fx: Awaited<ReturnType<typeof createCoreFixture>>;
  let inspector: Actor;
  let organiser: Actor;

  beforeAll(async () => {
    fx = await createCoreFixture({ now: '2017-06-15T10:00:00+08:00' });
    inspector = await fx.member('ref-insp', 'inspector');
    organiser = await fx.member('ref-org', 'organiser');
  });
  afterAll(async () => fx?.drop());

  async function file(key: string) {
    const r = await fx.findings.file(inspector, {
      unit: '市公安局',
      clause: '2.1.1a',
      date: '2017-06-12',
      idempotencyKey: key,
      channel: 'test',
    });
    if (!r.ok) throw r.error;
    return r.value.finding;
  }

  it('getFinding takes #seq, a bare number or the uuid', async () => {
    const f = await file('ref-get');
    for (const ref of [`#${f.seq}`, String(f.seq), `＃${f.seq}`, f.id, f.id.toUpperCase()]) {
      const r = await fx.queries.getFinding(organiser, ref);
      expect(r.ok && r.value.id, ref).toBe(f.id);
    }
  });

  it('an unknown number is FINDING.NOT_FOUND naming #n; something else is FINDING.BAD_REF', async () => {
    const missing = await fx.queries.getFinding(organiser, '#999999');
    expect(missing.ok ? null : missing.error.code).toBe('FINDING.NOT_FOUND');
    expect(missing.ok ? '' : missing.error.userMessage('zh-CN')).toContain('找不到事项 #999999');
    expect(missing.ok ? '' : missing.error.userMessage('en')).toContain('No finding #999999');
    const bad = await fx.findings.withdraw(organiser, { findingId: 'abc', reason: 'x' });
    expect(bad.ok ? null : bad.error.code).toBe('FINDING.BAD_REF');
    expect(bad.ok ? '' : bad.error.userMessage('zh-CN')).toContain('“abc”不是事项编号');
    const gone = await fx.findings.changeDeadline(organiser, {
      findingId: '999999',
      deadline: '2017-07-01',
      reason: 'x',
    });
    expect(gone.ok ? '' : gone.error.userMessage('en')).toContain('No finding #999999');
  });

  it('withdrawFinding and changeDeadline by #seq change the row, audit it and publish the storage id', async () => {
    const a = await file('ref-withdraw');
    const b = await file('ref-deadline');
    const events = fx.events.length;

    const w = await fx.findings.withdraw(inspector, { findingId: `#${a.seq}`, reason: '重复记录' });
    expect(w.ok && w.value.status).toBe('withdrawn');
    const d = await fx.findings.changeDeadline(organiser, {
      findingId: String(b.seq),
      deadline: '2017-07-20',
      reason: '单位申请延期',
    });
    expect(d.ok && d.value.deadline).toBe('2017-07-20');

    expect(fx.events.slice(events)).toEqual([
      { type: 'finding.withdrawn', findingId: a.id, rulebookId: 'hz-2017', year: 2017 },
      { type: 'finding.deadline_changed', findingId: b.id, rulebookId: 'hz-2017', year: 2017 },
    ]);
    const audit = await fx.prisma.auditLog.findMany({
      where: { entityId: { in: [a.id, b.id] }, action: { not: 'finding.filed' } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((x) => [x.entityId, x.action, x.reason])).toEqual([
      [a.id, 'finding.withdrawn', '重复记录'],
      [b.id, 'finding.deadline_changed', '单位申请延期'],
    ]);

    // withdrawing again is refused (the bot decides whether that was a repeat of the same request)
    const again = await fx.findings.withdraw(inspector, { findingId: `#${a.seq}`, reason: '重复记录' });
    expect(again.ok ? null : again.error.code).toBe('FINDING.ALREADY_WITHDRAWN');
  });
});
