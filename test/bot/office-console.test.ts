import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { createTestDatabase } from '../support/database.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import { createConsoleApp, type ConsoleApp } from '../../bot/console/app.ts';
import { ConsoleClock } from '../../bot/console/clock.ts';
import type { Locale } from '../../core/i18n/locale.ts';

// Appeals and extension requests at the local chat console (npm run chat): the same handlers as
// Slack, in both languages, with the wrong role refused.

async function startConsole(locale: Locale) {
  const db = await createTestDatabase();
  const out = new PassThrough();
  let transcript = '';
  let seen = 0;
  out.on('data', (c: Buffer) => (transcript += c.toString('utf8')));
  const clock = new ConsoleClock(new Date('2017-10-09T10:00:00+08:00'));
  const app: ConsoleApp = await createConsoleApp({
    prisma: db.prisma,
    rulebook: loadRulebook('hz-2017'),
    clock,
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
  async function fileOne(): Promise<number> {
    await type('/as inspector');
    await type('/finding 市公安局 2.1.1a x2 网上受理未覆盖');
    return (await db.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } })).seq;
  }
  return { db, type, fileOne };
}

describe('console: appeals and extensions (zh-CN)', () => {
  let c: Awaited<ReturnType<typeof startConsole>>;
  beforeAll(async () => {
    c = await startConsole('zh-CN');
  });
  afterAll(async () => c?.db.drop());

  it('appeal → withdrawn ruling → reopen; extension refused; wrong roles refused', async () => {
    const seq = await c.fileOne();
    expect(await c.type(`/finding 申诉 #${seq} 不是本单位窗口`)).toContain('您没有权限执行此操作（对事项提出申诉）');

    await c.type('/as 市公安局');
    const appealed = await c.type(`/finding 申诉 #${seq} 不是本单位窗口`);
    expect(appealed).toContain(`市公安局对事项 #${seq}（条款 2.1.1a）提出申诉，待复核`);
    expect(appealed).toContain('── #市公安局群 ──');
    expect(await c.type(`/finding 复核 #${seq} 撤销 自己撤`)).toContain('您没有权限执行此操作（复核申诉）');
    // while pending the finding counts, and the unit's view marks it provisional
    const mine = await c.type('/myscore');
    expect(mine).toContain(`#${seq}`);
    expect(mine).toContain('【待复核】');

    await c.type('/as organiser');
    const ruled = await c.type(`/finding 复核 #${seq} 撤销 窗口属区级`);
    expect(ruled).toContain(`事项 #${seq}（市公安局）申诉复核结论：撤销该事项，不再计分。复核意见：窗口属区级`);
    expect((await c.db.prisma.finding.findFirstOrThrow({ where: { seq } })).status).toBe('withdrawn');
    const reopened = await c.type(`/finding 重新复核 #${seq} 区里来函更正`);
    expect(reopened).toContain(`事项 #${seq}（市公安局）的申诉已重新开启，待复核`);
    expect((await c.db.prisma.finding.findFirstOrThrow({ where: { seq } })).status).toBe('filed');

    await c.type('/as 市公安局');
    expect(await c.type(`/finding 申请延期 #${seq} 2017-10-27 设备未到`)).toContain(
      `市公安局申请将事项 #${seq} 的整改期限由 2017-10-23 延至 2017-10-27，待审批`,
    );
    await c.type('/as organiser');
    expect(await c.type(`/finding 延期审批 #${seq} 不同意 理由不充分`)).toContain(
      `事项 #${seq}（市公安局）的延期申请未获批准，整改期限仍为 2017-10-23。理由：理由不充分`,
    );
  });
});

describe('console: appeals and extensions (English)', () => {
  let c: Awaited<ReturnType<typeof startConsole>>;
  beforeAll(async () => {
    c = await startConsole('en');
  });
  afterAll(async () => c?.db.drop());

  it('appeal upheld, extension approved, an inspector refused', async () => {
    const seq = await c.fileOne();
    expect(await c.type(`/finding extension #${seq} approve 2017-10-27`)).toContain(
      'You are not allowed to do that (decide extension requests)',
    );
    await c.type('/as 市公安局');
    expect(await c.type(`/finding appeal #${seq} not our window`)).toContain(
      `市公安局 appealed finding #${seq} (clause 2.1.1a); awaiting a ruling.`,
    );
    expect(await c.type(`/finding extend #${seq} 2017-10-27 scanners late`)).toContain(
      `asks to move the deadline of finding #${seq} from 2017-10-23 to 2017-10-27`,
    );
    await c.type('/as organiser');
    expect(await c.type(`/finding rule #${seq} upheld the window is the bureau's`)).toContain(
      `Appeal on finding #${seq} (市公安局) ruled: upheld. Ruling: the window is the bureau's`,
    );
    expect(await c.type(`/finding extension #${seq} approve 2017-10-27`)).toContain(
      'approved: the deadline moved from 2017-10-23 to 2017-10-27',
    );
    const help = await c.type('/finding help');
    expect(help).toContain('Appeals and extensions');
    expect(help).toContain('/finding appeal #number reasons');
  });
});

