import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { createTestDatabase } from '../support/database.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import { createConsoleApp, type ConsoleApp } from '../../bot/console/app.ts';
import { ConsoleClock } from '../../bot/console/clock.ts';
import type { Locale } from '../../core/i18n/locale.ts';

// The month review cycle at the local chat console (npm run chat): /kaoping month|year … through
// the same handlers as Slack, in both languages, with the wrong roles refused.

async function startConsole(locale: Locale) {
  const db = await createTestDatabase();
  const out = new PassThrough();
  let transcript = '';
  let seen = 0;
  out.on('data', (c: Buffer) => (transcript += c.toString('utf8')));
  const app: ConsoleApp = await createConsoleApp({
    prisma: db.prisma,
    rulebook: loadRulebook('hz-2017'),
    clock: new ConsoleClock(new Date('2017-10-09T10:00:00+08:00')),
    locale,
    logger: pino({ level: 'silent' }),
    out,
  });
  async function type(line: string): Promise<string> {
    await app.chat.handleLine(line);
    await new Promise((r) => setImmediate(r));
    const text = transcript.slice(seen);
    seen = transcript.length;
    return text;
  }
  /** Name the first tied units of every group as advanced (the draft says which are tied). */
  async function breakTies(period: string, reason: string): Promise<string[]> {
    const replies: string[] = [];
    for (const [group, size, places] of [
      ['with_matters', 43, 8],
      ['without_matters', 16, 3],
    ] as const) {
      const units = await db.prisma.unit.findMany({
        where: { group },
        orderBy: { name: 'asc' },
        select: { name: true },
      });
      expect(units).toHaveLength(size);
      replies.push(
        await type(
          `/kaoping month tiebreak ${period} ${group} ${units
            .slice(0, places)
            .map((u) => u.name)
            .join(',')} ${reason}`,
        ),
      );
    }
    return replies;
  }
  return { db, type, breakTies };
}

describe('console: the month review cycle (zh-CN)', () => {
  let c: Awaited<ReturnType<typeof startConsole>>;
  beforeAll(async () => {
    c = await startConsole('zh-CN');
  });
  afterAll(async () => c?.db.drop());

  it('close → draft → tie-breaks → publish → reopen → republish; inspectors and contacts are refused', async () => {
    await c.type('/as inspector');
    expect(await c.type('/kaoping month close 2017-09')).toContain(
      '您没有权限执行此操作（结账、重新开启或公布考核月份和年度结果）',
    );
    await c.type('/as 市公安局');
    expect(await c.type('/kaoping month publish 2017-09')).toContain('您没有权限执行此操作');
    expect(await c.type('/kaoping 月份 草稿 2017-09')).toContain('您没有权限执行此操作');

    await c.type('/as organiser');
    expect(await c.type('/kaoping 月份 结账 2017-09')).toContain('2017-09 已结账。');
    expect(await c.type('/kaoping month draft 2017-09')).toContain('2017-09 考评结果草稿（未公布）');
    expect(await c.type('/kaoping month publish 2017-09')).toContain('还不能公布：先进名额分界处有同分');
    for (const reply of await c.breakTies('2017-09', '会议决定')) expect(reply).toContain('已记录 2017-09');
    expect(await c.type('/kaoping month publish 2017-09')).toContain('已公布 2017-09（第 1 版）');

    await c.type('/as 市公安局');
    expect(await c.type('/standings 2017-09')).toContain('2017-09 考评结果（第 1 版）');

    await c.type('/as organiser');
    expect(await c.type('/kaoping month reopen 2017-09')).toContain('请写明理由');
    expect(await c.type('/kaoping 月份 重新开启 2017-09 更正一条事项')).toContain('已重新开启 2017-09');
    await c.type('/kaoping month close 2017-09');
    expect(await c.type('/kaoping 月份 公布 2017-09')).toContain('已公布 2017-09 第 2 版');
    expect(await c.type('/standings 2017-09 v1')).toContain('第 1 版已重新开启（原因：更正一条事项）；最新为第 2 版。');
  });
});

describe('console: the month review cycle (English)', () => {
  let c: Awaited<ReturnType<typeof startConsole>>;
  beforeAll(async () => {
    c = await startConsole('en');
  });
  afterAll(async () => c?.db.drop());

  it('the same commands answer in English; the wrong role is refused in English', async () => {
    await c.type('/as inspector');
    expect(await c.type('/kaoping month close 2017-09')).toContain('You are not allowed to do that');
    await c.type('/as organiser');
    expect(await c.type('/kaoping month close 2017-09')).toContain('2017-09 is closed.');
    expect(await c.type('/kaoping month draft 2017-09')).toContain('Draft results for 2017-09 (not published)');
    expect(await c.type('/kaoping month publish 2017-09')).toContain('cannot be published yet');
    for (const reply of await c.breakTies('2017-09', 'office meeting')) expect(reply).toContain('Recorded for 2017-09');
    // the draft now carries a Publish button; an inspector pressing it is refused
    const handle = /\[Publish\] \(\/press (\d+)\)/.exec(await c.type('/kaoping month draft 2017-09'))?.[1];
    expect(handle).toBeDefined();
    await c.type('/as inspector');
    expect(await c.type(`/press ${handle}`)).toContain('You are not allowed to do that');
    await c.type('/as organiser');
    expect(await c.type(`/press ${handle}`)).toContain('2017-09 is published (version 1)');
    expect(await c.type('/kaoping year publish 2017')).toContain("the year's results are published after December's");
    expect(await c.type('/kaoping month publish 2017-9')).toContain('is not a month (YYYY-MM) or a year (YYYY)');
  });
});
