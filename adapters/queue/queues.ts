// Queue names, job names and their data, job ids and default job options: the worker's contract
// with whoever enqueues (the bot through LedgerEventsPort, the schedules, the processors).

import { Queue, type BackoffStrategy, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { LedgerEvent } from '../../core/assessment-api.ts';
import type { Message } from '../../core/messages/message.ts';
import { MessengerError } from '../../core/ports/messenger.port.ts';
import type { ReportJob } from '../../core/ports/report-jobs.port.ts';
import { assertPrefix } from './queue-prefix.ts';
import { keyString, type NotificationKey } from '../../core/ports/notification-key.ts';

/** BullMQ queue names (no ':' allowed). Keys are `<prefix>:<queue>:…` in Redis. */
export const QUEUE_NAMES = {
  /** Recompute standings when a ledger changes; reconcile stale ledgers. */
  ledger: 'ledger',
  /** Reminder sweeps, month-end reminder checks, reactions to a finding's change. */
  reminders: 'reminders',
  /** Month close checks and month close runs. */
  month: 'month',
  /** One job per message to send (rate limited, retried, exactly-once through the ledger). */
  notify: 'notify',
  /** Reports made for a person and sent to them as files (exports, the 通报 document). */
  reports: 'reports',
} as const;

export type QueueKey = keyof typeof QUEUE_NAMES;
export const QUEUE_KEYS = Object.keys(QUEUE_NAMES) as QueueKey[];

export type FindingEventType = Extract<LedgerEvent, { findingId: string }>['type'];

/** Where a message goes. `scope` is a ChannelBinding scope ('organisers' or a unit's name). */
export type SendTarget =
  | { kind: 'channel'; platform: string; scope: string; channelId: string }
  | { kind: 'private'; platform: string; userId: string; channelId?: string };

export interface SendJobData {
  key: NotificationKey;
  target: SendTarget;
  message: Message;
  /**
   * Take over a stage that was cancelled (claimed, then cancelled by a change to the finding) —
   * for senders that re-planned from current state; the send processor re-checks that the stage
   * is still due right before sending.
   */
  reviveCancelled?: boolean;
}

/** Job name → job data, per queue. */
export interface JobTypes {
  ledger: {
    recompute: { rulebookId: string; year: number; cause: string };
    'reconcile-stale-ledgers': { rulebookId: string };
  };
  reminders: {
    'reminder-sweep': { rulebookId: string };
    'month-end-reminder-check': { rulebookId: string };
    'finding-changed': { rulebookId: string; year: number; findingId: string; event: FindingEventType };
    /** After a filing: post the notice if the bot has not (see processors/finding-notice.processor.ts). */
    'finding-notice': { rulebookId: string; year: number; findingId: string };
  };
  month: {
    'month-close-check': { rulebookId: string };
    /** Close the month if still open, snapshot it and send the summaries (idempotent). */
    'month-close': {
      rulebookId: string;
      year: number;
      month: string;
      cause: 'schedule' | 'event';
      /** Catching up: close and snapshot, send nothing (a later month's notice covers it). */
      silent?: boolean;
      /** Catching up: the earlier months closed silently with this one, named in its notices. */
      catchUp?: string[];
    };
    'month-reopened': { rulebookId: string; year: number; month: string };
    /** A month ('YYYY-MM') or the year's results ('YYYY') was published as `version`: send the 通报. */
    'month-published': { rulebookId: string; year: number; period: string; version: number };
  };
  notify: {
    send: SendJobData;
  };
  reports: {
    /** `delivered`: files already sent, so a retry sends only the rest. */
    report: ReportJob & { rulebookId: string; year: number; delivered?: number };
  };
}

export type JobName<Q extends QueueKey> = keyof JobTypes[Q] & string;
export type JobData<Q extends QueueKey, N extends JobName<Q>> = JobTypes[Q][N];

// ---- job ids -------------------------------------------------------------------------------------

/**
 * A deterministic job id: a kind ('send', 'recompute', … — lower-case letters, digits, '-',
 * starting with a letter) and parts. BullMQ refuses ':' in custom ids and ids that are integers:
 * each part is percent-encoded (':' → %3A, '|' → %7C) and parts are joined with '|', so the id
 * never contains ':', never is an integer (it starts with a letter), and different parts never
 * produce the same id.
 */
export function jobId(kind: string, ...parts: ReadonlyArray<string | number>): string {
  if (!/^[a-z][a-z0-9-]*$/.test(kind))
    throw new Error(`jobId kind must be like 'send' or 'month-close', got ${JSON.stringify(kind)}`);
  return [kind, ...parts]
    .map((p) =>
      encodeURIComponent(String(p)).replace(/[!'()*.~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('|');
}

/** The inverse of jobId() (for logs and tests). */
export function jobIdParts(id: string): string[] {
  return id.split('|').map(decodeURIComponent);
}

export function sendJobId(key: NotificationKey): string {
  return jobId('send', key.subjectType, key.subjectId, key.kind, key.stage, key.recipient);
}

// ---- default job options -------------------------------------------------------------------------

const DAY_S = 24 * 3600;

/** Default options of the jobs in each queue (retries, backoff, retention). */
export const DEFAULT_JOB_OPTIONS: Record<QueueKey, JobsOptions> = {
  ledger: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 3600, count: 500 },
    removeOnFail: { age: 14 * DAY_S },
  },
  reminders: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: 3600, count: 500 },
    removeOnFail: { age: 14 * DAY_S },
  },
  month: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 10_000 },
    removeOnComplete: { age: 7 * DAY_S },
    removeOnFail: { age: 30 * DAY_S },
  },
  // 'messenger' is the custom strategy below: the platform's retryAfter, else exponential.
  notify: {
    attempts: 10,
    backoff: { type: 'messenger', delay: 5_000 },
    removeOnComplete: { age: DAY_S, count: 2000 },
    removeOnFail: { age: 30 * DAY_S },
  },
  // a person waits for it: a few quick retries, then they are told
  reports: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: DAY_S, count: 500 },
    removeOnFail: { age: 14 * DAY_S },
  },
};

