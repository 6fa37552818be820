// Entry: the Slack bot. Reads the environment, builds clients, starts Bolt (HTTP by default,
// Socket Mode with SLACK_SOCKET_MODE=1). Everything below is wired from here only.
import pino from 'pino';
import { createPrismaClient, databaseUrlFrom } from '../prisma/client.ts';
import { PrismaAssessmentStore } from '../prisma/repositories/prisma-assessment-store.ts';
import { AssessmentService } from '../core/assessment-service.ts';
import { toLocale } from '../core/i18n/locale.ts';
import { loadRulebook } from '../rules/rulebook.ts';
import { createRedis, workerConfigFrom } from '../adapters/queue/redis-connection.ts';
import { createQueues } from '../adapters/queue/queues.ts';
import { BullLedgerEvents } from '../adapters/queue/ledger-events.adapter.ts';
import { createSlackApp } from './slack/create-slack-app.ts';
import { clockFrom } from '../adapters/clock/pinned-clock.ts';

const env = process.env;
const logger = pino({
  name: 'kaoping-bot',
  level: env.LOG_LEVEL ?? 'info',
  redact: ['token', 'signingSecret', '*.token', '*.signingSecret'],
});

function required(name: string): string {
  const v = env[name];
  if (!v) {
    logger.fatal(`${name} is not set; see README "Running the Slack bot"`);
    process.exit(2);
  }
  return v;
}

const rulebook = loadRulebook(env.KAOPING_RULEBOOK ?? 'hz-2017');
const prisma = createPrismaClient(databaseUrlFrom(env));
const workerConfig = workerConfigFrom(env);
const producer = createRedis(workerConfig.redisUrl, { role: 'producer', name: 'kaoping-bot' });
const queues = createQueues(producer, workerConfig.prefix);
const clock = clockFrom(env.KAOPING_NOW);
const service = new AssessmentService({
  rulebook,
  store: new PrismaAssessmentStore(prisma),
  clock,
  events: new BullLedgerEvents(queues),
  defaultLocale: toLocale(env.KAOPING_LOCALE),
  onEventError: (e, event) =>
    logger.warn(
      { event: event.type, err: (e as Error).message },
      'ledger event not enqueued; the worker will reconcile',
    ),
});

const bot = createSlackApp(
  { service, rulebook, logger, defaultLocale: toLocale(env.KAOPING_LOCALE) },
  {
    token: required('SLACK_BOT_TOKEN'),
    signingSecret: env.SLACK_SOCKET_MODE === '1' ? (env.SLACK_SIGNING_SECRET ?? '') : required('SLACK_SIGNING_SECRET'),
    socketMode: env.SLACK_SOCKET_MODE === '1' ? { appToken: required('SLACK_APP_TOKEN') } : undefined,
    slackApiUrl: env.SLACK_API_URL,
  },
);

const url = await bot.start(Number(env.PORT ?? 3000));
logger.info({ url, rulebook: rulebook.id, socketMode: env.SLACK_SOCKET_MODE === '1' }, 'kaoping bot started');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await bot.stop().catch(() => undefined);
    await queues.close().catch(() => undefined);
    producer.disconnect();
    await prisma.$disconnect();
    process.exit(0);
  });
}
