// Graceful shutdown on SIGTERM / SIGINT: stop taking jobs, let the active ones finish (bounded),
// then close queues, Redis connections and Prisma — in that order, each step at most once.
//
// What an interrupted job costs: a worker closed by force (timeout) leaves its active jobs to
// BullMQ's stalled-job check, which hands them to another worker. A send job interrupted before
// its platform call is retried; one interrupted during the call is resolved by the notification
// ledger as "outcome unknown" and not resent (see core/ports/notification-ledger.port.ts).

export interface ClosableWorker {
  readonly name?: string;
  /** BullMQ Worker.close(): waits for the active jobs. (A later close(true) would only join the
   * first call in BullMQ 6, so there is no "force" step: past the grace period we stop waiting.) */
  close(force?: boolean): Promise<void>;
}

export interface Closable {
  close(): Promise<unknown>;
}

export interface QuittableRedis {
  readonly status?: string;
  quit(): Promise<unknown>;
  disconnect(): void;
  once?(event: 'end', listener: () => void): unknown;
}

export interface ShutdownResources {
  workers?: readonly ClosableWorker[];
  /** Queues, QueueEvents, the Queues bundle, HTTP servers … closed after the workers. */
  closables?: ReadonlyArray<Closable & { name?: string }>;
  redis?: readonly QuittableRedis[];
  prisma?: { $disconnect(): Promise<void> };
}

/** The subset of a pino logger used here. */
export interface ShutdownLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const silent: ShutdownLogger = { info() {}, warn() {}, error() {} };

export interface ShutdownOptions {
  logger?: ShutdownLogger;
  /** How long active jobs may take to finish before workers are closed by force. Default 25 s
   * (below the usual 30 s SIGKILL grace period of systemd and Kubernetes). */
  graceMs?: number;
}

export interface Shutdown {
  /** Start (or join) the shutdown; resolves true when every step succeeded. */
  (reason: string): Promise<boolean>;
  /** Aborted when shutdown starts: pass to in-process waits (rate limiter, sleeps). */
  readonly signal: AbortSignal;
  readonly started: boolean;
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref?.();
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });

export function createShutdown(resources: ShutdownResources, opts: ShutdownOptions = {}): Shutdown {
  const log = opts.logger ?? silent;
  const graceMs = opts.graceMs ?? 25_000;
  const controller = new AbortController();
  let running: Promise<boolean> | null = null;

  const run = async (reason: string): Promise<boolean> => {
    const t0 = Date.now();
    log.info({ reason }, 'worker shutting down');
    controller.abort(new Error(`shutting down: ${reason}`));
    let ok = true;
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (e) {
        ok = false;
        log.error({ err: e, step: what }, 'shutdown step failed');
      }
    };

    // 1. Workers: stop fetching, wait for the active jobs — at most graceMs. Past that we stop
    //    waiting and close the connections under them; the process exits and BullMQ's stalled
    //    check hands their jobs to another worker.
    let abandoned = false;
    await Promise.all(
      (resources.workers ?? []).map((w) =>
        step(`worker ${w.name ?? ''}`, async () => {
          const done = w.close();
          if ((await withTimeout(done, graceMs)) === 'timeout') {
            ok = false;
            abandoned = true;
            done.catch(() => {});
            log.warn(
              { worker: w.name, graceMs },
              'active jobs did not finish in time; closing by force (they will be picked up as stalled)',
            );
          }
        }),
      ),
    );
    // 2. Queues and other closables.
    await Promise.all((resources.closables ?? []).map((c) => step(`close ${c.name ?? ''}`, () => c.close())));
    // 3. Redis connections (after everything that uses them).
    await Promise.all(
      (resources.redis ?? []).map((r) =>
        step('redis quit', async () => {
          if (r.status === 'end') return;
          if (abandoned) return r.disconnect(); // jobs still hold it: do not wait for them
          const ended = new Promise<void>((resolve) => (r.once ? r.once('end', resolve) : resolve()));
          try {
            if ((await withTimeout(r.quit(), 5_000)) === 'timeout') r.disconnect();
            // ioredis reports 'end' a moment after QUIT is answered
            if ((await withTimeout(ended, 1_000)) === 'timeout') r.disconnect();
          } catch {
            r.disconnect();
          }
        }),
      ),
    );
    // 4. PostgreSQL.
    if (resources.prisma) await step('prisma disconnect', () => resources.prisma!.$disconnect());
    log.info({ reason, ms: Date.now() - t0, clean: ok }, 'worker stopped');
    return ok;
  };

  const shutdown = ((reason: string) => {
    running ??= run(reason);
    return running;
  }) as Shutdown;
  Object.defineProperty(shutdown, 'signal', { get: () => controller.signal });
  Object.defineProperty(shutdown, 'started', { get: () => running !== null });
  return shutdown;
}

export interface SignalTarget {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * SIGTERM / SIGINT → shutdown, then exit(0) (or 1 when a step failed). A second signal while
 * shutting down exits at once with 130. Returns a function that removes the handlers.
 */
export function installSignalHandlers(
  shutdown: Shutdown,
  opts: {
    signals?: readonly string[];
    exit?: (code: number) => void;
    target?: SignalTarget;
    logger?: ShutdownLogger;
  } = {},
): () => void {
  const target: SignalTarget = opts.target ?? (process as unknown as SignalTarget);
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const log = opts.logger ?? silent;
  const handlers = (opts.signals ?? ['SIGTERM', 'SIGINT']).map((sig) => {
    const handler = () => {
      if (shutdown.started) {
        log.warn({ signal: sig }, 'second signal: exiting without waiting');
        exit(130);
        return;
      }
      void shutdown(sig).then(
        (clean) => exit(clean ? 0 : 1),
        () => exit(1),
      );
    };
    target.on(sig, handler);
    return [sig, handler] as const;
  });
  return () => {
    for (const [sig, h] of handlers) target.off(sig, h);
  };
}
