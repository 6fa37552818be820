import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreFixture, standingsOf } from '../support/core-fixture.ts';
import type { Actor, FindingView } from '../../core/assessment-api.ts';
import { jobsForLedgerEvent } from '../../adapters/queue/queues.ts';

// The month review cycle of lifecycle.md ("Months: close → draft → publish") against the real
// PostgreSQL: the draft, ties at the cut blocking publication until the office resolves them,
// publish → reopen → republish keeping both versions, unit contacts seeing only what was
// published, and the year's results after December.
let fx: Awaited<ReturnType<typeof createCoreFixture>>;
let organiser: Actor, inspector: Actor, gaj: Actor, kw: Actor;
let seq = 0;

beforeAll(async () => {
  fx = await createCoreFixture({ now: '2017-09-20T10:00:00+08:00' });
  organiser = await fx.member('org-1', 'organiser');
  inspector = await fx.member('insp-1', 'inspector');
  gaj = await fx.member('gaj-1', 'unit_contact', '市公安局');
  kw = await fx.member('kw-1', 'unit_contact', '市科委');
});
afterAll(async () => fx?.drop());

async function file(unit: string, clause: string, count = 1): Promise<FindingView> {
  const r = await fx.findings.file(inspector, {
    unit,
    clause,
    count,
    date: fx.today(),
    idempotencyKey: `mp-${++seq}`,
    channel: 'test',
  });
  if (!r.ok) throw r.error;
  return r.value.finding;
}
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
const tiedIn = async (period: string, group: string) => {
  const d = await fx.months.draft(organiser, { period });
  if (!d.ok) throw d.error;
  return d.value.openTies.find((t) => t.group === group)!;
};
/** Resolve every open tie by naming as many tied units as there are places left. */
async function resolveTies(period: string, reason = '按考核办会议决定') {
  const d = await fx.months.draft(organiser, { period });
  if (!d.ok) throw d.error;
  for (const t of d.value.openTies) {
    const r = await fx.months.tieBreak(organiser, {
      period,
      group: t.group,
      choice: { method: 'named', units: t.tied.slice(0, t.remaining) },
      reason,
    });
    if (!r.ok) throw r.error;
  }
}

let disqualifying: FindingView, kwFinding: FindingView, late: FindingView, sectionDq: FindingView;

