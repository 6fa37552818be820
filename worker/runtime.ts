// The worker, assembled: Redis connections, the four queues, a BullMQ Worker per queue with its
// processors, the schedules, the send path (rate limiter → notification ledger → messenger) and
// graceful shutdown. worker/main.ts builds the options from the environment and the store's
// repositories (the ports); tests build them with an injected clock, their own messengers and
// short timings. Reads no environment and knows no database client itself.

import { Worker, type BackoffStrategy, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createAssessmentYears } from '../core/assessment-years.ts';
import { DEFAULT_LOCALE, type Locale } from '../core/i18n/locale.ts';
import type { ClockPort } from '../core/ports/clock.port.ts';
import type { MessengerPort } from '../core/ports/messenger.port.ts';
import type { Rulebook } from '../rules/rulebook.ts';
import { createRedis, redactRedisUrl } from '../adapters/queue/redis-connection.ts';
import { watchConnection } from '../adapters/observability/connection-errors.ts';
import type { Metrics } from '../adapters/observability/metrics.ts';
import {
  DEFAULT_PUBLISH_POLICY,
  errorMessage,
  silentLogger,
  workerActor,
  type PublishPolicy,
  type WorkerDeps,
  type WorkerLogger,
  type WorkerPorts,
} from './context.ts';
import { createDueCheck } from './due-check.ts';
import { BullLedgerEvents } from '../adapters/queue/ledger-events.adapter.ts';
import { deliveryAlertMessage, notificationWhat } from './messages.ts';
import { NOTIFICATION_KINDS, NotificationLedger, channelRecipient } from './notification-ledger.ts';
import { createQueueProcessors } from './processors/index.ts';
import { createSendProcessor } from './processors/send.processor.ts';
import {
  QUEUE_KEYS,
  QUEUE_NAMES,
  createQueues,
  enqueueSends,
  messengerBackoff,
  type QueueKey,
  type Queues,
  type SendJobData,
} from '../adapters/queue/queues.ts';
import { PLATFORM_LIMITS, RateLimiter, type RateLimit } from './rate-limiter.ts';
import { ORGANISERS_SCOPE } from './recipients.ts';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from './reminder-plan.ts';
import { upsertSchedules } from './schedules.ts';
import { createShutdown, type Shutdown, type ShutdownResources } from './shutdown.ts';

export interface WorkerRuntimeOptions {
  redisUrl: string;
  /** BullMQ and rate-limiter key prefix (one per deployment; tests: one per file). */
  prefix: string;
  /** The store, as core's ports (the notification lease is the ledger repository's setting). */
  ports: WorkerPorts;
  rulebook: Rulebook;
  /**
   * Every assessment year served, oldest first, all with `rulebook`'s id (rules/rulebook-years.ts's
   * loadRulebookYears); default: `rulebook`'s year alone.
   */
  rulebooks?: readonly Rulebook[];
  clock: ClockPort;
  /** Messenger per platform: messages go to every platform listed here. */
  messengers: Readonly<Record<string, MessengerPort>>;
  settings?: ReminderSettings;
  locale?: Locale;
  publish?: PublishPolicy;
  /** Publish each month at close, without the organisers' review (KAOPING_AUTO_PUBLISH; default false). */
  autoPublish?: boolean;
  /**
   * Go-live date (YYYY-MM-DD, KAOPING_START_DATE): months that ended before it close silently.
   * Default: the deployment's stored first set-up day (core/ports/deployment.port.ts).
   */
  startDate?: string;
  /** Default 2 minutes; null: the worker never posts filing notices (the bot always does). */
  noticeGraceMs?: number | null;
  /** Publishing a period also sends the organisers' channel the 通报 as .docx with its charts (default true). */
  bulletinDocuments?: boolean;
  /** Per-platform, per-channel rate limits (default PLATFORM_LIMITS). */
  limits?: Readonly<Record<string, readonly RateLimit[]>>;
  concurrency?: Partial<Record<QueueKey, number>>;
  /** BullMQ lock/stall timings (defaults: BullMQ's 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Backoff of the notify queue (default messengerBackoff). */
  backoff?: BackoffStrategy;
  maxInProcessWaitMs?: number;
  busyRecheckMs?: number;
  /** Upsert the schedulers and run each once now (default true). */
  schedules?: boolean;
  /** Start the BullMQ workers at once (default true). */
  autorun?: boolean;
  logger?: WorkerLogger;
  /** Shutdown grace period for active jobs (default 25 s). */
  graceMs?: number;
  /** The store's client, disconnected at shutdown after the queues (pass it when the worker owns it;
   * tests usually do not). */
  database?: { $disconnect(): Promise<void> };
  /** Prometheus counters: jobs by queue and state, notification outcomes, rate-limiter waits. */
  metrics?: Metrics;
}

