import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { repoRoot } from '../support/slack-requests.ts';
import { environmentWith } from '../../adapters/config/load-settings.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import { createConsoleApp, type ConsoleApp } from '../../bot/console/app.ts';
import { ConsoleClock } from '../../bot/console/clock.ts';
import { runRepl } from '../../bot/console/repl.ts';

// 2.1.1a's amount per item: the rulebook's data (test/rules/rulebook.test.ts checks it).
const PER_ITEM = (loadRulebook('hz-2017').clauses.get('2.1.1a') as { amount: number }).amount;

// The local chat console: the same handlers as Slack, typed at a terminal. First driven in
// process (a session over a fresh PostgreSQL database, lines typed one by one, replies read
// back), then as `npm run chat` would run it: the entry spawned with commands on stdin.

describe('console session (in process)', () => {
  let db: TestDatabase;
  let app: ConsoleApp;
  let out: PassThrough;
  let transcript = '';
  let seen = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    out = new PassThrough();
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

  /** Type a line; the output it produced. */
  async function type(line: string): Promise<string> {
    await app.chat.handleLine(line);
    await new Promise((r) => setImmediate(r));
    const text = transcript.slice(seen);
    seen = transcript.length;
    return text;
  }

  it('files a finding as the inspector, rectifies it as the unit, verifies it — notices updated in the channel', async () => {
    expect(await type('/as inspector')).toContain('督查员：督查员，账号 console:UINSPECTOR');
    const filed = await type('/finding 市公安局 2.1.1a x2 网上受理未覆盖 https://evidence.example/1');
    expect(filed).toContain('── #市公安局群 ──');
    expect(filed).toContain('考评事项通知：市公安局');
    // buttons are pressed by a short handle, not by copying the finding's uuid
    const submit = /\[提交整改\] \(\/press (\d+)\)/.exec(filed)?.[1];
    expect(submit, filed).toMatch(/^\d+$/);
    expect(filed).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const { id } = await db.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } });

    expect(await type('/as 市公安局')).toContain('市公安局联系人：单位联系人 · 市公安局');
    const mine = await type('/myscore');
    expect(mine).toContain(`年度得分 ${100 + 2 * PER_ITEM} 分（基础分 100 分）`); // 2 items of 2.1.1a
    expect(mine).toContain(`(/press ${submit})`);

    const form = await type(`/press ${submit}`);
    expect(form).toContain('── 表单：提交整改情况 ──');
    expect(app.chat.prompt()).toContain('整改情况说明');
    await type('已开通网上受理');
    const err = await type('ftp://nope');
    expect(err).toContain('✗ 证明材料链接：“ftp://nope”不是有效的链接');
    expect(app.chat.inForm).toBe(true);
    const done = await type('https://example.gov.cn/proof');
    expect(done).toContain('✓ 已提交。');
    expect(done).toContain('── 私信 → 督查员 ──');
    const verify = /\[核验通过（销号）\] \(\/press (\d+)\)/.exec(done)?.[1];
    expect(verify, done).toMatch(/^\d+$/);
    expect(done).toContain('── #市公安局群（消息已更新） ──');
    expect(done).toContain('等待核验');

    await type('/as inspector');
    const verified = await type(`/press ${verify}`);
    expect(verified).toContain('── 督查员（消息已更新） ──');
    expect(verified).toContain('已核验通过，事项已销号');
    expect(verified).toContain('── #市公安局群 ──\n== 事项已销号：市公安局 ==');
    expect((await db.prisma.finding.findUniqueOrThrow({ where: { id } })).status).toBe('verified');
  });

  it('a contact is refused another unit; a stranger learns how to get access; the organiser sees the standings', async () => {
    await type('/as 市地震局');
    expect(await type('/myscore 市公安局')).toContain('单位联系人只能查看本单位（市科委）的考核情况');
    expect(await type('/as 张三')).toMatch(/张三（未登记用户，账号 console:UX[0-9A-F]+）/);
    expect(await type('/myscore')).toContain('您尚未登记为考评系统用户');
    expect(await type('/home')).toContain('欢迎使用考评');
    await type('/as organiser');
    const standings = await type('/standings');
    expect(standings).toContain('2017 年度考评排名（截至 2017-10-09）');
    expect(standings).toContain('43. 市公安局');
  });

  it('moves the clock, and says what it does not understand', async () => {
    expect(await type('/today 2017-10-30')).toContain('今天是 2017-10-30');
    expect(await type('/today 2017-02-30')).toContain('“2017-02-30”不是有效日期');
    expect(await type('/nonsense')).toContain('无法识别的命令“/nonsense”');
    expect(await type('/press finding.nothing 1')).toContain('没有动作为“finding.nothing”的按钮');
  });

  it('a full client: files through the field-by-field form, adds a member and binds a channel by name, presses buttons by handle', async () => {
    await type('/as organiser');
    // members and channels by console name, not Slack ids
    expect(await type('/kaoping member add @张三 inspector')).toContain('张三');
    expect(await type('/kaoping channel 市公安局 #公安局工作群')).toContain(
      '已将市公安局的通知频道设为 #公安局工作群。',
    );
    // the person the organiser added is the one /as 张三 becomes
    expect(await type('/as 张三')).toContain('张三：督查员');

    // /finding with parts missing opens the filing form; choices are numbered lists
    const opened = await type('/finding');
    expect(opened).toContain('── 表单：记录考评事项 ──');
    expect(app.chat.prompt()).toContain('单位');
    const typo = await type('市公按局');
    expect(typo).toContain('没有找到“市公按局”。您是不是要找');
    expect(typo).toContain('1. 市公安局');
    const clauses = await type('1');
    expect(clauses).toContain('输入条款编号（如 2.1.1a）或下列序号');
    const n = /\s(\d+)\. 2\.1\.1a /.exec(clauses)?.[1];
    expect(n, clauses).toBeDefined();
    expect(app.chat.prompt()).toContain('条款');
    const count = await type(n!);
    expect(count).toContain('发现的项数或次数');
    const sources = await type('3');
    expect(sources).toContain('1. 日常检查');
    expect(sources).toContain('3. 省级督查');
    // a number outside the list is refused with the range; the field is asked again
    expect(await type('7')).toContain('没有序号 7，请输入 1 到 3 之间的序号。');
    await type('3');
    await type(''); // date: today
    await type('窗口未公示办事指南');
    const filed = await type('https://example.gov.cn/e/9');
    expect(app.chat.inForm).toBe(false);
    expect(filed).toContain('✓ 已记录。');
    expect(filed).toContain('── #公安局工作群 ──');
    expect(filed).toContain('考评事项通知：市公安局');
    const row = await db.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' }, include: { unit: true } });
    expect(row.unit.name).toBe('市公安局');
    expect(row).toMatchObject({ clauseId: '2.1.1a', count: 3, source: 'provincial_inspection' });
    expect(row.evidenceLinks).toEqual(['https://example.gov.cn/e/9']);

    // the filer's Withdraw button is pressed by its handle
    const withdraw = /\[撤销事项\] \(\/press (\d+)\)/.exec(filed)?.[1];
    expect(withdraw, filed).toMatch(/^\d+$/);
    expect(await type(`/press ${withdraw}`)).toContain('── 表单：撤销事项 ──');
    await type('/cancel');
    expect(await type('/press 999')).toContain('没有编号为 999 的按钮');
    await type('/as organiser');
  });

  it('runRepl reads lines from a non-TTY stream, echoes them after the prompt, and stops at /quit', async () => {
    const input = new PassThrough();
    const done = runRepl(app.chat, input, out, { interactive: false });
    input.end('/whoami\n/quit\n/myscore\n');
    await done;
    const text = transcript.slice(seen);
    seen = transcript.length;
    expect(text).toContain('考核办> /whoami\n考核办：考核组织单位');
    expect(text).toContain('再见。');
    expect(text).not.toContain('/myscore');
  });
});

