import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleApp, type ConsoleApp } from '../../bot/console/app.ts';
import { ConsoleClock } from '../../bot/console/clock.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Reports at the console (npm run chat): no worker there, so the export is made while the person
// waits and written to a file whose path is printed; an import reads a file by its path, answers
// with what it filed, and posts one summary per unit to the unit's channel.

describe('console: /kaoping export and /kaoping import', () => {
  let db: TestDatabase;
  let app: ConsoleApp;
  let dir: string;
  let transcript = '';
  let seen = 0;
  const type = async (line: string) => {
    await app.chat.handleLine(line);
    await new Promise((r) => setImmediate(r));
    const text = transcript.slice(seen);
    seen = transcript.length;
    return text;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'kaoping-console-report-'));
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
  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('an organiser imports a findings file by its path; the units get one summary each; again adds nothing', async () => {
    const path = join(dir, 'findings.csv');
    writeFileSync(
      path,
      '\uFEFF单位,条款,日期,数量,来源,问题描述,行键\r\n' +
        '市公安局,2.1.1a,2017-09-05,2,省级督查,"窗口未覆盖, 二处",k-1\r\n' +
        '市公安局,2.1.1a,2017-09-06,1,日常检查,,k-2\r\n' +
        '市地震局,3.1.1a,2017-09-07,1,,,k-3\r\n',
    );
    await type('/as organiser');
    const first = await type(`/kaoping import ${path}`);
    expect(first).toContain('已导入 3 条考评事项（0 条此前已导入，未重复计入；0 条已撤销的事项未导入）。');
    expect(first).toMatch(/── #市公安局群 ──\n市公安局：考核组织单位批量导入了 2 条考评事项：/);
    expect(first).toContain('市科委：考核组织单位批量导入了 1 条考评事项：');
    expect(await db.prisma.finding.count()).toBe(3);
    const second = await type(`/kaoping import ${path}`);
    expect(second).toContain('已导入 0 条考评事项（3 条此前已导入');
    expect(second).not.toContain('批量导入了');
    expect(await db.prisma.finding.count()).toBe(3);
  });

  it('a file with a bad row is refused by row and column, and a missing file is named', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, '单位,条款,日期\r\n市公安局,2.1.1a,2017-09-08\r\n市公按局,2.1.1a,2017-09-09\r\n');
    const refused = await type(`/kaoping import ${path}`);
    expect(refused).toContain('导入被拒绝，没有导入任何事项。');
    expect(refused).toContain('第 3 行“单位”');
    expect(await db.prisma.finding.count()).toBe(3);
    expect(await type(`/kaoping import ${join(dir, 'nope.xlsx')}`)).toContain('找不到文件');
  });

  it('the export is written to a file whose path is printed; an inspector may not import', async () => {
    const exported = await type('/kaoping export 2017-09');
    const path = /📎 考评结果-2017-09: (.+\.xlsx)/.exec(exported)?.[1];
    expect(path, exported).toBeDefined();
    expect(existsSync(path!)).toBe(true);
    expect(exported).toContain('2017-09 的报表已发送给你（1 个文件）。');
    await type('/as inspector');
    expect(await type(`/kaoping import ${join(dir, 'findings.csv')}`)).toContain(
      '您没有权限执行此操作（批量导入考评事项）',
    );
  });
});
