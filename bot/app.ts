// Entry: the bot. Takes its settings from the configuration module (database, queue, rulebook,
// locale, clock, log, slack, dingtalk — a wrong one exits 2 naming it), builds clients, starts
// Bolt (HTTP by default, Socket Mode with SLACK_SOCKET_MODE=1) when Slack is configured and the
// DingTalk robot (Stream mode by default, HTTP callbacks with DINGTALK_MODE=http) when DingTalk
// is: one process, both receivers, the same handlers. Everything below is wired from here.
//
// Operations: the bot's HTTP server (PORT, HOST) answers /healthz, /readyz (PostgreSQL and Redis)
// and /metrics — with Slack it also takes /slack/events, without Slack (DingTalk only) it serves
// just these; connection errors are one redacted line per client per 30 s; an error that slips past
// every handler is logged and the bot keeps serving. It exits non-zero only when it cannot start.
import pino from 'pino';
import { createPrismaClient } from '../prisma/client.ts';
import { PrismaAssessmentStore } from '../prisma/repositories/prisma-assessment-store.ts';
import { ChangeFeed } from '../prisma/change-feed.ts';
import { OpenFormsRepository } from '../prisma/repositories/open-forms.repository.ts';
import { createAssessmentYears, withAssessment } from '../core/assessment-years.ts';
import { loadRulebook } from '../rules/rulebook.ts';
import { loadRulebookYears } from '../rules/rulebook-years.ts';
import { createRedis } from '../adapters/queue/redis-connection.ts';
import { createQueues } from '../adapters/queue/queues.ts';
import { BullLedgerEvents } from '../adapters/queue/ledger-events.adapter.ts';
import { BullReportJobs } from '../adapters/queue/report-jobs.adapter.ts';
import { createSlackApp } from './slack/create-slack-app.ts';
import { createDingTalkBot } from './dingtalk/create-dingtalk-bot.ts';
import { clockFrom } from '../adapters/clock/pinned-clock.ts';
import { settingsOrExit } from '../adapters/config/load-settings.ts';
import { Metrics } from '../adapters/observability/metrics.ts';
import { postgresCheck, redisCheck } from '../adapters/observability/readiness.ts';
import { errorLine, watchConnection } from '../adapters/observability/connection-errors.ts';
import { guardProcess } from '../adapters/observability/process-guard.ts';
import { createOpsServer } from '../adapters/http/ops-server.ts';
import { warmUp } from './warm-up.ts';
import { requestIdMixin } from '../adapters/observability/request-context.ts';

const settings = settingsOrExit('bot');
const logger = pino({
  name: 'kaoping-bot',
  level: settings.log.level ?? 'info',
  // the id of the request being served, on every line (adapters/observability/request-context.ts)
  mixin: requestIdMixin,
  redact: {
    paths: [
      'token',
      'signingSecret',
      '*.token',
      '*.signingSecret',
      'appSecret',
      '*.appSecret',
      '*.cardApiSecret',
      'password',
      '*.password',
    ],
    censor: '***',
  },
});

try {
  const rulebook = loadRulebook(settings.rulebook.id);
  // A connection that cannot be had in 2 s fails the request (answered "unavailable") instead of
  // queueing it behind a dead database.
  const prisma = createPrismaClient(settings.database.url, { pool: { connectionTimeoutMillis: 2_000 } });
  const producer = createRedis(settings.queue.redisUrl, { role: 'producer', name: 'kaoping-bot' });
  watchConnection(producer, logger, 'redis:producer', { url: settings.queue.redisUrl });
  const queues = createQueues(producer, settings.queue.prefix);
  for (const q of queues.all()) watchConnection(q, logger, `queue:${q.name}`);
  const clock = clockFrom(settings.clock.pinnedNow);
  const metrics = new Metrics({ process: 'bot' });
  const slack = settings.slack;
  // Ledger versions, members, channels and published months learned by LISTEN (prisma/change-feed.ts).
  const feed = await ChangeFeed.start(
    { connectionString: settings.database.url, connectionTimeoutMillis: 2_000 },
    { onError: (e, what) => logger.warn({ err: errorLine(e) }, what) },
  );
  const assessment = createAssessmentYears({
    rulebooks: loadRulebookYears(settings.rulebook.id),
    store: new PrismaAssessmentStore(prisma, { feed }),
    clock,
    events: new BullLedgerEvents(queues),
    defaultLocale: settings.locale.default,
    onEventError: (e, event) =>
      logger.warn({ event: event.type, err: errorLine(e) }, 'ledger event not enqueued; the worker will reconcile'),
  });

  const deps = withAssessment(assessment, {
    logger,
    defaultLocale: settings.locale.default,
    metrics,
    // exports and the 通报 document are made by the worker: the command is answered at once
    reportJobs: new BullReportJobs(queues, assessment),
    workerNotices: settings.filingNotices.workerPlatforms,
  });

  // warm before the port opens (bot/warm-up.ts): the first burst after a deploy is the slowest
  await warmUp(assessment, logger);

  const readiness = [postgresCheck(prisma), redisCheck(producer)];
  const { port, host } = settings.botHttp;
  const bot = slack
    ? createSlackApp(deps, {
        token: slack.token.reveal(),
        signingSecret: slack.signingSecret?.reveal() ?? '',
        socketMode: slack.socketMode ? { appToken: slack.socketMode.appToken.reveal() } : undefined,
        slackApiUrl: slack.apiUrl,
        readiness,
      })
    : null;
  if (bot && slack) {
    const url = await bot.start(port, host);
    logger.info({ url, rulebook: rulebook.id, socketMode: Boolean(slack.socketMode) }, 'Slack bot started');
  }
  // without Slack the same health, readiness and metrics endpoints, on the same port
  const ops = slack ? null : createOpsServer({ logger, readiness, metrics });
  if (ops) {
    const at = await ops.listen(port, host);
    logger.info({ url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${at.port}` }, 'health and metrics served');
  }

  const dt = settings.dingtalk;
  const dingtalk = dt
    ? createDingTalkBot(
        deps,
        {
          ...dt,
          appSecret: dt.appSecret.reveal(),
          cardApiSecret: dt.cardApiSecret?.reveal(),
        },
        { openForms: new OpenFormsRepository(prisma) },
      )
    : null;
  if (dingtalk && dt) {
    const url = await dingtalk.start(dt.port);
    logger.info({ url, mode: dt.mode, apiBase: dt.apiBaseUrl, rulebook: rulebook.id }, 'DingTalk bot started');
  }
  if (settings.clock.pinnedNow) logger.warn({ now: settings.clock.pinnedNow }, 'clock pinned by KAOPING_NOW');
  guardProcess(logger);

  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      await bot?.stop().catch(() => undefined);
      await dingtalk?.stop().catch(() => undefined);
      await ops?.close().catch(() => undefined);
      await queues.close().catch(() => undefined);
      producer.disconnect();
      await feed.close();
      await prisma.$disconnect();
      process.exit(0);
    });
  }
} catch (e) {
  logger.fatal({ err: errorLine(e) }, 'bot failed to start');
  process.exit(2);
}
