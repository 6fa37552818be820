import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreFixture, standingsOf } from '../support/core-fixture.ts';
import type { Actor, FindingView } from '../../core/assessment-api.ts';
import { jobsForLedgerEvent } from '../../adapters/queue/queues.ts';

// Appeals (申诉 → 复核) and extension requests (延期) against the real PostgreSQL, as lifecycle.md
// states them; the clock is injected, so windows and deadlines are driven, not waited for.
let fx: Awaited<ReturnType<typeof createCoreFixture>>;
let organiser: Actor, inspector: Actor, inspector2: Actor, gaj: Actor, kw: Actor;
let seq = 0;

beforeAll(async () => {
  fx = await createCoreFixture({ now: '2017-06-15T10:00:00+08:00' });
  organiser = await fx.member('org-1', 'organiser');
  inspector = await fx.member('insp-1', 'inspector');
  inspector2 = await fx.member('insp-2', 'inspector');
  gaj = await fx.member('gaj-1', 'unit_contact', '市公安局');
  kw = await fx.member('kw-1', 'unit_contact', '市科委');
});
afterAll(async () => fx?.drop());

/** Files a finding for 市公安局 on the fixture's current day (clause 3.1.1a: −1 point per item). */
async function file(count = 1, unit = '市公安局'): Promise<FindingView> {
  const day = fx.today();
  const r = await fx.findings.file(inspector, {
    unit,
    clause: '3.1.1a',
    count,
    date: day,
    idempotencyKey: `ae-${++seq}`,
    channel: 'test',
  });
  if (!r.ok) throw r.error;
  return r.value.finding;
}
const total = async (unit: string) => (await standingsOf(fx, fx.today())).units.find((u) => u.unit === unit)!.total;
const auditOf = async (id: string) =>
  (await fx.prisma.auditLog.findMany({ where: { entityId: id }, orderBy: { id: 'asc' } })).map((a) => a.action);
const eventsOf = (id: string) => fx.events.filter((e) => 'findingId' in e && e.findingId === id).map((e) => e.type);
const errCode = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

