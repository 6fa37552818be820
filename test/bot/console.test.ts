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
    const id = /\/press finding\.submit_rectification (\S+)\)/.exec(filed)?.[1];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    expect(await type('/as 市公安局')).toContain('市公安局联系人：单位联系人 · 市公安局');
    const mine = await type('/myscore');
    expect(mine).toContain(`年度得分 ${100 + 2 * PER_ITEM} 分（基础分 100 分）`); // 2 items of 2.1.1a
    expect(mine).toContain(`(/press finding.submit_rectification ${id})`);

    const form = await type(`/press finding.submit_rectification ${id}`);
    expect(form).toContain('── 表单：提交整改情况 ──');
    expect(app.chat.prompt()).toContain('整改情况说明');
    await type('已开通网上受理');
    const err = await type('ftp://nope');
    expect(err).toContain('✗ 证明材料链接：“ftp://nope”不是有效的链接');
    expect(app.chat.inForm).toBe(true);
    const done = await type('https://example.gov.cn/proof');
    expect(done).toContain('✓ 已提交。');
    expect(done).toContain('── 私信 → 督查员 ──');
    expect(done).toContain(`[核验通过（销号）] (/press finding.verify ${id})`);
    expect(done).toContain('── #市公安局群（消息已更新） ──');
    expect(done).toContain('等待核验');

    await type('/as inspector');
    const verified = await type(`/press finding.verify ${id}`);
    expect(verified).toContain('── 督查员（消息已更新） ──');
    expect(verified).toContain('已核验通过，事项已销号');
    expect(verified).toContain('── #市公安局群 ──\n== 事项已销号：市公安局 ==');
    expect((await db.prisma.finding.findUniqueOrThrow({ where: { id: id! } })).status).toBe('verified');
  });

  it('a contact is refused another unit; a stranger learns how to get access; the organiser sees the standings', async () => {
    await type('/as 市地震局');
    expect(await type('/myscore 市公安局')).toContain('单位联系人只能查看本单位（市科委）的考核情况');
    expect(await type('/as 张三')).toMatch(/张三（未登记用户，账号 console:UGUEST\w+）/);
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
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  function chat(input: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['bot/console.ts', ...args], {
        cwd: repoRoot,
        // Slack and Redis settings are not the console's: even wrong ones must not stop it
        env: environmentWith({
          DATABASE_URL: db.url,
          KAOPING_NOW: '',
          KAOPING_LOCALE: '',
          SLACK_BOT_TOKEN: '',
          SLACK_SOCKET_MODE: 'not-a-flag',
          REDIS_URL: 'not a url',
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

  it('seeds the console members and the demo year, answers piped commands and exits at the end of input', async () => {
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
    // a second run adds nothing
    const second = await chat('/standings\n', ['--as', 'organiser']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('本次新载入 0 条');
    expect(second.stdout).toContain('2017 年度考评排名');
    expect(await db.prisma.finding.count()).toBe(27);
  }, 180_000); // two tsx start-ups: ~30 s at a load average of 15 on 2 cores, 60 s was not enough

  it('says to run setup when the database is not there', async () => {
    const child = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const url = new URL(db.url);
      url.pathname = '/kaoping_t_does_not_exist_0';
      const c = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['bot/console.ts'], {
        cwd: repoRoot,
        env: environmentWith({ DATABASE_URL: url.toString() }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      c.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
      c.on('close', (code) => resolve({ code, stderr }));
      c.stdin.end('');
    });
    expect(child.code).toBe(2);
    expect(child.stderr).toContain('请先运行 npm run setup');
  }, 30_000);
});
