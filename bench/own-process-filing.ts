import { randomBytes } from 'node:crypto';
import type { FakeSlackApi } from '../test/support/slack-fake-api.ts';
import type { SignedRequest } from '../test/support/slack-requests.ts';
import { timedAutocannon } from './timed-autocannon.ts';
import { type BenchAndServersCpu, machineJiffies, meterBenchAndServers, procCpuMs } from './proc-cpu.ts';
import { createRedis } from '../adapters/queue/redis-connection.ts';
import { createQueues } from '../adapters/queue/queues.ts';
import { type LoadServer, removeQueuePrefix, startLoadServer } from './bench-processes.ts';

// Filing throughput with the bot in its own process, as it runs in production: the bot's event
// loop does the bot's work only, while this process plays Slack (the signed requests of 8
// inspectors and the Web API the bot posts the notice and the reply to). In bot.bench.ts's other
// rows the client, the fake API and the bot share one event loop on one core, which is how the
// figures of one process are compared over time, but not what the bot itself can take.

export interface OwnProcessRun {
  /** requests answered, and their latency (autocannon's, ms) */
  count: number;
  p50: number;
  p99: number;
  max: number;
  wall: number;
  /** CPU time of the bot's process (user + system) over the run, ms */
  botCpu: number;
  /** the machine's CPUs busy over the run (all processes: the bot, this one, PostgreSQL, Redis), 0–1 */
  machineBusy: number;
  /** CPU ms over the run of this process (the inspectors and Slack) and of PostgreSQL and Redis */
  others: BenchAndServersCpu;
}

export interface BotProcess {
  url: string;
  /** the run's own BullMQ prefix, where the bot publishes its filings */
  queuePrefix: string;
  run(make: (i: number) => SignedRequest, n: number, clients: number): Promise<OwnProcessRun>;
  /** `finding-changed` jobs the bot published under its queue prefix: one per finding it created */
  queuedJobs(): Promise<number>;
  stop(): Promise<void>;
}

export async function startBotProcess(opts: {
  databaseUrl: string;
  redisUrl: string;
  fake: FakeSlackApi;
  signingSecret: string;
  logLevel: string;
  profileDir?: string | undefined;
}): Promise<BotProcess> {
  // A queue prefix of this run's own: created by the bot's first filing, removed here only.
  const queuePrefix = `kaoping-bench-${randomBytes(4).toString('hex')}`;
  const redis = createRedis(opts.redisUrl, { role: 'command', name: 'kaoping-bench' });
  let server: LoadServer['process'] | undefined;
  const stop = async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await removeQueuePrefix(redis, queuePrefix).catch(() => undefined);
    await redis.quit().catch(() => undefined);
  };
  try {
    const started = await startLoadServer(
      {
        databaseUrl: opts.databaseUrl,
        slackApiUrl: opts.fake.url,
        signingSecret: opts.signingSecret,
        botId: opts.fake.botId,
        botUserId: opts.fake.botUserId,
        logLevel: opts.logLevel,
        processBeforeResponse: true,
        redisUrl: opts.redisUrl,
        queuePrefix,
      },
      opts.profileDir,
    );
    server = started.process;
    const url = started.url;
    const pid = server.pid!;
    return {
      url,
      queuePrefix,
      async run(make, n, clients) {
        // autocannon as the inspectors' client: its cost per request is a fraction of fetch's, so
        // more of the machine is left to the bot and PostgreSQL, as it would be in production.
        let next = 0;
        const c0 = procCpuMs(pid);
        const m0 = machineJiffies();
        const others = meterBenchAndServers();
        const { result, wallMs: wall } = await timedAutocannon({
          url,
          connections: clients,
          amount: n,
          timeout: 30,
          requests: [
            {
              method: 'POST',
              setupRequest: (req) => {
                const signed = make(next++);
                return { ...req, method: 'POST', headers: signed.headers, body: signed.body };
              },
            },
          ],
        });
        const othersCpu = others();
        const m = machineJiffies();
        const failed = result.non2xx + result.errors + result.timeouts;
        if (failed) throw new Error(`${failed} of ${n} filings were not answered with 200`);
        return {
          count: result.requests.total,
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
          wall,
          botCpu: procCpuMs(pid) - c0,
          machineBusy: (m.busy - m0.busy) / Math.max(1, m.total - m0.total),
          others: othersCpu,
        };
      },
      async queuedJobs() {
        const queues = createQueues(redis, queuePrefix);
        try {
          return await queues.reminders.getJobCountByTypes('wait', 'delayed', 'prioritized');
        } finally {
          await Promise.all(queues.all().map((q) => q.close()));
        }
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