describe('a month: close → draft → publish → reopen → republish', () => {
  it('the draft shows standings, ties at the cut, late findings, disqualifications — to organisers only', async () => {
    disqualifying = await file('市公安局', '1.1.3a');
    sectionDq = await file('市审管办', '1.2.1a'); // a deduction in section 1.2 disqualifies from the special award
    kwFinding = await file('市科委', '3.1.1a', 2);
    // pending at close: an appeal and an extension request
    expect(
      code(await fx.appeals.file(gaj, { findingId: disqualifying.id, reasons: '已整改到位', evidenceLinks: [] })),
    ).toBe('ok');
    const later = new Date(Date.parse(`${kwFinding.deadline}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    expect(
      code(await fx.extensions.request(kw, { findingId: kwFinding.id, deadline: later, reason: '需采购设备' })),
    ).toBe('ok');
    fx.clock.set('2017-09-28T10:00:00+08:00');
    late = await file('市发改委', '3.1.1a');

    expect(code(await fx.months.publish(organiser, { period: '2017-09' }))).toBe('PERIOD.NOT_CLOSED');
    expect(code(await fx.months.setState(organiser, { month: '2017-09', state: 'closed' }))).toBe('ok');

    for (const who of [inspector, gaj]) {
      expect(code(await fx.months.draft(who, { period: '2017-09' }))).toBe('AUTH.FORBIDDEN');
      expect(code(await fx.months.publish(who, { period: '2017-09' }))).toBe('AUTH.FORBIDDEN');
      expect(code(await fx.months.reopen(who, { period: '2017-09', reason: 'x' }))).toBe('AUTH.FORBIDDEN');
    }
    const d = await fx.months.draft(organiser, { period: '2017-09' });
    if (!d.ok) throw d.error;
    expect(d.value.monthState).toBe('closed');
    expect(d.value.latest).toBeNull();
    expect(d.value.lateFindings.map((f) => f.seq)).toEqual([late.seq]);
    expect(d.value.pendingAppeals.map((f) => f.seq)).toEqual([disqualifying.seq]);
    expect(d.value.pendingExtensions.map((f) => [f.seq, f.deadline])).toEqual([[kwFinding.seq, kwFinding.deadline]]);
    expect(d.value.content.disqualifications).toEqual([
      {
        unit: '市公安局',
        group: 'with_matters',
        disqualification: 'year_end_excellence',
        findings: [{ id: disqualifying.id, seq: disqualifying.seq, clause: '1.1.3a', date: '2017-09-20' }],
      },
      {
        unit: '市审管办',
        group: 'without_matters',
        disqualification: 'special_award',
        findings: [{ id: sectionDq.id, seq: sectionDq.seq, clause: '1.2.1a', date: '2017-09-20' }],
      },
    ]);
    // 40 units with matters tie on 100 for the 8 places; the 15 without matters but 市审管办 tie for 3
    const engine = await standingsOf(fx, '2017-09-30');
    const withMatters = d.value.openTies.find((t) => t.group === 'with_matters')!;
    expect(withMatters.remaining).toBe(8);
    expect(withMatters.tied).toHaveLength(
      engine.units.filter((u) => u.group === 'with_matters' && u.total === 100).length,
    );
    expect(withMatters.tied).not.toContain('市科委');
    expect(d.value.openTies.find((t) => t.group === 'without_matters')!.tied).toHaveLength(15);
  });

  it('publishing with a tie at the cut is refused, naming the tied units, until the office resolves it', async () => {
    const r = await fx.months.publish(organiser, { period: '2017-09' });
    expect(code(r)).toBe('PERIOD.TIE_UNRESOLVED');
    if (r.ok) return;
    const zh = r.error.userMessage('zh-CN');
    expect(zh).toContain('市直无办事事项单位其余 3 个名额');
    expect(zh).toContain('市总工会');
    expect(r.error.userMessage('en')).toContain('Municipal units without service matters, 3 place(s) left');

    // fewer deductions cannot split units that all have none
    const still = await fx.months.tieBreak(organiser, {
      period: '2017-09',
      group: 'without_matters',
      choice: { method: 'fewer_deductions' },
      reason: '扣分少者优先',
    });
    expect(code(still)).toBe('PERIOD.STILL_TIED');
    // a unit that is not tied cannot be named; a tie-break needs a reason
    const notTied = await fx.months.tieBreak(organiser, {
      period: '2017-09',
      group: 'with_matters',
      choice: { method: 'named', units: ['市科委'] },
      reason: '会议决定',
    });
    expect(code(notTied)).toBe('PERIOD.NOT_TIED');
    expect(
      code(
        await fx.months.tieBreak(organiser, {
          period: '2017-09',
          group: 'with_matters',
          choice: { method: 'named', units: ['市教育局'] },
          reason: ' ',
        }),
      ),
    ).toBe('PERIOD.REASON_REQUIRED');
    expect(
      code(
        await fx.months.tieBreak(gaj, {
          period: '2017-09',
          group: 'with_matters',
          choice: { method: 'named', units: ['市教育局'] },
          reason: 'x',
        }),
      ),
    ).toBe('AUTH.FORBIDDEN');

    await resolveTies('2017-09');
    const published = await fx.months.publish(organiser, { period: '2017-09' });
    if (!published.ok) throw published.error;
    const p = published.value.publication;
    expect(p.version).toBe(1);
    expect(p.reason).toBeNull();
    const withMatters = p.content.groups.find((g) => g.group === 'with_matters')!;
    // never more advanced units than the quota without saying why
    expect(withMatters.advanced).toHaveLength(withMatters.quota);
    expect(withMatters.tieBreak?.reason).toBe('按考核办会议决定');
    expect(fx.events.at(-1)).toEqual({
      type: 'period.published',
      rulebookId: 'hz-2017',
      year: 2017,
      period: '2017-09',
      version: 1,
    });
    expect(jobsForLedgerEvent(fx.events.at(-1)!).map((j) => j.name)).toEqual(['month-published']);
    // a second click changes nothing
    expect(code(await fx.months.publish(organiser, { period: '2017-09' }))).toBe('PERIOD.ALREADY_PUBLISHED');
    const audit = await fx.prisma.auditLog.findMany({ where: { entityId: 'hz-2017/2017-09' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual([
      'month.closed',
      'period.tie_break',
      'period.tie_break',
      'period.published',
    ]);
  });

  it('unit contacts see the published version: their own unit and the advanced units', async () => {
    const s = await fx.months.publishedSnapshot(gaj, { period: '2017-09' });
    if (!s.ok) throw s.error;
    expect(s.value?.version).toBe(1);
    expect(s.value?.content.units.map((u) => u.unit)).toEqual(['市公安局']);
    expect(s.value?.content.groups.find((g) => g.group === 'with_matters')?.advanced).toHaveLength(8);
    const ps = await fx.queries.publishedStandings(gaj);
    expect(ps.ok && ps.value?.month).toBe('2017-09');
  });

  it('reopening a published month needs a reason; republishing states what changed and why; both versions stay', async () => {
    expect(code(await fx.months.reopen(organiser, { period: '2017-09' }))).toBe('PERIOD.REASON_REQUIRED');
    expect(code(await fx.months.setState(organiser, { month: '2017-09', state: 'open' }))).toBe(
      'PERIOD.REASON_REQUIRED',
    );
    const reopened = await fx.months.reopen(organiser, { period: '2017-09', reason: '市科委事项复核撤销' });
    if (!reopened.ok) throw reopened.error;
    expect(reopened.value).toEqual({ period: '2017-09', reopenedVersion: 1, monthReopened: true });
    expect(fx.events.at(-1)?.type).toBe('month.reopened');
    // while reopened, contacts still see what was announced
    const during = await fx.months.publishedSnapshot(kw, { period: '2017-09' });
    expect(during.ok && during.value?.version).toBe(1);
    expect(code(await fx.months.publish(organiser, { period: '2017-09' }))).toBe('PERIOD.NOT_CLOSED');

    const w = await fx.findings.withdraw(organiser, { findingId: kwFinding.id, reason: '复核撤销' });
    expect(code(w)).toBe('ok');
    expect(code(await fx.months.setState(organiser, { month: '2017-09', state: 'closed' }))).toBe('ok');
    const d = await fx.months.draft(organiser, { period: '2017-09' });
    if (!d.ok) throw d.error;
    expect(d.value.latest?.reopened?.reason).toBe('市科委事项复核撤销');
    expect(d.value.comparedWith).toEqual({ period: '2017-09', version: 1 });
    expect(d.value.changes.map((c) => c.unit)).toContain('市科委');
    // 市科委 now ties at the cut too: the old tie-break was for another tie
    expect((await tiedIn('2017-09', 'with_matters')).tied).toContain('市科委');
    expect(code(await fx.months.publish(organiser, { period: '2017-09' }))).toBe('PERIOD.TIE_UNRESOLVED');
    await resolveTies('2017-09', '复核后重新确定');

    const again = await fx.months.publish(organiser, { period: '2017-09' });
    if (!again.ok) throw again.error;
    const v2 = again.value.publication;
    expect(v2.version).toBe(2);
    expect(v2.reason).toBe('市科委事项复核撤销');
    const kwChange = v2.changes.find((c) => c.unit === '市科委')!;
    expect(kwChange.before?.total).toBe(98);
    expect(kwChange.after?.total).toBe(100);

    const v1 = await fx.months.publishedSnapshot(organiser, { period: '2017-09', version: 1 });
    const latest = await fx.months.publishedSnapshot(organiser, { period: '2017-09' });
    expect(v1.ok && v1.value?.version).toBe(1);
    expect(v1.ok && v1.value?.reopened?.reason).toBe('市科委事项复核撤销');
    expect(v1.ok && v1.value?.content.units.find((u) => u.unit === '市科委')?.total).toBe(98);
    expect(latest.ok && latest.value?.version).toBe(2);
    expect(latest.ok && latest.value?.latestVersion).toBe(2);
    expect(latest.ok && latest.value?.content.units.find((u) => u.unit === '市科委')?.total).toBe(100);
    const none = await fx.months.publishedSnapshot(organiser, { period: '2017-09', version: 3 });
    expect(none.ok && none.value).toBeNull();
    const kwSees = await fx.months.publishedSnapshot(kw, { period: '2017-09' });
    expect(kwSees.ok && kwSees.value?.changes.map((c) => c.unit)).toEqual(['市科委']);
  });
});

describe("the year's results", () => {
  it('waits for December; the draft lists the advanced units and disqualifications the engine computes', async () => {
    expect(code(await fx.months.publish(organiser, { period: '2017' }))).toBe('PERIOD.DECEMBER_NOT_PUBLISHED');
    expect(code(await fx.months.setState(organiser, { month: '2017-12', state: 'closed' }))).toBe('ok');
    await resolveTies('2017-12');
    // two organisers (or a double click) at once: one version, the other told it is published
    const both = await Promise.all([
      fx.months.publish(organiser, { period: '2017-12' }),
      fx.months.publish(organiser, { period: '2017-12' }),
    ]);
    expect(both.map(code).sort()).toEqual(['PERIOD.ALREADY_PUBLISHED', 'ok']);
    expect(await fx.prisma.publication.count({ where: { period: '2017-12' } })).toBe(1);

    const d = await fx.months.draft(organiser, { period: '2017' });
    if (!d.ok) throw d.error;
    expect(d.value.kind).toBe('year');
    expect(d.value.decemberPublished).toBe(true);
    const engine = await standingsOf(fx, '2017-12-31');
    for (const g of d.value.content.groups) {
      const settled = engine.units.filter((u) => u.group === g.group && u.advanced && u.total > (g.cut ?? -Infinity));
      expect(g.advanced).toEqual(expect.arrayContaining(settled.map((u) => u.unit)));
      expect(g.tied.length).toBeGreaterThan(0);
    }
    expect(
      d.value.content.disqualifications.map((x) => [x.unit, x.disqualification, x.findings.map((f) => f.seq)]),
    ).toEqual(
      engine.units.flatMap((u) =>
        u.disqualified.map((q) => [u.unit, q, [u.unit === '市审管办' ? sectionDq.seq : disqualifying.seq]]),
      ),
    );
    expect(code(await fx.months.publish(organiser, { period: '2017' }))).toBe('PERIOD.TIE_UNRESOLVED');
    await resolveTies('2017', '年度考评委员会决定');
    const y = await fx.months.publish(organiser, { period: '2017' });
    if (!y.ok) throw y.error;
    expect(y.value.publication.version).toBe(1);
    expect(y.value.publication.content.groups.every((g) => g.advanced.length === g.quota)).toBe(true);
    // 市公安局 is disqualified: never advanced, even when named among the tied
    expect(y.value.publication.content.units.find((u) => u.unit === '市公安局')?.advanced).toBe(false);

    expect(code(await fx.months.reopen(organiser, { period: '2017' }))).toBe('PERIOD.REASON_REQUIRED');
    const r = await fx.months.reopen(organiser, { period: '2017', reason: '年度结果更正' });
    expect(r.ok && r.value).toEqual({ period: '2017', reopenedVersion: 1, monthReopened: false });
    await resolveTies('2017');
    const y2 = await fx.months.publish(organiser, { period: '2017' });
    expect(y2.ok && y2.value.publication.version).toBe(2);
    expect(y2.ok && y2.value.publication.reason).toBe('年度结果更正');
    // a year the deployment holds no rulebook for (core/assessment-years.ts)
    expect(code(await fx.months.draft(organiser, { period: '2016' }))).toBe('YEAR.NO_RULEBOOK');
  });
});
