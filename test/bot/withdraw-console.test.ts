import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import { createConsoleApp, type ConsoleApp } from '../../bot/console/app.ts';
import { ConsoleClock } from '../../bot/console/clock.ts';

// Withdrawing and moving a deadline at the local chat console (npm run chat): the same handlers
// as Slack, the Withdraw button pressed with /press and its reason form asked as a prompt.

describe('console: withdraw and deadline', () => {
  let db: TestDatabase;
  let app: ConsoleApp;
  let transcript = '';
  let seen = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    const out = new PassThrough();
    out.on('data', (c: Buffer) => (transcript += c.toString('utf8')));
    app = await createConsoleApp({
      prisma: db.prisma,
      rulebook: loadRulebook('hz-2017'),
      clock: new ConsoleClock(new Date('2017-10-09T10:00:00+08:00')),
      locale: 'zh-CN',
      logger: pino({ level: 'silent' }),
      out,
    });
  });
  afterAll(async () => db?.drop());

  async function type(line: string): Promise<string> {
    await app.chat.handleLine(line);
    await new Promise((r) => setImmediate(r));
    const text = transcript.slice(seen);
    seen = transcript.length;
    return text;
  }

  it('the filer presses Withdraw, is asked for the reason (empty refused), and the notice and the unit channel follow', async () => {
    await type('/as inspector');
    const filed = await type('/finding 市公安局 2.1.1a x2 网上受理未覆盖');
    // the button shows a short handle; the full /press <action> <value> still works
    expect(filed).toMatch(/\[撤销事项\] \(\/press \d+\)/);
    const { id, seq } = await db.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } });

    // a unit contact cannot
    await type('/as 市公安局');
    expect(await type(`/press finding.withdraw ${id}`)).toContain('您没有权限执行此操作（撤销事项）');
    expect(app.chat.inForm).toBe(false);

    await type('/as inspector');
    const form = await type(`/press finding.withdraw ${id}`);
    expect(form).toContain('── 表单：撤销事项 ──');
    expect(form).toContain(`撤销市公安局的事项 #${seq}（条款 2.1.1a）`);
    expect(app.chat.prompt()).toContain('撤销理由');

    const empty = await type('   ');
    expect(empty).toContain('✗ 撤销理由：请填写撤销理由。');
    expect(app.chat.inForm).toBe(true);
    expect((await db.prisma.finding.findUniqueOrThrow({ where: { id } })).status).toBe('filed');

    const done = await type('与 #1 重复记录');
    expect(app.chat.inForm).toBe(false);
    expect(done).toContain('✓ 已撤销。');
    expect(done).toContain('── #市公安局群（消息已更新） ──');
    expect(done).toContain('撤销了该事项。理由：与 #1 重复记录');
    expect(done).toContain('── #市公安局群 ──\n== 事项已撤销：市公安局 ==');
    expect(done).toContain(`已撤销市公安局的事项 #${seq}（条款 2.1.1a），该事项不再计分。`);

    const row = await db.prisma.finding.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'withdrawn', withdrawReason: '与 #1 重复记录' });
    expect(await db.prisma.auditLog.count({ where: { entityId: id, action: 'finding.withdrawn' } })).toBe(1);

    // the unit's score no longer counts it
    await type('/as 市公安局');
    expect(await type('/myscore')).toContain('年度得分 100 分');

    // pressing again: already withdrawn, no form
    await type('/as inspector');
    expect(await type(`/press finding.withdraw ${id}`)).toContain(`事项 #${seq} 已撤销。`);
    expect(app.chat.inForm).toBe(false);
  });

  it('quick forms typed at the console: withdraw by #number and move a deadline', async () => {
    await type('/as inspector');
    await type('/finding 市公安局 2.1.2a');
    const a = await db.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    const moved = await type(`/finding deadline #${a.seq} 2017-10-31 单位申请延期`);
    expect(moved).toContain(`已将市公安局事项 #${a.seq} 的整改期限由 2017-10-23 调整为 2017-10-31`);
    expect(moved).toContain('== 整改期限已调整：市公安局 ==');
    expect(
      (await db.prisma.finding.findUniqueOrThrow({ where: { id: a.id } })).deadline?.toISOString().slice(0, 10),
    ).toBe('2017-10-31');

    expect(await type(`/finding withdraw #${a.seq}`)).toContain('缺少理由');
    expect(await type(`/finding 撤销 #${a.seq} 记录有误`)).toContain(`已撤销市公安局的事项 #${a.seq}`);
    expect(await type('/finding withdraw #999999 记录有误')).toContain('找不到事项 #999999');
  });
});