describe('appeals', () => {
  it('a reduced appeal re-scores the finding; it counts in full and is provisional while pending', async () => {
    fx.clock.set('2017-06-15T10:00:00+08:00');
    const f = await file(3);
    const before = await total('市公安局');
    const appealed = await fx.appeals.file(gaj, {
      findingId: `#${f.seq}`,
      reasons: '其中两个窗口已于检查前撤并',
      evidenceLinks: ['https://example.org/notice.pdf'],
    });
    expect(appealed.ok).toBe(true);
    if (!appealed.ok) return;
    expect(appealed.value.state).toBe('pending');
    expect(appealed.value.finding.underAppeal).toBe(true);
    // pending: the finding still counts in full, and the unit's breakdown marks it provisional
    expect(await total('市公安局')).toBe(before);
    const bd = await fx.queries.unitBreakdown(gaj, {});
    expect(bd.ok && bd.value.findings.find((x) => x.id === f.id)?.underAppeal).toBe(true);

    fx.clock.set('2017-06-19T10:00:00+08:00');
    const ruled = await fx.appeals.rule(organiser, {
      findingId: f.id,
      outcome: 'reduced',
      count: 1,
      ruling: '核实两个窗口已撤并，核减为1个',
    });
    expect(ruled.ok).toBe(true);
    if (!ruled.ok) return;
    expect(ruled.value.state).toBe('reduced');
    expect(ruled.value.finding.count).toBe(1);
    expect(ruled.value.finding.underAppeal).toBe(false);
    expect(await total('市公安局')).toBe(before + 2); // two of the three −1 points are gone
    expect(await auditOf(f.id)).toEqual(['finding.filed', 'appeal.filed', 'appeal.ruled']);
    expect(eventsOf(f.id)).toEqual(['finding.filed', 'appeal.filed', 'appeal.ruled']);
    // the worker recomputes the standings for each of them
    expect(
      jobsForLedgerEvent({ type: 'appeal.ruled', findingId: f.id, rulebookId: 'hz-2017', year: 2017 })[0]?.name,
    ).toBe('recompute');
  });

  it('a withdrawn ruling stops the finding counting; an organiser may reopen it, restoring the finding', async () => {
    fx.clock.set('2017-06-15T10:00:00+08:00');
    const f = await file(2);
    const counted = await total('市公安局');
    expect((await fx.appeals.file(gaj, { findingId: f.id, reasons: '该窗口不属于本单位' })).ok).toBe(true);
    const ruled = await fx.appeals.rule(organiser, {
      findingId: f.id,
      outcome: 'withdrawn',
      ruling: '窗口属于区级，撤销',
    });
    expect(ruled.ok && ruled.value.finding.status).toBe('withdrawn');
    expect(await total('市公安局')).toBe(counted + 2);
    expect(eventsOf(f.id)).toContain('finding.withdrawn'); // the reminders stop too

    const reopened = await fx.appeals.reopen(organiser, { findingId: f.id, reason: '区里来函说明窗口由市局派驻' });
    expect(reopened.ok).toBe(true);
    if (!reopened.ok) return;
    expect(reopened.value.state).toBe('pending');
    expect(reopened.value.finding.status).toBe('filed');
    expect(await total('市公安局')).toBe(counted);
    const upheld = await fx.appeals.rule(organiser, { findingId: f.id, outcome: 'upheld', ruling: '维持原认定' });
    expect(upheld.ok && upheld.value.state).toBe('upheld');
    expect(await total('市公安局')).toBe(counted);
    expect(await auditOf(f.id)).toEqual([
      'finding.filed',
      'appeal.filed',
      'appeal.ruled',
      'appeal.reopened',
      'appeal.ruled',
    ]);
  });

  it('refuses an appeal after the window, saying when it closed', async () => {
    fx.clock.set('2017-06-15T10:00:00+08:00');
    const f = await file();
    fx.clock.set('2017-06-22T20:00:00+08:00'); // the 5th working day after filing: still open
    const f2 = await file();
    fx.clock.set('2017-06-23T09:00:00+08:00'); // the 6th: closed
    const late = await fx.appeals.file(gaj, { findingId: f.id, reasons: '迟到的申诉' });
    expect(errCode(late)).toBe('APPEAL.WINDOW_CLOSED');
    if (late.ok) return;
    expect(late.error.params).toMatchObject({ date: '2017-06-22' });
    expect(late.error.userMessage('zh-CN')).toContain('2017-06-22');
    expect(late.error.userMessage('en')).toContain('ended on 2017-06-22');
    expect((await fx.appeals.file(gaj, { findingId: f2.id, reasons: '按期申诉' })).ok).toBe(true);
    expect(await auditOf(f.id)).toEqual(['finding.filed']); // a refusal writes nothing
  });

  it('refuses a second appeal on the same finding, even after the first is ruled', async () => {
    fx.clock.set('2017-06-15T10:00:00+08:00');
    const f = await file();
    expect((await fx.appeals.file(gaj, { findingId: f.id, reasons: '第一次' })).ok).toBe(true);
    expect(errCode(await fx.appeals.file(gaj, { findingId: f.id, reasons: '第二次' }))).toBe('APPEAL.ALREADY_APPEALED');
    await fx.appeals.rule(organiser, { findingId: f.id, outcome: 'upheld', ruling: '维持' });
    expect(errCode(await fx.appeals.file(gaj, { findingId: f.id, reasons: '第三次' }))).toBe('APPEAL.ALREADY_APPEALED');
    expect(await fx.prisma.appeal.count({ where: { findingId: f.id } })).toBe(1);
  });

  it('enforces who may appeal and rule (lifecycle.md)', async () => {
    fx.clock.set('2017-06-15T10:00:00+08:00');
    const f = await file();
    for (const who of [organiser, inspector])
      expect(errCode(await fx.appeals.file(who, { findingId: f.id, reasons: 'x' }))).toBe('AUTH.FORBIDDEN');
    expect(errCode(await fx.appeals.file(kw, { findingId: f.id, reasons: '别的单位' }))).toBe('AUTH.OTHER_UNIT');
    expect((await fx.appeals.file(gaj, { findingId: f.id, reasons: '本单位' })).ok).toBe(true);
    for (const who of [inspector, inspector2, gaj])
      expect(errCode(await fx.appeals.rule(who, { findingId: f.id, outcome: 'upheld', ruling: 'x' }))).toBe(
        'AUTH.FORBIDDEN',
      );
    expect(errCode(await fx.appeals.reopen(gaj, { findingId: f.id, reason: 'x' }))).toBe('AUTH.FORBIDDEN');
    // a reduction that changes nothing, or breaks the clause's rules, is refused with the reason
    expect(
      errCode(await fx.appeals.rule(organiser, { findingId: f.id, outcome: 'reduced', count: 1, ruling: 'x' })),
    ).toBe('APPEAL.NOTHING_REDUCED');
    expect(
      errCode(await fx.appeals.rule(organiser, { findingId: f.id, outcome: 'reduced', level: 'A', ruling: 'x' })),
    ).toBe('FINDING.LEVEL_NOT_ALLOWED');
    expect(errCode(await fx.appeals.reopen(organiser, { findingId: f.id, reason: '未复核' }))).toBe('APPEAL.NOT_RULED');
  });
});

