// The 通报 of a published month says what that version froze (lifecycle.md "Months: close → draft
// → publish"), against the real Redis and PostgreSQL with an injected clock: a rectification
// verified after publishing — but before the month-published job ran — changes the month's live
// score (an earlier finding was not overdue after all, so a later one is no repeat) and its overdue
// list, yet the ranked summary and the unit's private detail of version 1 still show the published
// numbers and lines. Reopened and republished, version 2 shows the new ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessenger, SentMessage } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import type { Actor, FindingView } from '../../core/assessment-api.ts';
import type { WorkerRuntime } from '../../worker/runtime.ts';
import { ORG_CHANNEL, consoleMessenger, createWorkerFixture, type WorkerFixture } from './support/worker-fixture.ts';

const UNIT = '市科委';
const MONTH = '2017-09';

let wf: WorkerFixture;
let m: ConsoleMessenger;
let rt: WorkerRuntime;
let contact: Actor;
let first: FindingView; // its rectification was submitted on time, verified only after publishing
let repeat: FindingView;
let k = 0;

async function file(clause: string, date: string) {
  const r = await wf.bot.findings.file(wf.inspector, {
    unit: UNIT,
    clause,
    date,
    idempotencyKey: `fz-${++k}`,
    channel: 'test',
  });
  if (!r.ok) throw r.error;
  return r.value;
}

async function resolveTies(reason: string) {
  const d = await wf.bot.months.draft(wf.organiser, { period: MONTH });
  if (!d.ok) throw d.error;
  for (const t of d.value.openTies) {
    const r = await wf.bot.months.tieBreak(wf.organiser, {
      period: MONTH,
      group: t.group,
      choice: { method: 'named', units: t.tied.slice(0, t.remaining) },
      reason,
    });
    if (!r.ok) throw r.error;
  }
}

async function liveTotal(): Promise<number> {
  const b = await wf.bot.queries.unitBreakdown(wf.organiser, { unit: UNIT, asOf: `${MONTH}-30` });
  if (!b.ok) throw b.error;
  return b.value.standing.total;
}

const since = (at: number): SentMessage[] => m.sent.slice(at);
const only = (out: SentMessage[], target: string): string => {
  const to = out.filter((s) => s.target === target);
  expect(to).toHaveLength(1);
  return to[0]!.rendered;
};
const summaryLine = (total: number) => `${UNIT} ${total} 分`;
const detailLine = (total: number) => `年度得分 ${total} 分`;
const overdueItem = (f: FindingView) => `${UNIT} · #${f.seq} · 条款`;

beforeAll(async () => {
  wf = await createWorkerFixture('frozenpub', { now: '2017-09-01T10:00:00+08:00' });
  await wf.bind([UNIT]);
  contact = await wf.member(`c-${UNIT}`, 'unit_contact', UNIT);
  m = consoleMessenger([UNIT]);
  rt = await wf.start(m, { autoPublish: false });
  first = (await file('2.1.1a', '2017-09-01')).finding;
  wf.at('2017-09-04');
  const submitted = await wf.bot.rectification.submit(contact, {
    findingId: first.id,
    evidenceText: '已整改',
    idempotencyKey: `sub-${first.id}`,
  });
  if (!submitted.ok) throw submitted.error;
  wf.at('2017-09-20');
  const filed = await file('2.1.1a', '2017-09-20');
  // the first finding, its rectification not yet verified, was overdue on 09-20: a repeat
  expect(filed.result.multiplier).toBe(2);
  repeat = filed.finding;
  await wf.settle();
  wf.at('2017-10-09');
  const closed = await wf.bot.months.setState(wf.organiser, { month: MONTH, state: 'closed' });
  if (!closed.ok) throw closed.error;
  await wf.settle(); // the draft to the organisers
});
afterAll(async () => wf?.close());

describe('the 通报 of a published month', () => {
  let published: number;

  it('is sent from the published version though the findings changed before the job ran', async () => {
    await resolveTies('考核办会议决定');
    published = await liveTotal();
    await rt.workers.month.pause(); // the month-published job waits …
    const before = m.sent.length;
    const p = await wf.bot.months.publish(wf.organiser, { period: MONTH });
    expect(p.ok && p.value.publication.version).toBe(1);

    // … while the inspector verifies the rectification submitted on 09-04, before its deadline
    const verified = await wf.bot.rectification.verify(wf.inspector, { findingId: first.id });
    expect(verified.ok && verified.value.status).toBe('verified');
    await wf.settle({ except: ['month'] });
    const now = await liveTotal();
    expect(now).toBeGreaterThan(published); // no repeat any more: the live score moved

    rt.workers.month.resume();
    await wf.settle();
    const out = since(before);
    const summary = only(out, ORG_CHANNEL);
    expect(summary).toContain(summaryLine(published));
    expect(summary).not.toContain(summaryLine(now));
    expect(summary).toContain(overdueItem(first)); // overdue as published
    const detail = only(out, `c-${UNIT}`);
    expect(detail).toContain(`${MONTH} 结账：${UNIT}考核情况`);
    expect(detail).toContain(detailLine(published));
    expect(detail).not.toContain(detailLine(now));
    expect(detail).toContain('待整改事项（2 条）');
    expect(detail).toContain(`#${first.seq} · 条款 2.1.1a`);

    // the frozen version is what an export reads too
    const snap = await wf.bot.months.publishedSnapshot(wf.organiser, { period: MONTH, version: 1 });
    expect(snap.ok && snap.value?.content.units.find((u) => u.unit === UNIT)?.total).toBe(published);
  });

  it('reopened and republished, the next version shows the new numbers', async () => {
    const reopened = await wf.bot.months.reopen(wf.organiser, {
      period: MONTH,
      reason: '整改已核实，重复扣分不再成立',
    });
    expect(reopened.ok).toBe(true);
    await wf.settle();
    expect((await wf.bot.months.setState(wf.organiser, { month: MONTH, state: 'closed' })).ok).toBe(true);
    await wf.settle();
    await resolveTies('复核后重新确定');
    const now = await liveTotal();
    const before = m.sent.length;
    const p = await wf.bot.months.publish(wf.organiser, { period: MONTH });
    expect(p.ok && p.value.publication.version).toBe(2);
    await wf.settle();
    const out = since(before);
    const summary = only(out, ORG_CHANNEL);
    expect(summary).toContain(`${UNIT}：${published} → ${now} 分`);
    expect(summary).toContain(summaryLine(now));
    expect(summary).not.toContain(overdueItem(first));
    const detail = only(out, `c-${UNIT}`);
    expect(detail).toContain(detailLine(now));
    expect(detail).toContain('待整改事项（1 条）');
    expect(detail).toContain(`#${repeat.seq} · 条款 2.1.1a`);
    expect(detail).not.toContain(`#${first.seq} · 条款`);
  });
});
