// The worker against the real Redis and PostgreSQL, with an injected clock and no real waiting:
// a migrated and seeded database, a "bot" (core's use cases publishing its ledger events to
// BullMQ through a producer connection, as bot/app.ts does), members and channel bindings on the
// 'console' platform, console messengers that record what was sent, and helpers to run one job
// and to wait until every queue is idle.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ConsoleMessenger } from '../../../adapters/messenger/console/console-messenger.adapter.ts';
import type { Actor, LedgerEvent, Role } from '../../../core/assessment-api.ts';
import type { Assessment } from '../../../core/assessment.ts';
import { createAssessmentYears } from '../../../core/assessment-years.ts';
import { PrismaAssessmentStore } from '../../../prisma/repositories/prisma-assessment-store.ts';
import { createRepositories } from '../../../prisma/repositories/repositories.ts';
import { loadRulebook, type Rulebook } from '../../../rules/rulebook.ts';
import { createRedis } from '../../../adapters/queue/redis-connection.ts';
import { BullLedgerEvents } from '../../../adapters/queue/ledger-events.adapter.ts';
import {
  createQueues,
  QUEUE_KEYS,
  type JobData,
  type JobName,
  type QueueKey,
  type Queues,
} from '../../../adapters/queue/queues.ts';
import { startWorkerRuntime, type WorkerRuntime, type WorkerRuntimeOptions } from '../../../worker/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { TestClock } from '../../support/core-fixture.ts';
import { deletePrefix, testPrefix, TEST_REDIS_URL } from './redis.ts';

