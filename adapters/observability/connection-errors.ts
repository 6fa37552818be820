// One structured, redacted line per connection problem — and during an outage, not one per retry:
// the first error of a client is logged, then at most one line per interval with how many were
// suppressed. Only the error's code and message are logged: never the command or its arguments
// (ioredis puts `AUTH <user> <password>` there), never a URL with its credentials.

/** A connection URL with user and password masked: redis://***:***@host:6379/0. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username) u.username = '***';
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable url)';
  }
}

/** A message with every URL's credentials masked (drivers sometimes quote their connection string). */
export function redactMessage(message: string): string {
  return message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
}

/** Any structured logger (pino, the worker's WorkerLogger). */
export interface LineLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface ErrorLine {
  code?: string | undefined;
  message: string;
}

export function errorLine(e: unknown): ErrorLine {
  const err = e as { code?: unknown; message?: unknown };
  return {
    ...(typeof err?.code === 'string' ? { code: err.code } : {}),
    message: redactMessage(typeof err?.message === 'string' ? err.message : String(e)).slice(0, 300),
  };
}

export interface ConnectionErrorLog {
  (e: unknown): void;
  /** Call when the connection is back: the next error is logged at once again. */
  recovered(): void;
}

/** A rate-limited error logger for one client (`client`: 'redis:producer', 'postgres' …). */
export function connectionErrorLog(
  logger: LineLogger,
  client: string,
  opts: { url?: string; intervalMs?: number; now?: () => number } = {},
): ConnectionErrorLog {
  const interval = opts.intervalMs ?? 30_000;
  const now = opts.now ?? Date.now;
  const url = opts.url ? redactUrl(opts.url) : undefined;
  let last = -Infinity;
  let suppressed = 0;
  const log = ((e: unknown) => {
    const t = now();
    if (t - last < interval) {
      suppressed += 1;
      return;
    }
    last = t;
    logger.warn({ client, ...(url ? { url } : {}), error: errorLine(e), suppressed }, 'connection error');
    suppressed = 0;
  }) as ConnectionErrorLog;
  log.recovered = () => {
    if (last !== -Infinity) logger.info({ client, suppressed }, 'connection recovered');
    last = -Infinity;
    suppressed = 0;
  };
  return log;
}

/** Any emitter of 'error' (and 'ready') events: an ioredis client, a BullMQ queue or worker. */
interface ErrorEmitter {
  on(event: 'error', listener: (e: Error) => void): unknown;
}

/** Attach the rate-limited, redacted error log to a client that emits 'error' (and maybe 'ready'). */
export function watchConnection(
  emitter: ErrorEmitter,
  logger: LineLogger,
  client: string,
  opts: { url?: string; intervalMs?: number } = {},
): ConnectionErrorLog {
  const log = connectionErrorLog(logger, client, opts);
  emitter.on('error', log);
  const withReady = emitter as unknown as { on(event: 'ready', listener: () => void): unknown };
  withReady.on('ready', () => log.recovered());
  return log;
}
