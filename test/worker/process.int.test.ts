// The worker as an operating-system process. (1) A worker killed with SIGKILL in the middle of
// sending (not closed: no shutdown code runs), then a new worker taking over, keep the notification
// ledger's documented contract (worker/notification-ledger.ts): no message is sent twice; every
// message is either delivered (and recorded as sent) or recorded as "outcome unknown" — a message
// in flight at the kill may or may not have reached the platform and is never resent — and the
// organisers are told about each such message to a unit. (2) `npm run worker` (worker/main.ts)
// with the console adapter prints the reminders in the terminal and stops cleanly on SIGTERM.
//
// Waits are on events (a line on the child's stdout, the child's exit) or on a state in
// PostgreSQL, never on a fixed time; their limits are generous and only make a hang readable.
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
  await db.prisma.member.create({
    data: { identities: { create: { platform: 'console', externalId: 'insp-1' } }, role: 'inspector' },
  });
  for (const u of UNITS)
    await db.prisma.member.create({
      data: {
        identities: { create: { platform: 'console', externalId: `c-${u}` } },
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
  const actor = (await service.membership.resolveActor('console', 'insp-1')) as {
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
  /** Resolves as soon as a line arrives that makes `pred` true (or at once); rejects if the child exits first. */
  waitFor(pred: (lines: string[]) => boolean, what: string, limitMs?: number): Promise<void>;
}

/** A limit that only turns a hang into a readable failure; nothing here waits for it to pass. */
const HANG_MS = 90_000;

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
    waitFor(pred, what, limitMs = HANG_MS) {
      return new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => {
          clearTimeout(timer);
          proc.stdout.off('data', check);
          proc.off('exit', onExit);
          if (error) reject(error);
          else resolve();
        };
        // runs after start()'s own 'data' listener (registered first), so `lines` is up to date
        const check = () => {
          if (pred(lines)) done();
        };
        const onExit = (code: number | null, signal: string | null) =>
          done(new Error(`child exited (${code ?? signal}) before ${what}: ${stderr.slice(-2000)}`));
        const timer = setTimeout(
          () =>
            done(
              new Error(
                `child: no ${what} within ${limitMs} ms; last lines: ${lines.slice(-5).join(' | ')}; stderr: ${stderr.slice(-1000)}`,
              ),
            ),
          limitMs,
        );
        proc.stdout.on('data', check);
        proc.on('exit', onExit);
        if (proc.exitCode !== null || proc.signalCode !== null) onExit(proc.exitCode, proc.signalCode);
        else check();
      });
    },
  };
}

interface Delivery {
  target: string;
  ref: string;
  digest: string;
  header: string;
}

/** `DELIVERED <target> <ref> <digest> <header>` lines of a child (see support/worker-child.ts). */
const deliveries = (lines: readonly string[]): Delivery[] =>
  lines
    .filter((l) => l.startsWith('DELIVERED '))
    .map((l) => {
      const [, target = '', ref = '', digest = '', header = ''] = l.split(' ');
      return { target, ref, digest, header };
    });