describe('extension requests', () => {
  it('an approved extension moves the deadline through the deadline-change path', async () => {
    fx.clock.set('2017-06-15T10:00:00+08:00');
    const f = await file();
    expect(f.deadline).toBe('2017-06-29'); // 10 working days (the Dragon Boat holiday counted out)
    fx.clock.set('2017-06-26T10:00:00+08:00');
    const asked = await fx.extensions.request(gaj, {
      findingId: `#${f.seq}`,
      deadline: '2017-07-10',
      reason: '需采购设备',
    });
    expect(asked.ok && asked.value.state).toBe('pending');
    const untouched = await fx.queries.getFinding(organiser, f.id);
    expect(untouched.ok && untouched.value.deadline).toBe('2017-06-29'); // nothing moves until approved
    // too long: more than 10 working days after the current deadline
    expect(
      errCode(await fx.extensions.decide(organiser, { findingId: f.id, decision: 'approve', deadline: '2017-08-01' })),
    ).toBe('EXTENSION.TOO_LONG');
    const approved = await fx.extensions.decide(organiser, {
      findingId: f.id,
      decision: 'approve',
      deadline: '2017-07-07',
      reason: '同意延期至7月7日',
    });
    expect(approved.ok).toBe(true);
    if (!approved.ok) return;
    expect(approved.value.state).toBe('approved');
    expect(approved.value.approvedDeadline).toBe('2017-07-07');
    expect(approved.value.finding.deadline).toBe('2017-07-07');
    // the deadline change the worker re-plans reminders and overdue alerts from
    expect(eventsOf(f.id).slice(-1)).toEqual(['finding.deadline_changed']);
    fx.clock.set('2017-07-03T10:00:00+08:00'); // after the old deadline, before the new one
    const view = await fx.queries.getFinding(organiser, f.id);
    expect(view.ok && view.value.overdue).toBe(false);
    // one extension per finding
    expect(
      errCode(await fx.extensions.request(gaj, { findingId: f.id, deadline: '2017-07-10', reason: '再延一次' })),
    ).toBe('EXTENSION.LIMIT');
  });

  it('refuses a request on or after the deadline with a message that says so', async () => {
    fx.clock.set('2017-06-15T10:00:00+08:00');
    const f = await file();
    fx.clock.set('2017-06-29T09:00:00+08:00'); // the deadline day itself
    const late = await fx.extensions.request(gaj, { findingId: f.id, deadline: '2017-07-05', reason: '来不及' });
    expect(errCode(late)).toBe('EXTENSION.TOO_LATE');
    if (late.ok) return;
    expect(late.error.userMessage('zh-CN')).toContain('不能再申请延期');
    expect(late.error.userMessage('en')).toContain('before the deadline');
    expect(await fx.prisma.extensionRequest.count({ where: { findingId: f.id } })).toBe(0);
  });

  it('a refusal leaves the deadline; roles follow lifecycle.md', async () => {
    fx.clock.set('2017-06-15T10:00:00+08:00');
    const f = await file();
    for (const who of [organiser, inspector])
      expect(errCode(await fx.extensions.request(who, { findingId: f.id, deadline: '2017-07-03', reason: 'x' }))).toBe(
        'AUTH.FORBIDDEN',
      );
    expect(errCode(await fx.extensions.request(kw, { findingId: f.id, deadline: '2017-07-03', reason: 'x' }))).toBe(
      'AUTH.OTHER_UNIT',
    );
    expect((await fx.extensions.request(gaj, { findingId: f.id, deadline: '2017-07-03', reason: '人手不足' })).ok).toBe(
      true,
    );
    // the filing inspector decides only where the office allows it (hz-2017: no); a unit never
    for (const who of [inspector, gaj])
      expect(errCode(await fx.extensions.decide(who, { findingId: f.id, decision: 'refuse', reason: 'x' }))).toBe(
        'AUTH.FORBIDDEN',
      );
    const refused = await fx.extensions.decide(organiser, {
      findingId: f.id,
      decision: 'refuse',
      reason: '理由不充分',
    });
    expect(refused.ok && refused.value.state).toBe('refused');
    expect(refused.ok && refused.value.finding.deadline).toBe('2017-06-29');
    expect(await auditOf(f.id)).toEqual(['finding.filed', 'extension.requested', 'extension.refused']);
    // a refused request does not use up the allowance
    expect((await fx.extensions.request(gaj, { findingId: f.id, deadline: '2017-07-03', reason: '补充说明' })).ok).toBe(
      true,
    );
  });
});
