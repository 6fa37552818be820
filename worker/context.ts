// What every processor needs, built once per worker process by worker/runtime.ts (tests build it
// with an injected clock and their own messengers). Nothing here reads process.env.

import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { type Actor, systemActor } from '../core/assessment-api.ts';
import type { Assessment } from '../core/assessment.ts';
import { DEFAULT_LOCALE, type Locale } from '../core/i18n/locale.ts';
import type { AssessmentStore } from '../core/ports/assessment-store.port.ts';
import type { ClockPort } from '../core/ports/clock.port.ts';
import type { MessengerPort } from '../core/ports/messenger.port.ts';
import type { DeploymentPort } from '../core/ports/deployment.port.ts';
import type { MonthStatePort } from '../core/ports/month-state.port.ts';
import type { NotificationLedgerPort } from '../core/ports/notification-ledger.port.ts';
import type { RecipientDirectoryPort } from '../core/ports/recipient-directory.port.ts';
import type { StandingSnapshotsPort } from '../core/ports/standing-snapshots.port.ts';
import type { Standings } from '../rules/engine/types.ts';
import type { Queues } from '../adapters/queue/queues.ts';
import type { ReminderSettings } from './reminder-plan.ts';

/** One assessment year the worker serves: its rulebook and core's use cases over it. */
export type { Assessment } from '../core/assessment.ts';

/** The worker acts as the system: audited as `system:worker`, with the organiser's rights. */
export const SYSTEM_WORKER = 'worker';

export function workerActor(locale: Locale = DEFAULT_LOCALE): Actor {
  return systemActor(SYSTEM_WORKER, locale);
}

/** The engine's standings of every unit as of a day, asked as the worker. */
export async function standingsAsOf(a: Assessment, day: string): Promise<Standings> {
  const r = await a.queries.standingsAsOf(workerActor(), day);
  if (!r.ok) throw new Error(`standings as of ${day} refused to the worker: ${r.error.message}`);
  return r.value;
}

/**
 * What group channels see when a month closes (the office's choice). Each unit's own detail
 * always goes privately to its contacts, and no channel ever sees another unit's breakdown.
 */
export interface PublishPolicy {
  /** Names of the advanced units of every group. Default true. */
  advancedUnits: boolean;
  /** The unit's own total and rank, in its own channel. Default true. */
  ownResult: boolean;
}

export const DEFAULT_PUBLISH_POLICY: PublishPolicy = Object.freeze({ advancedUnits: true, ownResult: true });

/** The subset of a pino logger the worker uses (pino's Logger satisfies it). */
export interface WorkerLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: WorkerLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The store behind the worker, as core's ports. worker/main.ts builds them from
 * prisma/repositories (createRepositories); tests and the bench do the same with their own client.
 */
export interface WorkerPorts {
  store: AssessmentStore;
  ledger: NotificationLedgerPort;
  snapshots: StandingSnapshotsPort;
  recipients: RecipientDirectoryPort;
  months: MonthStatePort;
  deployment: DeploymentPort;
}

export interface WorkerDeps extends WorkerPorts {
  /**
   * By rulebook id: all its assessment years (core/assessment-years.ts; `forYear` picks one). A job
   * for a rulebook or year the worker does not serve is refused (unrecoverable).
   */
  assessments: ReadonlyMap<string, Assessment>;
  clock: ClockPort;
  queues: Queues;
  /** Platforms the worker has a messenger for ('slack', 'console', …): messages go to each. */
  platforms: readonly string[];
  /** The messengers by platform, for what is not a ledger-tracked message (report files). */
  messengers?: Readonly<Record<string, MessengerPort>>;
  /** Publishing a period also sends the organisers' channel the 通报 document and its charts. */
  bulletinDocuments?: boolean;
  settings: ReminderSettings;
  /** Language of channel messages (read by many); private messages use the member's own. */
  locale: Locale;
  publish: PublishPolicy;
  /**
   * true: a month is published when it closes (the 通报 goes out at once, ties at the cut announced
   * as ties). false: the close sends the organisers a draft; the 通报 goes out when they publish.
   */
  autoPublish: boolean;
  /**
   * How long after a filing the worker waits for the bot's own notice before posting one itself
   * (findings filed by import, or whose notice the bot could not post). null: never.
   */
  noticeGraceMs: number | null;
  /** Go-live (YYYY-MM-DD): months that ended before it close silently (core/ports/deployment.port.ts). */
  startDate: string;
  logger: WorkerLogger;
}

/**
 * The assessment a job is about — its year's when the job names one, else all years (routed by
 * each call's arguments) — or an UnrecoverableError (retrying cannot help).
 */
export function assessmentFor(deps: Pick<WorkerDeps, 'assessments'>, rulebookId: string, year?: number): Assessment {
  const a = deps.assessments.get(rulebookId);
  if (!a)
    throw new UnrecoverableError(
      `this worker does not serve rulebook ${JSON.stringify(rulebookId)} (serves: ${[...deps.assessments.keys()].join(', ') || 'none'})`,
    );
  if (year === undefined) return a;
  const y = a.forYear(year);
  if (!y)
    throw new UnrecoverableError(`rulebook ${rulebookId} has no ${year} assessment (years: ${a.years.join(', ')})`);
  return y;
}

/** Each assessment year the worker holds for the rulebook, oldest first (the turn of the year: two). */
export function assessmentYears(a: Assessment): Assessment[] {
  return a.years.flatMap((y) => a.forYear(y) ?? []);
}

/** Parse a job's data with its schema; bad data is never retried. */
export function parseJobData<S extends z.ZodType>(
  schema: S,
  job: { name: string; id?: string | undefined; data: unknown },
): z.infer<S> {
  const r = schema.safeParse(job.data);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ');
    throw new UnrecoverableError(`job ${job.name} ${job.id ?? ''}: bad data: ${issues}`);
  }
  return r.data;
}

export const rulebookIdSchema = z.string().min(1).max(100);
export const yearSchema = z.number().int().min(2000).max(2100);
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

/** Today's civil date in the assessment's time zone, clamped into its year (the as-of of live standings). */
export function asOfToday(a: Assessment): string {
  const today = a.today();
  const first = `${a.year}-01-01`,
    last = `${a.year}-12-31`;
  return today < first ? first : today > last ? last : today;
}

/** The last calendar day of 'YYYY-MM' (the as-of of a month's snapshot). */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The twelve months of a year, 'YYYY-01' … 'YYYY-12'. */
/**
 * Whether a day lies in a month that ended before go-live: such months are closed silently, and
 * their findings get no worker notice or reminder (lifecycle.md "Go-live").
 */
export function beforeGoLive(startDate: string, day: string): boolean {
  return monthEnd(day.slice(0, 7)) < startDate;
}

export function monthsOf(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
