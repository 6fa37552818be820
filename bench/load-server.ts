// The bot for bench/load.bench.ts and bench/bot.bench.ts, in its own process so that the load
// generator and the fake Slack API do not share its event loop: composed as bot/app.ts composes it
// (the store follows the change feed; with `queuePrefix`, every filing is published to BullMQ on
// Redis under that prefix, which the parent created and removes), the real receiver over the bench
// database, Slack's Web API at the parent's fake. Prints `LISTENING <url>` when ready; SIGTERM stops it.
// argv[2]: JSON { databaseUrl, slackApiUrl, signingSecret, botId, botUserId, logLevel,
//   processBeforeResponse?, redisUrl?, queuePrefix? } from the parent
import pino from 'pino';
import { createPrismaClient } from '../prisma/client.ts';
import { PrismaAssessmentStore } from '../prisma/repositories/prisma-assessment-store.ts';
import { createAssessment } from '../core/assessment.ts';
import { warmUp } from '../bot/warm-up.ts';
import { loadRulebook } from '../rules/rulebook.ts';
import { createSlackApp } from '../bot/slack/create-slack-app.ts';
import { Metrics } from '../adapters/observability/metrics.ts';
import { ChangeFeed } from '../prisma/change-feed.ts';
import { createRedis } from '../adapters/queue/redis-connection.ts';
import { createQueues } from '../adapters/queue/queues.ts';
import { BullLedgerEvents } from '../adapters/queue/ledger-events.adapter.ts';
import type { LoadServerArgs } from './bench-processes.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as LoadServerArgs;
const rulebook = loadRulebook('hz-2017');
const prisma = createPrismaClient(args.databaseUrl, { pool: { max: 10, connectionTimeoutMillis: 2_000 } });
const feed = await ChangeFeed.start({ connectionString: args.databaseUrl, connectionTimeoutMillis: 2_000 });
const producer =
  args.redisUrl && args.queuePrefix ? createRedis(args.redisUrl, { role: 'producer', name: 'kaoping-bench' }) : null;
const queues = producer && args.queuePrefix ? createQueues(producer, args.queuePrefix) : null;
const assessment = createAssessment({
  rulebook,
  store: new PrismaAssessmentStore(prisma, { feed }),
  clock: { now: () => new Date('2017-12-20T10:00:00+08:00') },
  ...(queues ? { events: new BullLedgerEvents(queues) } : {}),
});
await warmUp(assessment, pino({ level: args.logLevel })); // as bot/app.ts does before its port opens
// /metrics as in production: the parent reads the server-side acknowledgement histogram and the
// event loop's delay from it after each burst
const metrics = new Metrics({ process: 'bot' });
const bot = createSlackApp(
  {
    ...assessment,
    logger: pino({ level: args.logLevel }),
    defaultLocale: 'zh-CN',
    metrics,
    // production's default (KAOPING_FILING_NOTICES=worker): with a queue, the worker posts the notices
    ...(queues ? { workerNotices: ['slack'] } : {}),
  },
  {
    token: 'xoxb-bench',
    signingSecret: args.signingSecret,
    botId: args.botId,
    botUserId: args.botUserId,
    slackApiUrl: args.slackApiUrl,
    webApiRetries: 0,
    processBeforeResponse: args.processBeforeResponse ?? false,
  },
);
const url = await bot.start(0, '127.0.0.1');
process.stdout.write(`LISTENING ${url}\n`);
process.on('SIGTERM', async () => {
  await bot.stop().catch(() => undefined);
  for (const q of queues?.all() ?? []) await q.close().catch(() => undefined);
  await producer?.quit().catch(() => undefined);
  await feed.close().catch(() => undefined);
  await prisma.$disconnect().catch(() => undefined);
  process.exit(0);
});