/** Polls PostgreSQL (a state, not a time) until `done` holds for the rows `read` returns. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  const limit = Date.now() + HANG_MS;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > limit) throw new Error(`${what}: not reached within ${HANG_MS} ms: ${JSON.stringify(v)}`);
    await sleep(100);
  }
}

async function idle(): Promise<void> {
  let quiet = 0;
  await until(
    () => Promise.all(QUEUE_KEYS.map((k) => queues[k].getJobCounts('waiting', 'active', 'delayed', 'prioritized'))),
    (counts) => {
      quiet = counts.every((c) => Object.values(c).every((n) => n === 0)) ? quiet + 1 : 0;
      return quiet >= 3;
    },
    'queues idle',
  );
}

describe('a worker killed mid-job (SIGKILL, not closed)', () => {
  it('sends no message twice; each is delivered, or recorded as outcome unknown and reported to the organisers', async () => {
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      KAOPING_QUEUE_PREFIX: prefix,
      KAOPING_NOW: '2017-10-09T10:00:00+08:00',
      TEST_SEND_DELAY_MS: '150',
      LOG_LEVEL: 'silent',
    };
    const first = start([CHILD], env);
    await first.waitFor((l) => l.some((x) => x.startsWith('READY')), 'READY');
    await queues.reminders.add('reminder-sweep', { rulebookId: 'hz-2017' }, { jobId: 'sweep-before-kill' });
    await first.waitFor((l) => deliveries(l).length >= 9, '9 deliveries');
    first.proc.kill('SIGKILL'); // no shutdown code runs: active jobs and claims are simply abandoned
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const beforeKill = deliveries(first.lines);
    expect(beforeKill.length).toBeLessThan(40); // it really died mid-way

    const second = start([CHILD], env);
    await second.waitFor((l) => l.some((x) => x.startsWith('READY')), 'READY');
    // The stalled jobs come back once the dead worker's locks expire, its claims once their lease
    // has run out; then every reminder is settled, and the alerts about them are sent.
    const isReminder = { kind: 'reminder' };
    const rows = await until(
      () => db.prisma.notification.findMany({ where: isReminder }),
      (rs) => rs.length === 40 && rs.every((r) => r.state === 'sent' || r.state === 'failed'),
      'every reminder settled',
    );
    await idle();

    const delivered = [...beforeKill, ...deliveries(second.lines)];
    const isAlert = (d: Delivery) => d.header === '消息未能送达';
    const reminders = delivered.filter((d) => !isAlert(d));
    const sent = rows.filter((r) => r.state === 'sent');
    const unknown = rows.filter((r) => r.state === 'failed');
    const channelOf = (recipient: string) => {
      const scope = recipient.replace(/^channel\/console\//, '');
      return scope === 'organisers' ? 'C-ORG' : `C-U${UNITS.indexOf(scope)}`;
    };
    console.info(
      `[kill -9] delivered before the kill: ${beforeKill.length}, after the restart: ${reminders.length - beforeKill.filter((d) => !isAlert(d)).length}; in flight at the kill (outcome unknown, not resent): ${unknown.length}`,
    );

    // Every message has its row: 20 findings × (the unit's channel + the organisers).
    const findings = await db.prisma.finding.findMany({ where: { idempotencyKey: { startsWith: 'proc-' } } });
    const expected = findings.flatMap((f) => [
      `${f.id} channel/console/${UNITS[Number(f.idempotencyKey!.slice('proc-'.length))]}`,
      `${f.id} channel/console/organisers`,
    ]);
    expect(rows.map((r) => `${r.subjectId} ${r.recipient}`).sort()).toEqual(expected.sort());

    // No message twice: no (channel, message) reached the platform more than once.
    expect(new Set(reminders.map((d) => `${d.target} ${d.digest}`)).size).toBe(reminders.length);

    // Delivered and recorded as sent: each sent row's message reached its channel exactly once.
    for (const r of sent)
      expect(reminders.filter((d) => d.ref === r.messageRef && d.target === channelOf(r.recipient))).toHaveLength(1);

    // Or recorded as outcome unknown: never resent, and only those may have reached the platform
    // without a sent row (per channel, no more such deliveries than such rows).
    expect(unknown.every((r) => r.lastError?.startsWith(UNKNOWN_OUTCOME_PREFIX))).toBe(true);
    expect(unknown.every((r) => r.attempts === 1)).toBe(true);
    expect(unknown.length).toBeLessThanOrEqual(4); // at most the notify concurrency was in flight
    const sentRefs = new Set(sent.map((r) => r.messageRef));
    const unaccounted = reminders.filter((d) => !sentRefs.has(d.ref));
    for (const target of new Set(unaccounted.map((d) => d.target)))
      expect(unaccounted.filter((d) => d.target === target).length).toBeLessThanOrEqual(
        unknown.filter((r) => channelOf(r.recipient) === target).length,
      );

    // The organisers were told, once, about each message to a unit whose outcome is unknown.
    const alerts = await db.prisma.notification.findMany({ where: { kind: 'delivery-alert' } });
    const toUnits = unknown.filter((r) => !r.recipient.endsWith('/organisers'));
    expect(alerts.map((a) => `${a.subjectId} ${a.stage}`).sort()).toEqual(
      toUnits.map((r) => `${r.subjectId} reminder/${r.stage}/${r.recipient}`).sort(),
    );
    for (const a of alerts) {
      expect(a).toMatchObject({ state: 'sent', recipient: 'channel/console/organisers' });
      expect(delivered.filter((d) => isAlert(d) && d.ref === a.messageRef && d.target === 'C-ORG')).toHaveLength(1);
    }
    expect(delivered.filter(isAlert)).toHaveLength(toUnits.length);

    // SIGTERM: graceful stop, exit 0
    second.proc.kill('SIGTERM');
    expect(await second.exited, second.stderr().slice(-2000)).toEqual({ code: 0, signal: null });
  }, 240_000);
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
      KAOPING_START_DATE: '2017-01-01', // live all year: January's findings are news
      // no LOG_LEVEL: with the console messenger the logs leave stdout to the messages
      WORKER_PORT: '0',
      WORKER_HOST: '127.0.0.1',
    });
    try {
      // the schedules run once at start: the sweep finds five first overdue reminders
      await main.waitFor(
        (l) =>
          l.filter((x) => x.includes('整改已逾期')).length >= 5 &&
          l.filter((x) => x.startsWith('── #C-ORG')).length >= 5,
        'five overdue reminders to the units and five to the organisers',
      );
      expect(main.lines.filter((x) => x.startsWith('── #C-U')).length).toBe(5);
      // stdout is the messages, readable: no JSON log line among them
      expect(main.lines.filter((x) => x.startsWith('{'))).toEqual([]);
      // a message is printed before its ledger row is marked sent: wait for the rows, then count them
      const ids = (await db.prisma.finding.findMany({ where: { idempotencyKey: { startsWith: 'main-' } } })).map(
        (f) => f.id,
      );
      const sentRows = () =>
        db.prisma.notification.count({
          where: { kind: 'reminder', stage: 'overdue-1', subjectId: { in: ids }, state: 'sent' },
        });
      expect(await until(sentRows, (n) => n >= 10, 'ten overdue reminders recorded as sent')).toBe(10);
      main.proc.kill('SIGTERM');
      expect(await main.exited, main.stderr().slice(-2000)).toEqual({ code: 0, signal: null });
    } finally {
      if (main.proc.exitCode === null) main.proc.kill('SIGKILL');
      await deletePrefix(redis, mainPrefix);
    }
  }, 240_000);
});
