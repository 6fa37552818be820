// The month review cycle through the worker, against the real Redis and PostgreSQL with an
// injected clock (lifecycle.md "Months: close → draft → publish"): without auto-publish the close
// sends the organisers a draft and nothing else; an organiser resolves the ties at the cut and
// publishes, and only then do the units hear; a reopened, corrected month is republished saying
// what changed and why; after December the year's results follow the same cycle.
// (Auto-publish — today's flow — is what test/worker/month-close.int.test.ts rehearses.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessenger, SentMessage } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import type { Actor, FindingView } from '../../core/assessment-api.ts';
import { createDueCheck } from '../../worker/due-check.ts';
import type { WorkerRuntime } from '../../worker/runtime.ts';
import {
  ORG_CHANNEL,
  channelOf,
  consoleMessenger,
  createWorkerFixture,
  type WorkerFixture,
} from './support/worker-fixture.ts';

const UNITS = ['市发改委', '市科委', '市公安局'] as const;

let wf: WorkerFixture;
let m: ConsoleMessenger;
let rt: WorkerRuntime;
const contacts: Record<string, Actor> = {};
let kwFinding: FindingView;
let k = 0;

async function file(unit: string, clause: string, date: string): Promise<FindingView> {
  const r = await wf.bot.findings.file(wf.inspector, {
    unit,
    clause,
    date,
    idempotencyKey: `mr-${++k}`,
    channel: 'test',
  });
  if (!r.ok) throw r.error;
  return r.value.finding;
}

/** Resolve every open tie at the cut by naming as many tied units as places are left. */
async function resolveTies(period: string, reason: string) {
  const d = await wf.bot.months.draft(wf.organiser, { period });
  if (!d.ok) throw d.error;
  for (const t of d.value.openTies) {
    const r = await wf.bot.months.tieBreak(wf.organiser, {
      period,
      group: t.group,
      choice: { method: 'named', units: t.tied.slice(0, t.remaining) },
      reason,
    });
    if (!r.ok) throw r.error;
  }
}

beforeAll(async () => {
  wf = await createWorkerFixture('monthreview', { now: '2017-09-20T10:00:00+08:00' });
  await wf.bind(UNITS);
  for (const u of UNITS) contacts[u] = await wf.member(`c-${u}`, 'unit_contact', u);
  await file('市公安局', '1.1.3a', '2017-09-20'); // disqualifies 市公安局 from year-end excellence
  kwFinding = await file('市科委', '3.1.1a', '2017-09-20');
  m = consoleMessenger(UNITS);
  rt = await wf.start(m, { autoPublish: false });
  await wf.settle();
});
afterAll(async () => wf?.close());

const since = (at: number): SentMessage[] => m.sent.slice(at);
const text = (s: SentMessage) => s.rendered;
const contactIds = UNITS.map((u) => `c-${u}`);

