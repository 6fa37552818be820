import type { Actor } from '../core/assessment-api.ts';
import type { Assessment } from '../core/assessment.ts';
import type { AppError, Result } from '../core/errors.ts';
import type { Locale } from '../core/i18n/locale.ts';
import type { Message } from '../core/messages/message.ts';
import type { MessengerPort } from '../core/ports/messenger.port.ts';
import type { ReportJobsPort } from '../core/ports/report-jobs.port.ts';
import type { Logger } from 'pino';
import type { Metrics } from '../adapters/observability/metrics.ts';
import type { WorkLimiter } from './work-limiter.ts';

/**
 * What every command handler gets, whichever messenger it came from: who is asking, in which
 * language, and how to answer. Slack listeners and the console build one per request, so the same
 * handlers (bot/handlers/) run on both.
 */
export interface Interaction {
  platform: string;
  userId: string;
  channelId: string | null;
  /** The resolved member, or AUTH.UNKNOWN_MEMBER for people kaoping does not know. */
  actor: Result<Actor, AppError>;
  locale: Locale;
  /** A reply only the asking user sees (Slack: ephemeral via response_url; console: printed). */
  replyPrivately(message: Message): Promise<void>;
  /** Posting elsewhere: unit group channels, DMs, message updates, home tabs. */
  messenger: MessengerPort;
  /** A key unique to this request and equal on its retries (Slack: trigger_id; console: a counter). */
  requestKey: string;
  /** The receiver's id of this request (logs; its start is quoted to the person on failure). */
  requestId?: string | undefined;
}

/** The assessment's use cases by area (deps.findings, deps.queries, …), and what the bot adds. */
export interface BotDeps extends Assessment {
  logger: Logger;
  /** Language for people without a preference (KAOPING_LOCALE, default zh-CN). */
  defaultLocale: Locale;
  /** Prometheus counters (the Slack bot); absent in the console. */
  metrics?: Metrics | undefined;
  /** Where long reports are made (the worker); absent at the console, which makes them itself. */
  reportJobs?: ReportJobsPort | undefined;
  /** Bounds the handlers working at once after their acknowledgement (the Slack bot). */
  work?: WorkLimiter | undefined;
  /**
   * The platforms whose new findings' notices the worker posts (KAOPING_FILING_NOTICES=worker, on
   * the platforms of KAOPING_MESSENGER): there the bot only answers the filer, and the worker posts
   * the notice from the filing's queued event (a filing the queue refused is announced by the bot,
   * as before). Elsewhere (the default: none) the bot posts it before answering.
   */
  workerNotices?: readonly string[] | undefined;
}