describe('console: a reduced ruling, a late and a second appeal, a late extension request (zh-CN)', () => {
  let c: Awaited<ReturnType<typeof startConsole>>;
  beforeAll(async () => {
    c = await startConsole('zh-CN');
  });
  afterAll(async () => c?.db.drop());

  it('reduced and re-scored; a second appeal and one after the window refused; no extension after the deadline', async () => {
    const seq = await c.fileOne(); // 2.1.1a ×2: −2
    await c.type('/as 市公安局');
    expect(await c.type(`/finding 申诉 #${seq} 其中一项已上线`)).toContain('待复核');
    expect(await c.type(`/finding 申诉 #${seq} 再申诉一次`)).toContain(`事项 #${seq} 已申诉过，每个事项只能申诉一次。`);
    await c.type('/as inspector');
    expect(await c.type(`/finding 复核 #${seq} 核减 x1 核实一项`)).toContain('您没有权限执行此操作（复核申诉）');
    await c.type('/as organiser');
    expect(await c.type(`/finding 复核 #${seq} 核减 x1 核实一项已上线`)).toContain(
      `事项 #${seq}（市公安局）申诉复核结论：核减，按复核后的事实重新计分。复核意见：核实一项已上线`,
    );
    expect((await c.db.prisma.finding.findFirstOrThrow({ where: { seq } })).count).toBe(1);
    expect(await c.type('/myscore 市公安局')).toContain('年度得分 99 分');

    const late = await c.fileOne(); // filed 2017-10-09: the window ends five working days later
    await c.type('/today 2017-10-17');
    await c.type('/as 市公安局');
    expect(await c.type(`/finding 申诉 #${late} 理由`)).toContain(
      `事项 #${late} 的申诉期已于 2017-10-16 结束，不能再申诉。`,
    );
    await c.type('/today 2017-10-24'); // the day after its deadline (2017-10-23)
    expect(await c.type(`/finding 申请延期 #${late} 2017-10-30 来不及`)).toContain(
      `事项 #${late} 的整改期限 2017-10-23 已到，不能再申请延期。`,
    );
    expect(await c.db.prisma.appeal.count()).toBe(1);
    expect(await c.db.prisma.extensionRequest.count()).toBe(0);
  });
});

describe('console: a withdrawn ruling reopened, an extension refused, the wrong roles refused (English)', () => {
  let c: Awaited<ReturnType<typeof startConsole>>;
  beforeAll(async () => {
    c = await startConsole('en');
  });
  afterAll(async () => c?.db.drop());

  it('withdrawn, reopened; a contact may not rule; an inspector may not decide; an organiser refuses', async () => {
    const seq = await c.fileOne();
    await c.type('/as 市公安局');
    await c.type(`/finding appeal #${seq} not our window`);
    expect(await c.type(`/finding rule #${seq} withdraw ourselves`)).toContain(
      'You are not allowed to do that (rule on appeals)',
    );
    expect(await c.type(`/finding extend #${seq} 2017-10-27 scanners late`)).toContain('2017-10-27');
    await c.type('/as organiser');
    expect(await c.type(`/finding rule #${seq} withdraw the window is the district's`)).toContain(
      `Appeal on finding #${seq} (市公安局) ruled: the finding is withdrawn and no longer counts.`,
    );
    expect(await c.type(`/finding reopen #${seq} the district wrote back`)).toContain(
      `The appeal on finding #${seq} (市公安局) was reopened and awaits a ruling.`,
    );
    await c.type('/as inspector');
    expect(await c.type(`/finding extension #${seq} refuse no`)).toContain(
      'You are not allowed to do that (decide extension requests)',
    );
    await c.type('/as organiser');
    expect(await c.type(`/finding extension #${seq} refuse not enough reason`)).toContain(
      `Extension for finding #${seq} (市公安局) refused; the deadline stays 2017-10-23. Reason: not enough reason`,
    );
  });
});