describe('a month without auto-publish', () => {
  it('closes with a draft to the organisers only; unit contacts see nothing published', async () => {
    const before = m.sent.length;
    wf.at('2017-09-30', '18:30');
    expect(await wf.run('month', 'month-close-check', { rulebookId: 'hz-2017' })).toMatchObject({
      enqueued: expect.arrayContaining(['2017-09']),
    });
    await wf.settle();
    const out = since(before).filter((s) => s.rendered.includes('2017-09'));
    expect(out.map((s) => s.target)).toEqual([ORG_CHANNEL]);
    expect(text(out[0]!)).toContain('2017-09 考评结果草稿（未公布）');
    expect(text(out[0]!)).toContain('公布前请先确定同分名次');
    expect(text(out[0]!)).toContain('市公安局：取消年底评优资格');
    expect(since(before).filter((s) => contactIds.includes(s.target) || s.target !== ORG_CHANNEL)).toEqual([]);
    const seen = await wf.bot.queries.publishedStandings(contacts.市科委!);
    expect(seen.ok && seen.value).toBeNull();
  });

  it('publishing after the tie-breaks sends the 通报 once: summary, details privately, group channels', async () => {
    expect((await wf.bot.months.publish(wf.organiser, { period: '2017-09' })).ok).toBe(false);
    await resolveTies('2017-09', '考核办 10 月 9 日会议决定');
    const before = m.sent.length;
    expect((await wf.bot.months.publish(wf.organiser, { period: '2017-09' })).ok).toBe(true);
    await wf.settle();
    const out = since(before);
    const summary = out.filter((s) => s.target === ORG_CHANNEL);
    expect(summary).toHaveLength(1);
    expect(text(summary[0]!)).toContain('2017-09 已结账：各组得分排名');
    expect(text(summary[0]!)).toContain('由考核办确定为');
    expect(text(summary[0]!)).toContain('考核办 10 月 9 日会议决定');
    for (const u of UNITS) {
      expect(out.filter((s) => s.target === `c-${u}`)).toHaveLength(1);
      expect(out.filter((s) => s.target === channelOf(u))).toHaveLength(1);
    }
    // again: nothing more
    await wf.run('month', 'month-published', { rulebookId: 'hz-2017', year: 2017, period: '2017-09', version: 1 });
    await wf.settle();
    expect(m.sent.length).toBe(before + out.length);
    const seen = await wf.bot.queries.publishedStandings(contacts.市科委!);
    expect(seen.ok && seen.value?.month).toBe('2017-09');
  });

  it('reopened with a reason, corrected and republished: a new draft, then a corrected 通报 saying what changed and why', async () => {
    expect((await wf.bot.months.reopen(wf.organiser, { period: '2017-09', reason: '市科委事项经复核撤销' })).ok).toBe(
      true,
    );
    await wf.settle();
    expect((await wf.bot.findings.withdraw(wf.organiser, { findingId: kwFinding.id, reason: '复核撤销' })).ok).toBe(
      true,
    );
    let before = m.sent.length;
    expect((await wf.bot.months.setState(wf.organiser, { month: '2017-09', state: 'closed' })).ok).toBe(true);
    await wf.settle();
    const draft = since(before).filter((s) => s.rendered.includes('2017-09'));
    expect(draft.map((s) => s.target)).toEqual([ORG_CHANNEL]);
    expect(text(draft[0]!)).toContain('第 1 版已重新开启，原因：市科委事项经复核撤销');
    expect(text(draft[0]!)).toContain('与 2017-09 v1 相比有变动的单位');

    await resolveTies('2017-09', '复核后重新确定');
    before = m.sent.length;
    const p = await wf.bot.months.publish(wf.organiser, { period: '2017-09' });
    expect(p.ok && p.value.publication.version).toBe(2);
    await wf.settle();
    const out = since(before);
    const summary = out.filter((s) => s.target === ORG_CHANNEL);
    expect(summary).toHaveLength(1);
    expect(text(summary[0]!)).toContain('更正通报（第 2 版）。更正原因：市科委事项经复核撤销');
    expect(text(summary[0]!)).toMatch(/市科委：99 → 100 分/);
    expect(out.filter((s) => s.target === 'c-市科委')).toHaveLength(1);
    const rows = await wf.db.prisma.notification.findMany({
      where: { subjectId: 'hz-2017/2017-09', kind: 'month-close' },
    });
    expect(rows.map((r) => r.stage).sort()).toEqual(
      expect.arrayContaining(['draft', 'draft-2', 'summary', 'summary-2', 'unit-detail', 'unit-detail-2']),
    );
  });
});

describe("the year's results", () => {
  it('after December is published the organisers get the year draft; publishing it tells every unit', async () => {
    expect((await wf.bot.months.setState(wf.organiser, { month: '2017-12', state: 'closed' })).ok).toBe(true);
    await wf.settle();
    await resolveTies('2017-12', '按年度规则');
    let before = m.sent.length;
    expect((await wf.bot.months.publish(wf.organiser, { period: '2017-12' })).ok).toBe(true);
    await wf.settle();
    const yearDraft = since(before).filter((s) => s.rendered.includes('2017 年度考评结果草稿'));
    expect(yearDraft.map((s) => s.target)).toEqual([ORG_CHANNEL]);
    expect(text(yearDraft[0]!)).toContain('市公安局：取消年底评优资格');

    await resolveTies('2017', '年度考评委员会决定');
    before = m.sent.length;
    expect((await wf.bot.months.publish(wf.organiser, { period: '2017' })).ok).toBe(true);
    await wf.settle();
    const out = since(before);
    expect(out.filter((s) => s.target === ORG_CHANNEL).map(text)).toEqual([
      expect.stringContaining('2017 年度考评结果（第 1 版）'),
    ]);
    for (const u of UNITS) {
      const own = out.filter((s) => s.target === channelOf(u));
      expect(own).toHaveLength(1);
      expect(text(own[0]!)).toContain('市公安局：取消年底评优资格');
      expect(text(own[0]!)).toContain(`${u}年度得分`);
    }

    // reopened before a queued send reaches the platform: the year's 通报 of that version is not sent
    expect((await wf.bot.months.reopen(wf.organiser, { period: '2017', reason: '年度结果更正' })).ok).toBe(true);
    const due = createDueCheck(rt.deps);
    const key = (stage: string) => ({
      subjectType: 'month' as const,
      subjectId: 'hz-2017/2017',
      kind: 'year-results',
      stage,
      recipient: 'channel/console/organisers',
    });
    const target = { kind: 'channel' as const, platform: 'console', scope: 'organisers', channelId: ORG_CHANNEL };
    const message = { blocks: [], text: 'x', mentions: [] };
    expect(await due({ key: key('summary'), target, message })).toBe('year results reopened');
    expect(await due({ key: key('draft-1'), target, message })).toBeNull();
  });
});
