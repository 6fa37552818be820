import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { timedAutocannon } from './timed-autocannon.ts';
import { FakeSlackApi } from '../test/support/slack-fake-api.ts';
import { SlackRequests, type SignedRequest } from '../test/support/slack-requests.ts';
import { BENCH_USERS, prepareYearDatabase } from './bot.bench.ts';
import { fmt, percentile } from './timing.ts';
import { type LoadServer, startLoadServer } from './bench-processes.ts';
import type { SettingsFor } from '../adapters/config/settings.schema.ts';

// The Slack bot under a burst (autocannon, loopback only, bounded by a request count): signed
// /myscore and /finding through the real receiver, in production mode (acknowledge first, answer
// through response_url), over a year of data. For each: the acknowledgement's p50/p99 (autocannon's
// HTTP latency) and req/s, and the reply's p50/p99 (from the request's start until its private
// answer reached the fake Slack API). Slack's limit is 3 s for the acknowledgement.

const SIGNING_SECRET = 'kaoping-bench-load-secret';

export async function benchLoad(settings: SettingsFor<'bench'>): Promise<void> {
  const { findings: FINDINGS, connections: CONNECTIONS, requests: AMOUNT, profileDir } = settings.bench.load;
  const year = await prepareYearDatabase(settings, 'load', FINDINGS);
  await year.prisma.$disconnect();
  const fake = await FakeSlackApi.start();
  let server: LoadServer['process'] | undefined;
  try {
    const started = await startLoadServer(
      {
        databaseUrl: year.url,
        slackApiUrl: fake.url,
        signingSecret: SIGNING_SECRET,
        botId: fake.botId,
        botUserId: fake.botUserId,
        logLevel: settings.bench.logLevel,
      },
      profileDir,
    );
    server = started.process;
    const url = started.url;
    const requests = new SlackRequests({ signingSecret: SIGNING_SECRET });
    const fileTo = year.rb.data.units.filter((u) => u.group === 'with_matters').map((u) => u.name);
    const clauses = ['2.1.1a', '3.1.3b', '3.3.1a', '4.1.1b', '5.2.2a'];

    const kinds: Record<string, (i: number, responseUrl: string) => SignedRequest> = {
      '/myscore': (i, responseUrl) =>
        requests.slashCommand({
          command: '/myscore',
          userId: BENCH_USERS.contact,
          channelId: 'CBENCH1',
          responseUrl,
          triggerId: `load.myscore.${i}`,
        }),
      '/finding': (i, responseUrl) =>
        requests.slashCommand({
          command: '/finding',
          text: `${fileTo[i % fileTo.length]} ${clauses[i % clauses.length]} x1 load`,
          userId: BENCH_USERS.inspector,
          channelId: 'CBENCH1',
          responseUrl,
          triggerId: `load.finding.${i}`,
        }),
    };

    console.log(
      `Slack bot under a burst: ${CONNECTIONS} concurrent connections, ${AMOUNT} signed requests per command, ` +
        `${FINDINGS.toLocaleString('en')} findings in PostgreSQL; the bot in its own process on Node ${process.version}; ${os.cpus().length} CPUs, load average ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
    );
    console.log(
      'request      ack p50 ms  ack p99 ms  ack max ms   req/s   reply p50 ms  reply p99 ms  replies  non-2xx',
    );
    const metricsUrl = `${new URL(url).origin}/metrics`;
    const serverSide: string[] = [];
    let worstAckP99 = 0;
    for (const [name, make] of Object.entries(kinds)) {
      await scrape(metricsUrl); // resets the event loop delay window
      const acksBefore = ackBuckets(await scrape(metricsUrl));
      const sentAt = new Map<string, number>();
      let i = 0;
      const before = fake.callsTo('response_url').length;
      const { result, wallMs } = await timedAutocannon({
        url,
        connections: CONNECTIONS,
        amount: AMOUNT,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const n = i++;
              const path = `/response/load/${name.slice(1)}/${n}`;
              const signed = make(n, `${fake.origin}${path}`);
              sentAt.set(path, performance.now());
              return { ...req, method: 'POST', headers: signed.headers, body: signed.body };
            },
          },
        ],
      });
      const after = await scrape(metricsUrl);
      serverSide.push(
        `${name.padEnd(12)} server-side ack p99 ≤ ${bucketP99(ackBuckets(after), acksBefore)}; event loop delay during the burst: ${eventLoopDelay(after)}`,
      );
      // the answers come after the acknowledgements: wait for them (bounded)
      for (let k = 0; k < 600 && fake.callsTo('response_url').length < before + AMOUNT; k++)
        await new Promise((r) => setTimeout(r, 50));
      const replies = fake
        .callsTo('response_url')
        .slice(before)
        .flatMap((c) => (sentAt.has(c.path) ? [c.at - sentAt.get(c.path)!] : []))
        .sort((a, b) => a - b);
      worstAckP99 = Math.max(worstAckP99, result.latency.p99);
      console.log(
        `${name.padEnd(12)} ${fmt(result.latency.p50).padStart(10)} ${fmt(result.latency.p99).padStart(11)} ${fmt(result.latency.max).padStart(11)} ${(result.requests.total / (wallMs / 1000)).toFixed(0).padStart(7)} ${fmt(percentile(replies, 50)).padStart(14)} ${fmt(percentile(replies, 99)).padStart(13)} ${String(replies.length).padStart(8)} ${String(result.non2xx + result.errors + result.timeouts).padStart(8)}`,
      );
    }
    for (const line of serverSide) console.log(line);
    const unavailable = fake.calls.filter((c) => JSON.stringify(c.args).includes('SERVICE.UNAVAILABLE')).length;
    console.log(
      `target: acknowledgement p99 under Slack's 3 s at ${CONNECTIONS} concurrent requests → worst ${fmt(worstAckP99)} ms (${worstAckP99 < 3000 ? 'met' : 'NOT met'}); "unavailable" replies: ${unavailable}`,
    );
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await fake.close().catch(() => undefined);
    await year.drop();
  }
}

async function scrape(url: string): Promise<string> {
  return (await fetch(url)).text();
}

/** Cumulative counts of kaoping_ack_latency_seconds{kind="command"} by bucket bound (seconds). */
function ackBuckets(metrics: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of metrics.matchAll(
    /^kaoping_ack_latency_seconds_bucket\{le="([^"]+)"[^}]*kind="command"[^}]*\} (\d+)/gm,
  ))
    out.set(m[1]!, Number(m[2]));
  return out;
}

/** The smallest bucket bound holding 99 % of the acknowledgements between two scrapes. */
function bucketP99(after: Map<string, number>, before: Map<string, number>): string {
  const total = (after.get('+Inf') ?? 0) - (before.get('+Inf') ?? 0);
  for (const [le, n] of after)
    if (n - (before.get(le) ?? 0) >= 0.99 * total) return le === '+Inf' ? '> 5 s' : `${le} s`;
  return 'n/a';
}

/** p99 and max of Node's event loop delay since the previous scrape (prom-client's default metrics). */
function eventLoopDelay(metrics: string): string {
  const read = (name: string) => {
    const m = new RegExp(`^kaoping_nodejs_eventloop_lag_${name}_seconds\\{[^}]*\\} ([0-9.e+-]+)`, 'm').exec(metrics);
    return m ? `${(Number(m[1]) * 1000).toFixed(0)} ms` : 'n/a';
  };
  return `p99 ${read('p99')}, max ${read('max')}`;
}
