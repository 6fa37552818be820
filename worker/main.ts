// Entry: `npm run worker`. The only worker file that reads process.env. Builds the messengers, the
// clock and the settings from the environment and starts worker/runtime.ts; SIGTERM / SIGINT stop
// it gracefully.
//
//   DATABASE_URL, REDIS_URL, KAOPING_QUEUE_PREFIX      where (prisma/client.ts, connection.ts)
//   KAOPING_RULEBOOK=hz-2017                            the assessment year served
//   KAOPING_MESSENGER=slack|console                     slack (default) needs SLACK_BOT_TOKEN
//                                                       (SLACK_API_URL overrides the API base);
//                                                       console prints every message here
//   KAOPING_NOW=2017-09-29T10:00:00+08:00               rehearse a past year (bot/clock-from-env.ts)
//   KAOPING_LOCALE=zh-CN|en                             language of channel messages
//   KAOPING_OFFICE_HOURS=09:00-18:00                    when reminders may go out
//   KAOPING_PUBLISH=advanced,own|advanced|own|none      what group channels see at month close
//   KAOPING_NOTICE_GRACE_S=120|off                      post the filing notice the bot did not
//   LOG_LEVEL=info

import { webApi } from '@slack/bolt';
import pino from 'pino';
import { ConsoleMessenger } from '../adapters/messenger/console/console-messenger.adapter.ts';
import { SlackMessenger } from '../adapters/messenger/slack/slack-messenger.adapter.ts';
import { clockFrom } from '../adapters/clock/pinned-clock.ts';
import { toLocale } from '../core/i18n/locale.ts';
import type { MessengerPort } from '../core/ports/messenger.port.ts';
import { createPrismaClient, databaseUrlFrom } from '../prisma/client.ts';
import { loadRulebook } from '../rules/rulebook.ts';
import { workerConfigFrom } from '../adapters/queue/redis-connection.ts';
import type { PublishPolicy } from './context.ts';
import { reminderSettings } from './reminder-plan.ts';
import { startWorkerRuntime } from './runtime.ts';
import { installSignalHandlers } from './shutdown.ts';

const env = process.env;
const logger = pino({
  name: 'kaoping-worker',
  level: env.LOG_LEVEL ?? 'info',
  // never log credentials, whatever object they travel in
  redact: {
    paths: ['token', '*.token', 'password', '*.password', 'headers.authorization', '*.headers.authorization'],
    censor: '***',
  },
});

function fatal(msg: string, err?: unknown): never {
  logger.fatal(err === undefined ? {} : { err: err instanceof Error ? err.message : String(err) }, msg);
  process.exit(2);
}

function messengerFromEnv(): MessengerPort {
  const kind = (env.KAOPING_MESSENGER ?? 'slack').trim().toLowerCase();
  if (kind === 'console') return new ConsoleMessenger({ out: process.stdout });
  if (kind !== 'slack') fatal(`KAOPING_MESSENGER must be slack or console, got ${JSON.stringify(kind)}`);
  const token = env.SLACK_BOT_TOKEN;
  if (!token) fatal('SLACK_BOT_TOKEN is not set (or run with KAOPING_MESSENGER=console to print messages here)');
  // No WebClient retries: a retried chat.postMessage after a timeout could post twice. BullMQ
  // retries transient errors through the notification ledger instead, and a 429 comes back at once
  // with its Retry-After (rejectRateLimitedCalls) for the job's backoff to honour.
  const client = new webApi.WebClient(token, {
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 15_000,
    logLevel: webApi.LogLevel.ERROR,
  });
  return new SlackMessenger(client);
}

function officeHoursFromEnv(): { start: string; end: string } | undefined {
  const v = env.KAOPING_OFFICE_HOURS?.trim();
  if (!v) return undefined;
  const m = /^(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})$/.exec(v);
  if (!m) fatal(`KAOPING_OFFICE_HOURS must look like 09:00-18:00, got ${JSON.stringify(v)}`);
  return { start: m[1]!, end: m[2]! };
}

function publishFromEnv(): PublishPolicy | undefined {
  const v = env.KAOPING_PUBLISH?.trim();
  if (!v) return undefined;
  const parts = new Set(v.split(',').map((s) => s.trim()));
  for (const p of parts)
    if (!['advanced', 'own', 'none'].includes(p))
      fatal(`KAOPING_PUBLISH takes advanced, own or none, got ${JSON.stringify(v)}`);
  return { advancedUnits: parts.has('advanced'), ownResult: parts.has('own') };
}

function noticeGraceFromEnv(): number | null | undefined {
  const v = env.KAOPING_NOTICE_GRACE_S?.trim();
  if (!v) return undefined;
  if (v === 'off') return null;
  const s = Number(v);
  if (!Number.isFinite(s) || s < 0) fatal(`KAOPING_NOTICE_GRACE_S must be seconds or off, got ${JSON.stringify(v)}`);
  return s * 1000;
}

try {
  const config = workerConfigFrom(env);
  const rulebook = loadRulebook(env.KAOPING_RULEBOOK?.trim() || 'hz-2017');
  const messenger = messengerFromEnv();
  const officeHours = officeHoursFromEnv();
  const settings = reminderSettings(officeHours ? { officeHours } : {});
  const publish = publishFromEnv();
  const noticeGraceMs = noticeGraceFromEnv();
  const prisma = createPrismaClient(databaseUrlFrom(env));
  const runtime = await startWorkerRuntime({
    redisUrl: config.redisUrl,
    prefix: config.prefix,
    prisma,
    rulebook,
    clock: clockFrom(env.KAOPING_NOW),
    messengers: { [messenger.platform]: messenger },
    settings,
    locale: toLocale(env.KAOPING_LOCALE),
    ...(publish ? { publish } : {}),
    ...(noticeGraceMs === undefined ? {} : { noticeGraceMs }),
    logger,
    disconnectPrisma: true,
  });
  installSignalHandlers(runtime.shutdown, { logger });
  if (env.KAOPING_NOW) logger.warn({ now: env.KAOPING_NOW }, 'clock pinned by KAOPING_NOW');
} catch (e) {
  fatal('worker failed to start', e);
}