export interface WorkerRuntime {
  readonly deps: WorkerDeps;
  readonly queues: Queues;
  readonly workers: Readonly<Record<QueueKey, Worker>>;
  readonly limiter: RateLimiter;
  readonly shutdown: Shutdown;
  /** Graceful stop (same as SIGTERM): resolves true when every step was clean. */
  close(reason?: string): Promise<boolean>;
}

const DEFAULT_CONCURRENCY: Record<QueueKey, number> = { ledger: 1, reminders: 2, month: 1, notify: 8, reports: 1 };

export async function startWorkerRuntime(o: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const logger = o.logger ?? silentLogger;
  const settings = o.settings ?? DEFAULT_REMINDER_SETTINGS;
  const resources: { -readonly [K in keyof ShutdownResources]: ShutdownResources[K] } = {};
  const shutdown = createShutdown(resources, { logger, ...(o.graceMs === undefined ? {} : { graceMs: o.graceMs }) });

  const command = createRedis(o.redisUrl, { role: 'command', name: 'kaoping-worker-cmd' });
  const redis: Redis[] = [command];
  // one redacted line per client per 30 s during an outage (never the command's arguments)
  watchConnection(command, logger, 'redis:commands', { url: o.redisUrl });
  const queues = createQueues(command, o.prefix);
  for (const q of queues.all()) watchConnection(q, logger, `queue:${q.name}`);

  const { store } = o.ports;
  const assessment = createAssessmentYears({
    rulebooks: o.rulebooks ?? [o.rulebook],
    store,
    clock: o.clock,
    events: new BullLedgerEvents(queues),
    onEventError: (e, event) =>
      logger.warn(
        { event: event.type, err: errorMessage(e) },
        'ledger event not enqueued; the reconcile pass repairs it',
      ),
  });
  const ledger = new NotificationLedger(o.ports.ledger);
  const limiter = new RateLimiter(command, o.prefix, o.limits ?? PLATFORM_LIMITS, {
    onWait: (ms) => {
      o.metrics?.rateLimiterWaits.inc();
      o.metrics?.rateLimiterWaitSeconds.observe(ms / 1000);
    },
  });
  const locale = o.locale ?? DEFAULT_LOCALE;
  // Go-live: the configured date, else the stored first set-up day (today, the first time).
  const startDate = o.startDate ?? (await o.ports.deployment.startDate(assessment.today()));
  if (o.startDate === undefined) logger.info({ startDate }, 'go-live date');
  const deps: WorkerDeps = {
    assessments: new Map([[o.rulebook.id, assessment]]),
    store,
    ledger: o.ports.ledger,
    snapshots: o.ports.snapshots,
    recipients: o.ports.recipients,
    months: o.ports.months,
    deployment: o.ports.deployment,
    startDate,
    clock: o.clock,
    queues,
    platforms: Object.keys(o.messengers),
    messengers: o.messengers,
    settings,
    locale,
    publish: o.publish ?? DEFAULT_PUBLISH_POLICY,
    autoPublish: o.autoPublish ?? false,
    noticeGraceMs: o.noticeGraceMs === undefined ? 120_000 : o.noticeGraceMs,
    bulletinDocuments: o.bulletinDocuments ?? true,
    logger,
  };

  /** A message settled as not delivered: tell the organisers once (unless it was to them). */
  const onUndelivered = async (
    data: SendJobData,
    outcome: { status: 'failed' | 'unknown-outcome'; lastError: string | null },
  ) => {
    const { key, target } = data;
    o.metrics?.notifications.inc({ outcome: outcome.status === 'failed' ? 'failed' : 'unknown' });
    logger.warn({ key, status: outcome.status, lastError: outcome.lastError }, 'message not delivered');
    if (target.kind === 'channel' && target.scope === ORGANISERS_SCOPE) return;
    const organisers = await assessment.membership.channelFor(workerActor(locale), {
      platform: target.platform,
      scope: ORGANISERS_SCOPE,
    });
    if (!organisers.ok) throw organisers.error;
    const channelId = organisers.value;
    if (!channelId) return;
    const where = target.kind === 'channel' ? target.scope : `@${target.userId}`;
    await enqueueSends(queues, [
      {
        key: {
          subjectType: key.subjectType,
          subjectId: key.subjectId,
          kind: 'delivery-alert',
          stage: `${key.kind}/${key.stage}/${key.recipient}`,
          recipient: channelRecipient(target.platform, ORGANISERS_SCOPE),
        },
        target: { kind: 'channel', platform: target.platform, scope: ORGANISERS_SCOPE, channelId },
        message: deliveryAlertMessage(locale, {
          what: notificationWhat(locale, key.kind, key.stage),
          target: where,
          reason: outcome.lastError ?? '',
          unknown: outcome.status === 'unknown-outcome',
        }),
      },
    ]);
  };
  /** The notice the worker posted becomes the finding's notice (the bot updates it later). */
  const onSent = async (data: SendJobData, ref: string | null) => {
    o.metrics?.notifications.inc({ outcome: 'sent' });
    if (data.key.kind !== NOTIFICATION_KINDS.findingNotice || !ref) return;
    const recorded = await assessment.findings.recordNotice(workerActor(locale), {
      findingId: data.key.subjectId,
      ref,
    });
    if (!recorded.ok) throw recorded.error;
  };

  const processors = createQueueProcessors(deps);
  const send = createSendProcessor({
    ledger,
    limiter,
    messengers: o.messengers,
    signal: shutdown.signal,
    stillDue: createDueCheck(deps),
    onSent,
    onUndelivered,
    ...(o.maxInProcessWaitMs === undefined ? {} : { maxInProcessWaitMs: o.maxInProcessWaitMs }),
    ...(o.busyRecheckMs === undefined ? {} : { busyRecheckMs: o.busyRecheckMs }),
  });

  const concurrency = { ...DEFAULT_CONCURRENCY, ...o.concurrency };
  const workers = {} as Record<QueueKey, Worker>;
  for (const key of QUEUE_KEYS) {
    const conn = createRedis(o.redisUrl, { role: 'worker', name: `kaoping-worker-${key}` });
    watchConnection(conn, logger, `redis:worker:${key}`, { url: o.redisUrl });
    redis.push(conn);
    const processor =
      key === 'notify' ? (job: Job, token?: string) => send(job as Job<SendJobData>, token) : processors[key];
    const w = new Worker(QUEUE_NAMES[key], processor, {
      connection: conn,
      prefix: o.prefix,
      concurrency: concurrency[key],
      autorun: o.autorun ?? true,
      ...(o.lockDurationMs === undefined ? {} : { lockDuration: o.lockDurationMs }),
      ...(o.stalledIntervalMs === undefined ? {} : { stalledInterval: o.stalledIntervalMs }),
      ...(key === 'notify' ? { settings: { backoffStrategy: o.backoff ?? messengerBackoff } } : {}),
    });
    watchConnection(w, logger, `worker:${key}`);
    w.on('completed', () => o.metrics?.jobs.inc({ queue: key, state: 'completed' }));
    w.on('failed', (job, e) => {
      o.metrics?.jobs.inc({ queue: key, state: 'failed' });
      logger.warn(
        { queue: key, job: job?.id, name: job?.name, attemptsMade: job?.attemptsMade, err: errorMessage(e) },
        'job failed',
      );
    });
    workers[key] = w;
  }

  resources.workers = QUEUE_KEYS.map((k) => workers[k]);
  resources.closables = [queues];
  resources.redis = redis;
  if (o.database) resources.prisma = o.database;

  if (o.schedules ?? true) {
    const r = await upsertSchedules(queues, { rulebookId: o.rulebook.id, settings, runOnStart: true });
    logger.info({ upserted: r.upserted, removed: r.removed }, 'schedules in place');
  }
  logger.info(
    {
      redis: redactRedisUrl(o.redisUrl),
      prefix: o.prefix,
      rulebook: o.rulebook.id,
      platforms: deps.platforms,
      concurrency,
    },
    'worker started',
  );

  return { deps, queues, workers, limiter, shutdown, close: (reason = 'close') => shutdown(reason) };
}
