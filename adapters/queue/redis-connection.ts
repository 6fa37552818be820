// Redis connections for BullMQ, the rate limiter and the producers (bot → LedgerEvents). The URL
// and key prefix come from the configuration module (adapters/config, section `queue`).

import { Redis, type RedisOptions } from 'ioredis';

/**
 * - 'worker': BullMQ Workers (and QueueEvents) block on Redis; BullMQ requires
 *   maxRetriesPerRequest: null so a blocking command is never given up on while Redis restarts.
 * - 'producer': Queues used from request paths (the bot publishing ledger events). They fail fast
 *   instead of queueing commands while Redis is down: losing an event is harmless (the worker
 *   reconciles stale ledgers from PostgreSQL), hanging a chat reply is not.
 * - 'command': plain commands (rate limiter, scheduler upserts, tests): a few retries.
 */
export type RedisRole = 'worker' | 'producer' | 'command';

export interface RedisConnectionOptions {
  role: RedisRole;
  /** CLIENT SETNAME, visible in `CLIENT LIST`: e.g. 'kaoping-worker'. */
  name?: string;
  /** Extra ioredis options (tests: lazyConnect, retryStrategy). */
  extra?: RedisOptions;
}

export function redisOptionsFor(role: RedisRole): RedisOptions {
  switch (role) {
    case 'worker':
      return { maxRetriesPerRequest: null, enableReadyCheck: true };
    case 'producer':
      return { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000 };
    case 'command':
      return { maxRetriesPerRequest: 3, connectTimeout: 5_000 };
  }
}

/** A new ioredis connection. The caller owns it and must quit() it (see worker/shutdown.ts). */
export function createRedis(url: string, opts: RedisConnectionOptions): Redis {
  return new Redis(url, {
    ...redisOptionsFor(opts.role),
    ...(opts.name ? { connectionName: opts.name } : {}),
    ...opts.extra,
  });
}

/** Redact the password of a redis:// URL for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable redis url)';
  }
}

/** Redis answered, and refused the user or password in the URL: retrying cannot help. */
export class RedisCredentialsRefused extends Error {
  override readonly name = 'RedisCredentialsRefused';
}

// WRONGPASS (a user and password, ACLs), NOAUTH (a password is required and none was given), and
// the answer of a server without a password to an AUTH with one
const REFUSED = /^(WRONGPASS|NOAUTH)\b|invalid username-password|called without any password configured/i;

/**
 * One connection attempt, without retries: rejects with RedisCredentialsRefused when Redis refuses
 * the credentials (a start-up error an operator must fix: BullMQ would retry it forever). Any other
 * failure — Redis down or unreachable — resolves: the clients then retry as usual until it is back.
 */
export async function checkRedisCredentials(url: string): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 5_000,
    retryStrategy: () => null,
    connectionName: 'kaoping-credentials-check',
  });
  let refused: Error | undefined;
  // ioredis reports the AUTH reply here and rejects connect() only with "Connection is closed"
  probe.on('error', (e: Error) => {
    if (REFUSED.test(e.message)) refused = e;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    // unreachable, or refused (then `refused` says so)
  } finally {
    probe.disconnect();
  }
  // only the server's reply, which never contains the password
  if (refused) throw new RedisCredentialsRefused(`Redis refused the credentials: ${refused.message.split('\n')[0]}`);
}
