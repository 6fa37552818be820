// Entry: `npm run worker`. Asks the configuration module (adapters/config) for its settings — a
// wrong one exits 2 with a message naming the variable — builds the messenger, the clock and the
// Prisma client from them and starts worker/runtime.ts; SIGTERM / SIGINT stop it gracefully.
//
// Settings read (every variable, default and meaning: README "Configuration"):
//   database    DATABASE_URL
//   queue       REDIS_URL, KAOPING_QUEUE_PREFIX
//   rulebook    KAOPING_RULEBOOK                    the rulebook served, with its following years
//   locale      KAOPING_LOCALE                      language of channel messages
//   clock       KAOPING_NOW                         rehearse a past year (adapters/clock/pinned-clock.ts)
//   log         LOG_LEVEL, KAOPING_LOG_FILE         with the console messenger stdout is the messages:
//                                                   logs go to stderr (warn) or the file
//   worker      KAOPING_OFFICE_HOURS                when reminders may go out
//               KAOPING_PUBLISH                     what group channels see at month close
//               KAOPING_NOTICE_GRACE_S              post the filing notice the bot did not
//               KAOPING_START_DATE                  go-live (default: the stored first start day)
//   messenger   KAOPING_MESSENGER=slack,dingtalk|console
//                                                   slack needs SLACK_BOT_TOKEN (SLACK_API_URL overrides
//                                                   the API base); console prints every message here
//   dingtalk    DINGTALK_APP_KEY, …                 the DingTalk messenger (README "DingTalk")
//   workerHttp  WORKER_PORT, WORKER_HOST            /healthz, /readyz (PostgreSQL, Redis), /metrics
//   workerAdmin WORKER_ADMIN_PORT, WORKER_ADMIN_HOST the queue dashboard (bull-board), loopback only, off
//                                                   unless a port is set

import { webApi } from '@slack/bolt';
import pino from 'pino';
import { ConsoleMessenger } from '../adapters/messenger/console/console-messenger.adapter.ts';
import { SlackMessenger } from '../adapters/messenger/slack/slack-messenger.adapter.ts';
import { clockFrom } from '../adapters/clock/pinned-clock.ts';
import { settingsOrExit } from '../adapters/config/load-settings.ts';
import type { Settings } from '../adapters/config/settings.schema.ts';
import type { MessengerPort } from '../core/ports/messenger.port.ts';
import { dingTalkMessenger } from '../adapters/messenger/dingtalk/dingtalk-settings.ts';
import { createPrismaClient } from '../prisma/client.ts';
import { createRepositories } from '../prisma/repositories/repositories.ts';
import { loadRulebook } from '../rules/rulebook.ts';
import { loadRulebookYears } from '../rules/rulebook-years.ts';
import { reminderSettings } from './reminder-plan.ts';
import { startWorkerRuntime } from './runtime.ts';
import { installSignalHandlers } from './shutdown.ts';
import { checkRedisCredentials, createRedis, RedisCredentialsRefused } from '../adapters/queue/redis-connection.ts';
import { createOpsServer } from '../adapters/http/ops-server.ts';
import { Metrics } from '../adapters/observability/metrics.ts';
import { postgresCheck, redisCheck } from '../adapters/observability/readiness.ts';
import { errorLine, redactUrl, watchConnection } from '../adapters/observability/connection-errors.ts';
import { guardProcess } from '../adapters/observability/process-guard.ts';
import { createQueueDashboard } from '../adapters/http/queue-dashboard.ts';
import { createLeanFetch } from '../adapters/http/lean-fetch.ts';

const settings = settingsOrExit('worker');
// With KAOPING_MESSENGER=console stdout carries the messages themselves, readable: the JSON log
// lines go to stderr (warnings and worse, unless LOG_LEVEL says otherwise) or to KAOPING_LOG_FILE.
const printsMessages = settings.messenger.kind === 'console';
const logger = pino(
  {
    name: 'kaoping-worker',
    level: settings.log.level ?? (printsMessages ? 'warn' : 'info'),
    // never log credentials, whatever object they travel in
    redact: {
      paths: ['token', '*.token', 'password', '*.password', 'headers.authorization', '*.headers.authorization'],
      censor: '***',
    },
  },
  settings.log.file
    ? pino.destination({ dest: settings.log.file, mkdir: true, sync: true })
    : pino.destination(printsMessages ? 2 : 1),
);