describe('npm run chat (the entry, spawned)', () => {
  // The quick start's console runs on its own demo database; the office's (DATABASE_URL) is never
  // touched by it, and the demo year never loads into an office's data.
  let office: TestDatabase;
  let demo: TestDatabase;

  beforeAll(async () => {
    office = await createTestDatabase();
    demo = await createTestDatabase({ rulebooks: [] }); // migrated, not seeded: the console seeds it
  });
  afterAll(async () => {
    await office?.drop();
    await demo?.drop();
  });

  function chat(
    input: string,
    args: string[] = [],
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['bot/console.ts', ...args], {
        cwd: repoRoot,
        // Slack and Redis settings are not the console's: even wrong ones must not stop it
        env: environmentWith({
          DATABASE_URL: office.url,
          KAOPING_DEMO_DATABASE_URL: demo.url,
          KAOPING_NOW: '',
          KAOPING_LOCALE: '',
          SLACK_BOT_TOKEN: '',
          SLACK_SOCKET_MODE: 'not-a-flag',
          REDIS_URL: 'not a url',
          ...env,
        }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input);
    });
  }

  /** What an office has: every row count that the console could have written to. */
  const officeRows = async () => ({
    findings: await office.prisma.finding.count(),
    members: await office.prisma.member.count(),
    audit: await office.prisma.auditLog.count(),
    channels: await office.prisma.channelBinding.count(),
  });

  it('seeds the console members and the demo year in the demo database, answers piped commands and exits at the end of input; the office database is not touched', async () => {
    const before = await officeRows();
    const first = await chat('/myscore 市交通运输局\n/as 市交通运输局\n/myscore why\n');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('今天是 2017-10-09');
    expect(first.stdout).toContain(
      '演示数据：库中有 27 条演示事项（本次新载入 27 条；另有 76 条日期晚于今天，未载入）',
    );
    expect(first.stdout).toContain('考核办> /myscore 市交通运输局');
    expect(first.stdout).toContain('年度得分 94 分');
    expect(first.stdout).toContain('-3 × 2 = -6 分');
    // a later day loads more of the demo year — into the demo database only
    const second = await chat('/standings\n', ['--as', 'organiser'], { KAOPING_NOW: '2017-12-20T10:00:00+08:00' });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('2017 年度考评排名');
    expect(await demo.prisma.finding.count()).toBeGreaterThanOrEqual(27);
    // each run's new demo findings came in as one import (bulk intake): one audit entry per run
    expect(await demo.prisma.auditLog.count({ where: { action: 'findings.imported' } })).toBe(2);
    expect(await demo.prisma.auditLog.count({ where: { action: 'finding.filed' } })).toBe(0);
    expect(await officeRows()).toEqual(before);
  }, 240_000);

  it('refuses to run the demo on the office database, and --office never loads the demo', async () => {
    const same = await chat('/whoami\n', [], { KAOPING_DEMO_DATABASE_URL: office.url });
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('演示数据库（KAOPING_DEMO_DATABASE_URL）与本单位的数据库（DATABASE_URL）是同一个');
    const before = await office.prisma.finding.count();
    const real = await chat('/today\n', ['--office'], { KAOPING_NOW: '2017-12-20T10:00:00+08:00' });
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).not.toContain('演示数据');
    expect(await office.prisma.finding.count()).toBe(before);
  }, 240_000);

  it('says to run setup when the office database is not there', async () => {
    const child = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const url = new URL(office.url);
      url.pathname = '/kaoping_t_does_not_exist_0';
      const c = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['bot/console.ts', '--office'], {
        cwd: repoRoot,
        env: environmentWith({ DATABASE_URL: url.toString(), KAOPING_DEMO_DATABASE_URL: demo.url }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      c.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
      c.on('close', (code) => resolve({ code, stderr }));
      c.stdin.end('');
    });
    expect(child.code).toBe(2);
    expect(child.stderr).toContain('请先运行 npm run setup');
  }, 120_000);
});
