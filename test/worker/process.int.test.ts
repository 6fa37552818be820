// The worker as an operating-system process. (1) A worker killed with SIGKILL in the middle of
// sending (not closed: no shutdown code runs) leaves no lost and no doubled reminder once a new
// worker has taken over. (2) `npm run worker` (worker/main.ts) with the console adapter prints the
// reminders in the terminal and stops cleanly on SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { type Assessment, createAssessment } from '../../core/assessment.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import { createQueues, QUEUE_KEYS, type Queues } from '../../adapters/queue/queues.ts';
import { UNKNOWN_OUTCOME_PREFIX } from '../../worker/notification-ledger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { TestClock } from '../support/core-fixture.ts';
import { commandRedis, deletePrefix, testPrefix, TEST_REDIS_URL } from './support/redis.ts';
import { environmentWith } from '../../adapters/config/load-settings.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./support/worker-child.ts', import.meta.url));
const rulebook = loadRulebook('hz-2017');
const section = rulebook.clauses.get('2.1.1a')!.section;
const UNITS = [...rulebook.units.values()]
  .filter((u) => rulebook.sectionsFor(u.group).some((s) => s.id === section))
  .map((u) => u.name)
  .slice(0, 20);

let db: TestDatabase;
let redis: Redis;
let queues: Queues;
const prefix = testPrefix('process');
const children: Array<ChildProcessByStdio<null, Readable, Readable>> = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  db = await createTestDatabase();
  redis = commandRedis('process-test');
  queues = createQueues(redis, prefix);
  await db.prisma.channelBinding.createMany({
    data: [
      { platform: 'console', scope: 'organisers', channelId: 'C-ORG' },
      ...UNITS.map((u, i) => ({ platform: 'console', scope: u, channelId: `C-U${i}` })),
    ],
  });
  const inspector = await db.prisma.member.create({
    data: { platform: 'console', externalId: 'insp-1', role: 'inspector' },
  });
  for (const u of UNITS)
    await db.prisma.member.create({
      data: {
        platform: 'console',
        externalId: `c-${u}`,
        role: 'unit_contact',
        unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: u } } },
      },
    });
  // 20 findings filed on Sep 22 with deadline Fri Sep 29: on Mon Oct 9 (after the National Day
  // holiday) their first overdue reminder is due — to the unit's channel and to the organisers.
  const service = createAssessment({
    rulebook,
    store: new PrismaAssessmentStore(db.prisma),
    clock: new TestClock(new Date('2017-09-22T10:00:00+08:00')),
  });
  const actor = (await service.membership.resolveActor('console', inspector.externalId)) as {
    ok: true;
    value: Parameters<Assessment['findings']['file']>[0];
  };
  for (const [i, u] of UNITS.entries()) {
    const r = await service.findings.file(actor.value, {
      unit: u,
      clause: '2.1.1a',
      date: '2017-09-22',
      deadline: '2017-09-29',
      idempotencyKey: `proc-${i}`,
      channel: 'test',
    });
    if (!r.ok) throw r.error;
  }
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await queues?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await db?.drop();
});

interface Child {
  proc: ChildProcessByStdio<null, Readable, Readable>;
  lines: string[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(pred: (lines: string[]) => boolean, timeoutMs?: number): Promise<void>;
}

function start(args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: environmentWith(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  const lines: string[] = [];
  let buf = '';
  proc.stdout.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts);
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    lines,
    stderr: () => stderr,
    exited,
    async waitFor(pred, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred(lines)) {
        if (proc.exitCode !== null)
          throw new Error(`child exited (${proc.exitCode}) before the condition: ${stderr.slice(-2000)}`);
        if (Date.now() > deadline)
          throw new Error(
            `child: condition not met in ${timeoutMs} ms; last lines: ${lines.slice(-5).join(' | ')}; stderr: ${stderr.slice(-1000)}`,
          );
        await sleep(20);
      }
    },
  };
}

const delivered = (lines: readonly string[]) => lines.filter((l) => l.startsWith('DELIVERED '));

async function idle(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3) {
    const counts = await Promise.all(
      QUEUE_KEYS.map((k) => queues[k].getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
    );
    quiet = counts.every((c) => Object.values(c).every((n) => n === 0)) ? quiet + 1 : 0;
    if (Date.now() > deadline) throw new Error(`queues not idle: ${JSON.stringify(counts)}`);
    await sleep(50);
  }
}