function fatal(msg: string, err?: unknown): never {
  logger.fatal(err === undefined ? {} : { err: errorLine(err) }, msg);
  process.exit(2);
}

/** One messenger per platform: each message goes out on the platform its recipient lives on. */
function messengersFrom(m: Settings['messenger'], dt: Settings['dingtalk']): MessengerPort[] {
  if (m.kind === 'console') return [new ConsoleMessenger({ out: process.stdout })];
  const out: MessengerPort[] = [];
  if (m.slack) out.push(slackMessenger(m.slack));
  if (m.dingtalk && dt) out.push(dingTalkMessenger(dt));
  return out;
}

function slackMessenger(m: { token: { reveal(): string }; apiUrl: string | undefined }): MessengerPort {
  // No WebClient retries: a retried chat.postMessage after a timeout could post twice. BullMQ
  // retries transient errors through the notification ledger instead, and a 429 comes back at once
  // with its Retry-After (rejectRateLimitedCalls) for the job's backoff to honour.
  const client = new webApi.WebClient(m.token.reveal(), {
    ...(m.apiUrl ? { slackApiUrl: m.apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 15_000,
    logLevel: webApi.LogLevel.ERROR,
    fetch: createLeanFetch(), // see adapters/http/lean-fetch.ts
  });
  return new SlackMessenger(client);
}

try {
  // wrong Redis credentials are a start-up failure (BullMQ would retry them forever): one line, exit 2
  await checkRedisCredentials(settings.queue.redisUrl).catch((e: unknown) => {
    if (e instanceof RedisCredentialsRefused)
      fatal(
        `worker failed to start: Redis refused the credentials in REDIS_URL (${redactUrl(settings.queue.redisUrl)})`,
        e,
      );
    throw e;
  });
  const messengers = messengersFrom(settings.messenger, settings.dingtalk);
  const prisma = createPrismaClient(settings.database.url, { pool: { connectionTimeoutMillis: 5_000 } });
  const metrics = new Metrics({ process: 'worker' });
  const runtime = await startWorkerRuntime({
    redisUrl: settings.queue.redisUrl,
    prefix: settings.queue.prefix,
    ports: createRepositories(prisma),
    rulebook: loadRulebook(settings.rulebook.id),
    rulebooks: loadRulebookYears(settings.rulebook.id),
    clock: clockFrom(settings.clock.pinnedNow),
    messengers: Object.fromEntries(messengers.map((m) => [m.platform, m])),
    settings: reminderSettings({ officeHours: settings.worker.officeHours }),
    locale: settings.locale.default,
    publish: settings.worker.publish,
    autoPublish: settings.worker.autoPublish,
    noticeGraceMs: settings.worker.noticeGraceMs,
    ...(settings.worker.startDate ? { startDate: settings.worker.startDate } : {}),
    logger,
    metrics,
    database: prisma,
  });
  // /healthz, /readyz (PostgreSQL and Redis) and /metrics for the orchestrator and Prometheus
  const probe = createRedis(settings.queue.redisUrl, { role: 'command', name: 'kaoping-worker-probe' });
  watchConnection(probe, logger, 'redis:probe', { url: settings.queue.redisUrl });
  const ops = createOpsServer({ logger, readiness: [postgresCheck(prisma), redisCheck(probe)], metrics });
  const opsAddress = await ops.listen(settings.workerHttp.port, settings.workerHttp.host);
  logger.info({ port: opsAddress.port }, 'worker health and metrics served');
  if (settings.workerAdmin) {
    // its own server on loopback: never a route of the health server, which may be published
    const dashboard = createQueueDashboard(runtime.queues.all(), { logger });
    const at = await dashboard.listen(settings.workerAdmin.port, settings.workerAdmin.host);
    logger.info({ url: `http://${settings.workerAdmin.host}:${at.port}/` }, 'queue dashboard served (loopback only)');
  }
  guardProcess(logger);
  installSignalHandlers(runtime.shutdown, { logger });
  if (settings.clock.pinnedNow) logger.warn({ now: settings.clock.pinnedNow }, 'clock pinned by KAOPING_NOW');
} catch (e) {
  fatal('worker failed to start', e);
}