export const PLATFORM = 'console';
export const ORG_CHANNEL = 'C-ORG';
export const channelOf = (unit: string) => `C-${unit}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WorkerFixture {
  db: TestDatabase;
  prefix: string;
  clock: TestClock;
  rulebook: ReturnType<typeof loadRulebook>;
  /** The bot's side: core publishing ledger events to BullMQ (producer connection). */
  bot: Assessment;
  /** Queues on a command connection: what tests enqueue with. */
  queues: Queues;
  redis: Redis;
  /** Ledger events the bot published (also enqueued). */
  published: LedgerEvent[];
  organiser: Actor;
  inspector: Actor;
  /** A console member (created on first use). */
  member(externalId: string, role: Role, unit?: string): Promise<Actor>;
  /** Bind the organisers' channel and these units' channels on the console platform. */
  bind(units: readonly string[]): Promise<void>;
  /** A worker process (as far as Redis and PostgreSQL can tell), sending through `messenger`. */
  start(messenger: ConsoleMessenger, opts?: Partial<WorkerRuntimeOptions>): Promise<WorkerRuntime>;
  /** Add one job and wait for it to finish; its return value. */
  run<Q extends Exclude<QueueKey, 'notify'>, N extends JobName<Q>>(
    queue: Q,
    name: N,
    data: JobData<Q, N>,
  ): Promise<any>;
  /** Wait until no queue (but those in `except`) has a waiting, active, delayed or prioritized job (twice in a row). */
  settle(opts?: { timeoutMs?: number; except?: readonly QueueKey[] }): Promise<void>;
  /** Set the clock to a local Asia/Shanghai time, e.g. at('2017-09-29', '10:00'). */
  at(date: string, time?: string): void;
  close(): Promise<void>;
}

export async function createWorkerFixture(
  name: string,
  /** rulebooks: the assessment years bot and worker hold, oldest first (default hz-2017's 2017 alone). */
  opts: { now?: string; rulebooks?: readonly Rulebook[] } = {},
): Promise<WorkerFixture> {
  const db = await createTestDatabase();
  const prefix = testPrefix(name);
  const rulebook = loadRulebook('hz-2017');
  const clock = new TestClock(new Date(opts.now ?? '2017-09-22T10:00:00+08:00'));
  const redis = createRedis(TEST_REDIS_URL, { role: 'command', name: `kaoping-test-${name}` });
  const queues = createQueues(redis, prefix);
  const published: LedgerEvent[] = [];
  const events = new BullLedgerEvents(queues);
  const rulebooks = opts.rulebooks ?? [rulebook];
  const bot = createAssessmentYears({
    rulebooks,
    store: new PrismaAssessmentStore(db.prisma),
    clock,
    events: {
      publish: async (e) => {
        published.push(e);
        await events.publish(e);
      },
    },
  });
  const runtimes: WorkerRuntime[] = [];
  let run = 0;

  async function member(externalId: string, role: Role, unit?: string): Promise<Actor> {
    const known = await db.prisma.memberIdentity.findUnique({
      where: { platform_externalId: { platform: PLATFORM, externalId } },
    });
    if (!known)
      await db.prisma.member.create({
        data: {
          identities: { create: { platform: PLATFORM, externalId } },
          role,
          ...(unit ? { unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: unit } } } } : {}),
        },
      });
    const r = await bot.membership.resolveActor(PLATFORM, externalId);
    if (!r.ok) throw r.error;
    return r.value;
  }

  const fixture: WorkerFixture = {
    db,
    prefix,
    clock,
    rulebook,
    bot,
    queues,
    redis,
    published,
    organiser: await member('org-1', 'organiser'),
    inspector: await member('insp-1', 'inspector'),
    member,
    async bind(units) {
      await db.prisma.channelBinding.createMany({
        data: [
          { platform: PLATFORM, scope: 'organisers', channelId: ORG_CHANNEL },
          ...units.map((u) => ({ platform: PLATFORM, scope: u, channelId: channelOf(u) })),
        ],
        skipDuplicates: true,
      });
    },
    async start(messenger, o = {}) {
      const rt = await startWorkerRuntime({
        redisUrl: TEST_REDIS_URL,
        prefix,
        ports: createRepositories(db.prisma, { leaseMs: 2_000 }),
        rulebook,
        rulebooks,
        clock,
        messengers: { [PLATFORM]: messenger },
        schedules: false,
        noticeGraceMs: null,
        // the 通报 document takes seconds to render: only the tests of it ask for it
        bulletinDocuments: false,
        busyRecheckMs: 100,
        backoff: () => 50,
        // the whole assessment year is live unless a test rehearses go-live (startDate: undefined)
        startDate: '2017-01-01',
        // tests written before the month review cycle rehearse publication at close; review tests pass false
        autoPublish: true,
        ...o,
      });
      runtimes.push(rt);
      return rt;
    },
    async run(queue, name, data) {
      const id = `test-${name}-${++run}-${randomUUID().slice(0, 8)}`;
      const q = queues[queue];
      await q.add(name, data, { jobId: id, attempts: 1 });
      const deadline = Date.now() + 20_000;
      for (;;) {
        const state = await q.getJobState(id);
        if (state === 'completed') return (await q.getJob(id))?.returnvalue;
        if (state === 'failed') throw new Error(`job ${name} failed: ${(await q.getJob(id))?.failedReason}`);
        if (Date.now() > deadline) throw new Error(`job ${name} still ${state} after 20 s`);
        await sleep(15);
      }
    },
    async settle({ timeoutMs = 20_000, except = [] } = {}) {
      const deadline = Date.now() + timeoutMs;
      let quiet = 0;
      while (quiet < 2) {
        const counts = await Promise.all(
          QUEUE_KEYS.filter((k) => !except.includes(k)).map((k) =>
            queues[k].getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'),
          ),
        );
        const busy = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
        quiet = busy === 0 ? quiet + 1 : 0;
        if (Date.now() > deadline) throw new Error(`queues not idle after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
        await sleep(quiet ? 30 : 15);
      }
    },
    at(date, time = '10:00') {
      clock.set(`${date}T${time}:00+08:00`);
    },
    async close() {
      await Promise.all(runtimes.map((r) => r.close('test end')));
      await queues.close();
      await deletePrefix(redis, prefix);
      await redis.quit();
      await db.drop();
    },
  };
  return fixture;
}

/** A console messenger that knows the bound channels (others fail like channel_not_found). */
export function consoleMessenger(units: readonly string[] = []): ConsoleMessenger {
  return new ConsoleMessenger({ channels: [ORG_CHANNEL, ...units.map(channelOf)] });
}