describe('a worker killed mid-job (SIGKILL, not closed)', () => {
  it('leaves no lost and no doubled reminder after a new worker takes over', async () => {
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      KAOPING_QUEUE_PREFIX: prefix,
      KAOPING_NOW: '2017-10-09T10:00:00+08:00',
      TEST_SEND_DELAY_MS: '150',
      LOG_LEVEL: 'silent',
    };
    const first = start([CHILD], env);
    await first.waitFor((l) => l.some((x) => x.startsWith('READY')));
    await queues.reminders.add('reminder-sweep', { rulebookId: 'hz-2017' }, { jobId: 'sweep-before-kill' });
    await first.waitFor((l) => delivered(l).length >= 9);
    first.proc.kill('SIGKILL'); // no shutdown code runs: active jobs and claims are simply abandoned
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const beforeRestart = delivered(first.lines).length;
    expect(beforeRestart).toBeLessThan(40); // it really died mid-way

    const second = start([CHILD], env);
    await second.waitFor((l) => l.some((x) => x.startsWith('READY')));
    // the stalled jobs come back after the dead worker's locks expire; its claims after their lease
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await db.prisma.notification.findMany({ where: { kind: 'reminder' } });
      if (rows.length === 40 && rows.every((r) => r.state === 'sent' || r.state === 'failed')) break;
      if (Date.now() > deadline)
        throw new Error(`not settled: ${JSON.stringify(rows.map((r) => [r.stage, r.state, r.attempts, r.lastError]))}`);
      await sleep(100);
    }
    await idle();

    // The organisers are told once about each message to a unit whose outcome is unknown.
    const isAlert = (l: string) => l.endsWith(' 消息未能送达');
    const all = [...delivered(first.lines), ...delivered(second.lines)];
    const reminders = all.filter((l) => !isAlert(l));
    const rows = await db.prisma.notification.findMany({ where: { kind: 'reminder' } });
    const unknown = rows.filter((r) => r.state === 'failed');
    console.info(
      `[kill -9] delivered before the kill: ${beforeRestart}, after the restart: ${delivered(second.lines).filter((l) => !isAlert(l)).length}; in flight at the kill (outcome unknown, not resent): ${unknown.length}`,
    );
    expect(reminders).toHaveLength(40); // 20 findings × (unit channel + organisers): none lost …
    expect(new Set(reminders).size).toBe(40); // … none doubled
    expect(rows.filter((r) => r.state === 'sent').length + unknown.length).toBe(40);
    expect(unknown.every((r) => r.lastError?.startsWith(UNKNOWN_OUTCOME_PREFIX))).toBe(true);
    expect(unknown.length).toBeLessThanOrEqual(4); // at most the notify concurrency was in flight
    expect(all.filter(isAlert)).toHaveLength(unknown.filter((r) => !r.recipient.endsWith('/organisers')).length);

    // SIGTERM: graceful stop, exit 0
    second.proc.kill('SIGTERM');
    expect(await second.exited, second.stderr().slice(-2000)).toEqual({ code: 0, signal: null });
    // two worker start-ups under tsx: ~22 s alone, over 30 s in the full run at a load average of ~12 on 2 cores
  }, 120_000);
});

describe('npm run worker (worker/main.ts)', () => {
  it('shows the reminders in the terminal with KAOPING_MESSENGER=console, and stops cleanly on SIGTERM', async () => {
    // Five findings of early January, overdue on Jan 11: no month has closed yet, so the startup
    // runs have nothing else to do.
    const service = createAssessment({
      rulebook,
      store: new PrismaAssessmentStore(db.prisma),
      clock: new TestClock(new Date('2017-01-05T10:00:00+08:00')),
    });
    const inspector = await service.membership.resolveActor('console', 'insp-1');
    if (!inspector.ok) throw inspector.error;
    for (const [i, u] of UNITS.slice(0, 5).entries()) {
      const r = await service.findings.file(inspector.value, {
        unit: u,
        clause: '2.1.1a',
        date: '2017-01-05',
        deadline: '2017-01-10',
        idempotencyKey: `main-${i}`,
        channel: 'test',
      });
      if (!r.ok) throw r.error;
    }
    const mainPrefix = testPrefix('main');
    const main = start(['worker/main.ts'], {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      KAOPING_QUEUE_PREFIX: mainPrefix,
      KAOPING_MESSENGER: 'console',
      KAOPING_NOW: '2017-01-11T10:00:00+08:00',
      LOG_LEVEL: 'warn',
    });
    try {
      // the schedules run once at start: the sweep finds five first overdue reminders
      await main.waitFor(
        (l) =>
          l.filter((x) => x.includes('整改已逾期')).length >= 5 &&
          l.filter((x) => x.startsWith('── #C-ORG')).length >= 5,
        30_000,
      );
      expect(main.lines.filter((x) => x.startsWith('── #C-U')).length).toBe(5);
      expect(
        await db.prisma.notification.count({
          where: {
            kind: 'reminder',
            stage: 'overdue-1',
            subjectId: {
              in: (await db.prisma.finding.findMany({ where: { idempotencyKey: { startsWith: 'main-' } } })).map(
                (f) => f.id,
              ),
            },
            state: 'sent',
          },
        }),
      ).toBe(10);
      main.proc.kill('SIGTERM');
      expect(await main.exited, main.stderr().slice(-2000)).toEqual({ code: 0, signal: null });
    } finally {
      if (main.proc.exitCode === null) main.proc.kill('SIGKILL');
      await deletePrefix(redis, mainPrefix);
    }
  });
});
