import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreFixture } from '../support/core-fixture.ts';
import type { Actor } from '../../core/assessment-api.ts';

// The core use cases against the real PostgreSQL: nothing here is mocked.
let fx: Awaited<ReturnType<typeof createCoreFixture>>;
let organiser: Actor, inspector: Actor, inspector2: Actor, gaj: Actor, kw: Actor;

beforeAll(async () => {
  fx = await createCoreFixture();
  organiser = await fx.member('org-1', 'organiser');
  inspector = await fx.member('insp-1', 'inspector');
  inspector2 = await fx.member('insp-2', 'inspector');
  gaj = await fx.member('gaj-1', 'unit_contact', '市公安局');
  kw = await fx.member('kw-1', 'unit_contact', '市科委');
});
afterAll(async () => fx?.drop());

const counts = async () => ({
  findings: await fx.prisma.finding.count(),
  audit: await fx.prisma.auditLog.count(),
});

describe('filing a finding', () => {
  it('files, resolves an alias, computes the default deadline and explains the points', async () => {
    const r = await fx.findings.file(inspector, {
      unit: '市地震局',
      clause: '2.1.1a',
      count: 3,
      date: '2017-06-01',
      source: 'provincial_inspection',
      evidenceText: '网上受理未覆盖',
      idempotencyKey: 'k-alias',
      channel: 'test',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.created).toBe(true);
    expect(r.value.finding.unit).toBe('市科委');
    expect(r.value.finding.deadline).toBe('2017-06-15'); // 10 working days after 2017-06-01
    // the clause's amount per item (the rulebook's data, tested in test/rules) × 3 items × 2 (inspection)
    const perItem = fx.rulebook.clauses.get('2.1.1a') as { amount: number };
    expect(r.value.result.points).toBe(perItem.amount * 3 * 2);
    expect(r.value.result.inspectionMultiplier).toBe(2);
    const audit = await fx.prisma.auditLog.findMany({ where: { entityId: r.value.finding.id } });
    expect(audit.map((a) => a.action)).toEqual(['finding.filed']);
    expect(fx.events.some((e) => e.type === 'finding.filed' && e.findingId === r.value.finding.id)).toBe(true);
  });

  it('files the same idempotency key twice as one finding', async () => {
    const cmd = { unit: '市公安局', clause: '3.1.1a', date: '2017-06-02', idempotencyKey: 'k-twice', channel: 'test' };
    const before = await counts();
    const [a, b] = await Promise.all([fx.findings.file(inspector, cmd), fx.findings.file(inspector, cmd)]);
    const c = await fx.findings.file(inspector, cmd);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(new Set([a.value.finding.id, b.value.finding.id, c.value.finding.id]).size).toBe(1);
    expect([a.value.created, b.value.created, c.value.created].filter(Boolean)).toHaveLength(1);
    const after = await counts();
    expect(after.findings - before.findings).toBe(1);
    expect(after.audit - before.audit).toBe(1);
  });

  it.each([
    [{ unit: '市不存在局' }, 'FINDING.UNKNOWN_UNIT', 'unit'],
    [{ unit: '市跑改办' }, 'FINDING.ORGANISER_NOT_ASSESSED', 'unit'],
    [{ clause: '9.9.9z' }, 'FINDING.UNKNOWN_CLAUSE', 'clause'],
    [{ unit: '市审计局', clause: '2.1.1a' }, 'FINDING.NOT_APPLICABLE', 'clause'],
    [{ clause: '1.1.1a', value: 120 }, 'FINDING.VALUE_OUT_OF_RANGE', 'value'],
    [{ clause: '1.1.1a' }, 'FINDING.VALUE_REQUIRED', 'value'],
    [{ count: 0 }, 'FINDING.COUNT_OUT_OF_RANGE', 'count'],
    [{ clause: '2.2.1b', count: 2 }, 'FINDING.COUNT_NOT_ALLOWED', 'count'],
    [{ clause: '6.1.1a', level: 'galactic' }, 'FINDING.UNKNOWN_LEVEL', 'level'],
    [{ date: '2017-02-30' }, 'FINDING.BAD_DATE', 'date'],
    [{ date: '2016-12-30' }, 'YEAR.NO_RULEBOOK', 'date'], // a year the deployment holds no rulebook for
    [{ date: '2017-06-20' }, 'FINDING.DATE_IN_FUTURE', 'date'],
    [{ deadline: '2017-05-01' }, 'FINDING.DEADLINE_BEFORE_DATE', 'deadline'],
    [{ source: 'gossip' }, 'FINDING.UNKNOWN_SOURCE', 'source'],
    [{ evidenceLinks: ['javascript:alert(1)'] }, 'FINDING.BAD_FIELD', 'evidenceLinks.0'],
  ])('refuses %j with %s naming the field, and writes nothing', async (patch, code, field) => {
    const before = await counts();
    const r = await fx.findings.file(inspector, {
      unit: '市公安局',
      clause: '2.1.1a',
      date: '2017-06-05',
      idempotencyKey: `bad-${code}-${field}`,
      channel: 'test',
      ...patch,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.field).toBe(field);
    expect(r.error.userMessage('zh-CN')).not.toContain('{');
    expect(r.error.userMessage('en')).not.toContain('{');
    expect(await counts()).toEqual(before);
  });

  it('refuses a finding dated in a closed month, and accepts it again after reopening', async () => {
    const closed = await fx.months.setState(organiser, { month: '2017-04', state: 'closed' });
    expect(closed.ok).toBe(true);
    const before = await counts();
    const r = await fx.findings.file(inspector, {
      unit: '市公安局',
      clause: '2.1.1a',
      date: '2017-04-10',
      idempotencyKey: 'k-closed',
      channel: 'test',
    });
    expect(r.ok ? null : r.error.code).toBe('FINDING.MONTH_CLOSED');
    expect((await counts()).findings).toBe(before.findings);
    expect((await fx.months.setState(organiser, { month: '2017-04', state: 'open' })).ok).toBe(true);
    const again = await fx.findings.file(inspector, {
      unit: '市公安局',
      clause: '2.1.1a',
      date: '2017-04-10',
      idempotencyKey: 'k-closed',
      channel: 'test',
    });
    expect(again.ok).toBe(true);
  });

  it('lets only inspectors and organisers file', async () => {
    const r = await fx.findings.file(gaj, {
      unit: '市公安局',
      clause: '2.1.1a',
      date: '2017-06-05',
      idempotencyKey: 'k-contact',
      channel: 'test',
    });
    expect(r.ok ? null : r.error.code).toBe('AUTH.FORBIDDEN');
    const unknown = await fx.membership.resolveActor('test', 'nobody');
    expect(unknown.ok ? null : unknown.error.code).toBe('AUTH.UNKNOWN_MEMBER');
  });
});

describe('rectification and withdrawal', () => {
  it('submit → reject → submit → verify records the submission day as the rectification date', async () => {
    fx.clock.set('2017-06-05T10:00:00+08:00');
    const filed = await fx.findings.file(inspector, {
      unit: '市公安局',
      clause: '2.1.2a',
      date: '2017-06-05',
      idempotencyKey: 'k-rect',
      channel: 'test',
    });
    if (!filed.ok) throw filed.error;
    const id = filed.value.finding.id;
    expect((await fx.rectification.submit(kw, { findingId: id, evidenceText: 'x', idempotencyKey: 's0' })).ok).toBe(
      false,
    ); // other unit
    fx.clock.set('2017-06-07T10:00:00+08:00');
    const s1 = await fx.rectification.submit(gaj, {
      findingId: id,
      evidenceText: '已开通快递送达',
      idempotencyKey: 's1',
    });
    expect(s1.ok && s1.value.status).toBe('submitted');
    const dup = await fx.rectification.submit(gaj, {
      findingId: id,
      evidenceText: '已开通快递送达',
      idempotencyKey: 's1',
    });
    expect(dup.ok).toBe(true); // a double click is not an error
    const rej = await fx.rectification.reject(inspector, { findingId: id, reason: '证明材料不全' });
    expect(rej.ok && rej.value.status).toBe('filed');
    fx.clock.set('2017-06-09T10:00:00+08:00');
    await fx.rectification.submit(gaj, {
      findingId: id,
      evidenceText: '补充材料',
      evidenceLinks: ['https://example.gov.cn/e/1'],
      idempotencyKey: 's2',
    });
    fx.clock.set('2017-06-14T10:00:00+08:00');
    const ver = await fx.rectification.verify(inspector2, { findingId: id });
    expect(ver.ok && ver.value.status).toBe('verified');
    expect(ver.ok && ver.value.rectifiedOn).toBe('2017-06-09');
    const actions = (await fx.prisma.auditLog.findMany({ where: { entityId: id }, orderBy: { id: 'asc' } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual([
      'finding.filed',
      'rectification.submitted',
      'rectification.rejected',
      'rectification.submitted',
      'rectification.verified',
    ]);
  });

  it('withdrawal: only the filer or an organiser, with a reason; the finding then counts for nothing', async () => {
    fx.clock.set('2017-06-15T10:00:00+08:00');
    const filed = await fx.findings.file(inspector, {
      unit: '市民政局',
      clause: '3.1.1c',
      date: '2017-06-12',
      idempotencyKey: 'k-wd',
      channel: 'test',
    });
    if (!filed.ok) throw filed.error;
    const id = filed.value.finding.id;
    const before = await fx.queries.unitBreakdown(organiser, { unit: '市民政局' });
    expect(before.ok && before.value.standing.total).toBe(99);
    expect((await fx.findings.withdraw(inspector2, { findingId: id, reason: '误报' })).ok).toBe(false);
    expect((await fx.findings.withdraw(inspector, { findingId: id, reason: '  ' })).ok).toBe(false);
    const w = await fx.findings.withdraw(inspector, { findingId: id, reason: '误报' });
    expect(w.ok && w.value.status).toBe('withdrawn');
    const after = await fx.queries.unitBreakdown(organiser, { unit: '市民政局' });
    expect(after.ok && after.value.standing.total).toBe(100);
    expect(after.ok && after.value.standing.findings.find((f) => f.id === id)?.multiplier).toBe(0);
  });
});

describe('deadline changes', () => {
  it('an impossible date is refused as a bad date on the deadline field, and nothing changes', async () => {
    const filed = await fx.findings.file(inspector, {
      unit: '市教育局',
      clause: '3.1.3b',
      date: '2017-06-12',
      idempotencyKey: 'k-dl',
      channel: 'test',
    });
    if (!filed.ok) throw filed.error;
    const r = await fx.findings.changeDeadline(inspector, {
      findingId: filed.value.finding.id,
      deadline: '2017-02-30',
      reason: '延期',
    });
    expect(r.ok ? null : [r.error.code, r.error.field]).toEqual(['FINDING.BAD_DATE', 'deadline']);
    const row = await fx.prisma.finding.findUnique({ where: { id: filed.value.finding.id } });
    expect(row?.deadline?.toISOString().slice(0, 10)).toBe(filed.value.finding.deadline);
  });
});

describe('breakdown and standings', () => {
  it('a unit contact sees their own unit and is refused another', async () => {
    const own = await fx.queries.unitBreakdown(gaj, {});
    expect(own.ok && own.value.unit).toBe('市公安局');
    expect(own.ok && own.value.sections.find((s) => s.id === '3.1')?.score).toBe(9);
    const other = await fx.queries.unitBreakdown(gaj, { unit: '市科委' });
    expect(other.ok ? null : other.error.code).toBe('AUTH.OTHER_UNIT');
    const byAlias = await fx.queries.unitBreakdown(inspector, { unit: '市地震局' });
    expect(byAlias.ok && byAlias.value.unit).toBe('市科委');
  });

  it('group standings rank every seeded unit with quotas 8 and 3', async () => {
    const st = await fx.queries.groupStandings(organiser, {});
    if (!st.ok) throw st.error;
    expect(st.value.groups.map((g) => [g.group, g.assessed, g.quota])).toEqual([
      ['with_matters', 43, 8],
      ['without_matters', 16, 3],
    ]);
    expect((await fx.queries.groupStandings(gaj, {})).ok).toBe(false);
  });

  it('the audit log is append-only', async () => {
    await expect(fx.prisma.auditLog.deleteMany({})).rejects.toThrow();
  });
});