export const MESSENGER_BACKOFF_MAX_MS = 15 * 60_000;

/**
 * Backoff for the notify queue (Worker `settings.backoffStrategy`): honours a MessengerError's
 * retryAfter (seconds, from the platform) plus up to 10 % jitter; otherwise `baseMs` (5 s)
 * doubling per attempt, capped at `maxMs` (15 minutes). Returns -1 ("do not retry") for permanent
 * MessengerErrors; the send processor records those as failed and does not throw them anyway.
 */
export function createMessengerBackoff(opts: { baseMs?: number; maxMs?: number } = {}): BackoffStrategy {
  const baseMs = opts.baseMs ?? 5_000;
  const maxMs = opts.maxMs ?? MESSENGER_BACKOFF_MAX_MS;
  return (attemptsMade, _type, err) => {
    const e = err as (Error & { retryAfter?: unknown; permanent?: unknown }) | undefined;
    if (e && (e instanceof MessengerError || e.name === 'MessengerError') && e.permanent === true) return -1;
    const retryAfter = typeof e?.retryAfter === 'number' && e.retryAfter > 0 ? e.retryAfter * 1000 : undefined;
    const base = retryAfter ?? Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), maxMs);
    return Math.round(base * (1 + Math.random() * 0.1));
  };
}

export const messengerBackoff: BackoffStrategy = createMessengerBackoff();

// ---- queues --------------------------------------------------------------------------------------

export interface Queues {
  readonly prefix: string;
  readonly ledger: Queue;
  readonly reminders: Queue;
  readonly month: Queue;
  readonly notify: Queue;
  readonly reports: Queue;
  all(): Queue[];
  /** Typed add: the job name and its data are checked against JobTypes. */
  add<Q extends QueueKey, N extends JobName<Q>>(
    queue: Q,
    name: N,
    data: JobData<Q, N>,
    opts?: JobsOptions,
  ): Promise<string | undefined>;
  /** Closes the Queue objects (not the connection, which the caller owns). */
  close(): Promise<void>;
}

/**
 * The queues on one connection (a producer or command connection; see connection.ts) with
 * the given key prefix. The connection is shared, not owned: close it after `close()`.
 */
