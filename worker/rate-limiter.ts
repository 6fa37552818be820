// Per-channel rate limiting shared by every worker process: a sliding-window log in Redis, checked
// and recorded by one Lua script (atomic), timed by the Redis server's clock (no skew between
// worker machines).
//
// Why a sliding log and not a token bucket: DingTalk group robots allow 20 messages per minute and
// then throttle the robot for 10 minutes. A token bucket of 20 refilling at 20/min lets 40 through
// in some 60-second window; the log guarantees at most `limit` grants in ANY window of
// `windowMs` — exact for small limits, which is all chat platforms need.
//
// acquire() never blocks: it takes a slot (0) or says how long to wait (ms) without taking one.
// The send processor waits in-process for short waits and re-delays the BullMQ job for long ones,
// so no worker slot is held for a minute and no claim in the notification ledger outlives its lease.

import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { assertPrefix } from '../adapters/queue/queue-prefix.ts';

export interface RateLimit {
  /** At most `limit` grants … */
  limit: number;
  /** … in any window of this many milliseconds. */
  windowMs: number;
  /** Counted over every channel of the platform together (an app-wide API quota), not per channel. */
  perApp?: boolean;
}

export interface RateRule extends RateLimit {
  /** What is limited, e.g. 'slack/C0123' (a channel) or 'dingtalk/robot-7'. No prefix. */
  key: string;
}

/**
 * Defaults per messenger platform, per channel.
 * - Slack: chat.postMessage allows about one message per second per channel (short bursts are
 *   tolerated, sustained ones get HTTP 429 with Retry-After, which the send processor honours).
 * - DingTalk group robots: 20 per minute per robot, then 10 minutes of throttling — so 19, one
 *   below the limit, as a margin for the latency between our clock and theirs. And the OpenAPI's
 *   per-app QPS quota (20 calls a second per API for a standard-edition organisation, 调用频次与限流,
 *   https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server)
 *   over all groups and people together: 15 a second leaves room for the bot's own calls. A
 *   throttle that still happens comes back as a retry-after MessengerError (dingtalk-errors.ts).
 * - console: unlimited.
 */
export const PLATFORM_LIMITS: Readonly<Record<string, readonly RateLimit[]>> = {
  slack: [{ limit: 1, windowMs: 1_000 }],
  dingtalk: [
    { limit: 19, windowMs: 60_000 },
    { limit: 15, windowMs: 1_000, perApp: true },
  ],
  console: [],
};

/** The rules for posting to one channel of a platform (unknown platforms: Slack's, to be safe). */
export function channelRules(
  platform: string,
  channelId: string,
  limits: Readonly<Record<string, readonly RateLimit[]>> = PLATFORM_LIMITS,
): RateRule[] {
  const forPlatform = limits[platform] ?? PLATFORM_LIMITS.slack!;
  return forPlatform.map(({ perApp, ...l }, i) => ({
    ...l,
    key: perApp ? `${platform}/*app*#${i}` : `${platform}/${channelId}${i === 0 ? '' : `#${i}`}`,
  }));
}

// KEYS: one sorted set per rule. ARGV[1]: a unique member; then limit, window for each key.
// Returns {0, now} when a slot was taken under every rule, {wait, now} otherwise (nothing taken).
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local entry = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local w = tonumber(entry[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return {wait, now} end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i + 1]))
end
return {0, now}
`;
const SCRIPT_SHA = createHash('sha1').update(SCRIPT).digest('hex');

export interface Acquired {
  /** 0: a slot was taken. Otherwise: milliseconds until one may be free (nothing was taken). */
  waitMs: number;
  /** Redis server time of the decision (ms since the epoch). */
  at: number;
}

export type WaitResult = { acquired: true; waitedMs: number } | { acquired: false; waitMs: number };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export class RateLimiter {
  private readonly keyPrefix: string;

  /** `redis`: a 'command' connection (not a blocking worker one); `prefix`: the BullMQ prefix. */
  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly limits: Readonly<Record<string, readonly RateLimit[]>> = PLATFORM_LIMITS,
    /** Told of every wait a send had to make (metrics). */
    private readonly hooks: { onWait?(ms: number): void } = {},
  ) {
    this.keyPrefix = `${assertPrefix(prefix)}:ratelimit:`;
  }

  /** Take a slot under every rule at once, or learn how long to wait (see Acquired). */
  async acquire(rules: RateRule | readonly RateRule[]): Promise<Acquired> {
    const list = Array.isArray(rules) ? (rules as readonly RateRule[]) : [rules as RateRule];
    if (list.length === 0) return { waitMs: 0, at: Date.now() };
    for (const r of list) {
      if (!(Number.isInteger(r.limit) && r.limit > 0 && Number.isInteger(r.windowMs) && r.windowMs > 0))
        throw new RangeError(`bad rate rule ${JSON.stringify(r)}`);
    }
    const keys = list.map((r) => this.keyPrefix + r.key);
    const args = [
      `${Date.now()}-${randomBytes(8).toString('hex')}`,
      ...list.flatMap((r) => [String(r.limit), String(r.windowMs)]),
    ];
    let reply: unknown;
    try {
      reply = await this.redis.evalsha(SCRIPT_SHA, keys.length, ...keys, ...args);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.includes('NOSCRIPT')) throw e;
      reply = await this.redis.eval(SCRIPT, keys.length, ...keys, ...args);
    }
    const [waitMs, at] = reply as [number, number];
    return { waitMs: Number(waitMs), at: Number(at) };
  }

  /** The rules for one channel of a platform, from this limiter's limits. */
  rulesForChannel(platform: string, channelId: string): RateRule[] {
    return channelRules(platform, channelId, this.limits);
  }

  /** Take a slot for posting to a channel of a platform: 0 or the wait in ms. */
  async acquireForChannel(platform: string, channelId: string): Promise<number> {
    return (await this.acquire(this.rulesForChannel(platform, channelId))).waitMs;
  }

  /**
   * Wait (in-process) for a slot, but not longer than `maxWaitMs` in total: beyond that it returns
   * the remaining wait, so the caller can delay its job instead of holding a worker.
   */
  async waitFor(
    rules: RateRule | readonly RateRule[],
    opts: { maxWaitMs: number; signal?: AbortSignal },
  ): Promise<WaitResult> {
    const started = Date.now();
    let slept = false;
    for (;;) {
      const { waitMs } = await this.acquire(rules);
      const waited = Date.now() - started;
      if (waitMs === 0) {
        if (slept) this.hooks.onWait?.(waited);
        return { acquired: true, waitedMs: waited };
      }
      if (waited + waitMs > opts.maxWaitMs) {
        this.hooks.onWait?.(waited + waitMs);
        return { acquired: false, waitMs };
      }
      // a little jitter so that processes woken together do not collide again
      await sleep(waitMs + Math.floor(Math.random() * 15), opts.signal);
      slept = true;
    }
  }

  /** Forget a key's history (tests, operators after a platform-side reset). */
  async reset(key: string): Promise<void> {
    await this.redis.del(this.keyPrefix + key);
  }
}
