import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentWith } from '../../adapters/config/load-settings.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { commandRedis, deletePrefix, TEST_REDIS_URL, testPrefix } from '../worker/support/redis.ts';

// `npm run import -- file` as the office's operator runs it: a child process on a database of its
// own, filing as the system through the bulk intake; exit 0 and a summary per unit, 0 again with
// nothing new the second time, 1 with every bad row named.

describe('npm run import', () => {
  let db: TestDatabase;
  let dir: string;
  const prefix = testPrefix('import-cli');

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'kaoping-import-cli-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    const redis = commandRedis();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  const run = (file: string) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import-findings.ts', '--', file], {
        env: environmentWith({
          DATABASE_URL: db.url,
          REDIS_URL: TEST_REDIS_URL,
          KAOPING_QUEUE_PREFIX: prefix,
          KAOPING_NOW: '2017-10-09T10:00:00+08:00',
          KAOPING_LOCALE: 'zh-CN',
        }),
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.on('close', (code) => resolve({ code, out }));
    });

  it('files the rows as the system, summarises each unit, and adds nothing the second time', async () => {
    const file = join(dir, 'findings.csv');
    writeFileSync(
      file,
      '\uFEFF单位,条款,日期,数量,来源,行键\r\n市公安局,2.1.1a,2017-09-05,2,省级督查,c-1\r\n市地震局,3.1.1a,2017-09-07,1,,c-2\r\n',
    );
    const first = await run(file);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('已导入 2 条考评事项');
    expect(first.out).toContain('市科委：考核组织单位批量导入了 1 条考评事项：');
    const again = await run(file);
    expect(again.code).toBe(0);
    expect(again.out).toContain('已导入 0 条考评事项（2 条此前已导入');
    expect(await db.prisma.finding.count()).toBe(2);
    const audit = await db.prisma.auditLog.findMany({ where: { action: 'findings.imported' } });
    expect(audit.map((a) => a.actorLabel)).toEqual(['system:import']);
  }, 60_000);

  it('a bad row refuses the file with exit 1, naming the row and column', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, '单位,条款,日期\r\n市公按局,2.1.1a,2017-09-08\r\n');
    const r = await run(file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('第 2 行“单位”：找不到单位“市公按局”');
    expect(await db.prisma.finding.count()).toBe(2);
  }, 60_000);
});