export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  assertPrefix(prefix);
  const make = (key: QueueKey) =>
    new Queue(QUEUE_NAMES[key], { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS[key] });
  const queues = {
    ledger: make('ledger'),
    reminders: make('reminders'),
    month: make('month'),
    notify: make('notify'),
    reports: make('reports'),
  };
  return {
    prefix,
    ...queues,
    all: () => Object.values(queues),
    async add(queue, name, data, opts) {
      const job = await queues[queue].add(name, data, opts);
      return job.id;
    },
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

// ---- what each ledger event enqueues -----------------------------------------------------------

export interface PlannedJob {
  queue: QueueKey;
  name: string;
  data: unknown;
  opts: JobsOptions;
}

function planned<Q extends QueueKey, N extends JobName<Q>>(
  queue: Q,
  name: N,
  data: JobData<Q, N>,
  opts: JobsOptions,
): PlannedJob {
  return { queue, name, data, opts };
}

/** Quiet time after the last change before a ledger is recomputed. */
export const RECOMPUTE_DEBOUNCE_MS = 500;

/**
 * Recompute a ledger: bursts collapse into one run, never two at once for the same ledger.
 * Debounced on the trailing edge: every change while the run is still delayed pushes it back by
 * RECOMPUTE_DEBOUNCE_MS (`reschedule`), so an import of 100 findings costs one or two runs; a change
 * while it runs is kept for one more run after it (`keepLastIfActive`). A stream of changes that
 * never pauses for half a second would keep postponing it: the reconcile schedule (every 10
 * minutes) bounds that staleness.
 */
export function recomputeJob(rulebookId: string, year: number, cause: string): PlannedJob {
  return planned(
    'ledger',
    'recompute',
    { rulebookId, year, cause },
    {
      delay: RECOMPUTE_DEBOUNCE_MS,
      deduplication: { id: jobId('recompute', rulebookId, year), keepLastIfActive: true, reschedule: true },
    },
  );
}

/**
 * The jobs a committed change enqueues. Every job is idempotent and re-reads PostgreSQL, so a
 * duplicate event is harmless and a lost one is repaired by the reconcile schedule.
 */
export function jobsForLedgerEvent(event: LedgerEvent): PlannedJob[] {
  const recompute = recomputeJob(event.rulebookId, event.year, event.type);
  switch (event.type) {
    case 'finding.filed':
    case 'finding.withdrawn':
    case 'finding.deadline_changed':
    case 'rectification.submitted':
    case 'rectification.verified':
    case 'rectification.rejected':
      return [
        recompute,
        planned(
          'reminders',
          'finding-changed',
          { rulebookId: event.rulebookId, year: event.year, findingId: event.findingId, event: event.type },
          {
            // Several changes to one finding in quick succession: one run that sees the latest state.
            deduplication: { id: jobId('finding-changed', event.findingId), keepLastIfActive: true },
          },
        ),
      ];
    // Appeals and extension requests change how a finding counts or is shown, not its reminders
    // (an approved extension or a withdrawal ruling is published as a deadline change / withdrawal).
    case 'appeal.filed':
    case 'appeal.ruled':
    case 'appeal.reopened':
    case 'extension.requested':
    case 'extension.refused':
      return [recompute];
    case 'month.closed':
      return [
        recompute,
        planned(
          'month',
          'month-close',
          { rulebookId: event.rulebookId, year: event.year, month: event.month, cause: 'event' },
          {
            deduplication: { id: jobId('month-close', event.rulebookId, event.month), keepLastIfActive: true },
          },
        ),
      ];
    // A batch: the recompute only. Its open findings get their reminders from the sweep; a notice
    // per imported finding would flood the units' channels.
    case 'findings.imported':
      return [recompute];
    case 'month.reopened':
      return [
        recompute,
        planned('month', 'month-reopened', { rulebookId: event.rulebookId, year: event.year, month: event.month }, {}),
      ];
    case 'period.published':
      return [
        planned(
          'month',
          'month-published',
          { rulebookId: event.rulebookId, year: event.year, period: event.period, version: event.version },
          { jobId: jobId('month-published', event.rulebookId, event.period, event.version) },
        ),
      ];
  }
}

/** Enqueue planned jobs. */
export async function enqueue(queues: Queues, jobs: readonly PlannedJob[]): Promise<void> {
  await Promise.all(jobs.map((j) => queues[j.queue].add(j.name, j.data, j.opts)));
}

/**
 * Enqueue send jobs under their deterministic ids (sendJobId). While a job for a notification is
 * waiting, delayed or active, adding it again is a no-op, so overlapping sweeps enqueue it once;
 * completed send jobs are removed at once, so a notification that was not due when its job ran
 * (the finding changed meanwhile) can be planned again later. The notification ledger, not the
 * job id, is what makes a notification go out at most once over time.
 */
export async function enqueueSends(
  queues: Queues,
  sends: readonly SendJobData[],
  opts: { chunk?: number } = {},
): Promise<number> {
  if (sends.length === 0) return 0;
  const chunk = opts.chunk ?? 500;
  for (let i = 0; i < sends.length; i += chunk) {
    await queues.notify.addBulk(
      sends.slice(i, i + chunk).map((data) => ({
        name: 'send',
        data,
        opts: { ...DEFAULT_JOB_OPTIONS.notify, jobId: sendJobId(data.key), removeOnComplete: true },
      })),
    );
  }
  return sends.length;
}

/**
 * Enqueue the sends whose notification is not settled yet (sent or failed): a sweep every quarter
 * hour over thousands of open findings plans the same due stages again and again, and re-sending
 * a settled one would only be refused by the ledger. Returns how many were enqueued.
 */
export async function enqueueUnsettled(
  queues: Queues,
  ledger: { settledAmong(keys: readonly NotificationKey[]): Promise<Set<string>> },
  sends: readonly SendJobData[],
): Promise<number> {
  if (sends.length === 0) return 0;
  const settled = await ledger.settledAmong(sends.map((s) => s.key));
  return enqueueSends(queues, settled.size === 0 ? sends : sends.filter((s) => !settled.has(keyString(s.key))));
}
