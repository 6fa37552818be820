import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Redis } from 'ioredis';
import { PLATFORM_LIMITS, RateLimiter, channelRules, type RateRule } from '../../worker/rate-limiter.ts';
import { commandRedis, deletePrefix, testPrefix } from './support/redis.ts';

const prefix = testPrefix('rl');
let redisA: Redis; // two connections: two worker processes sharing the limits
let redisB: Redis;
let a: RateLimiter;
let b: RateLimiter;

beforeAll(async () => {
  redisA = commandRedis('rl-a');
  redisB = commandRedis('rl-b');
  a = new RateLimiter(redisA, prefix);
  b = new RateLimiter(redisB, prefix);
});
afterAll(async () => {
  await deletePrefix(redisA, prefix);
  await redisA.quit();
  await redisB.quit();
});

let n = 0;
const rule = (limit: number, windowMs: number): RateRule => ({ key: `test/ch-${++n}`, limit, windowMs });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// The limiter is timed by the Redis server's clock, so time cannot be injected here. A window a test
// needs to stay open is a minute long (a loaded machine never closes it between two steps); a
// window a test needs to close is short, and the test waits at least that long (waiting longer
// changes nothing).
const OPEN = 60_000;

describe('RateLimiter against Redis', () => {
  it('grants `limit` slots, then says how long to wait', async () => {
    const r = rule(3, OPEN);
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push((await a.acquire(r)).waitMs);
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(0);
    expect(waits[3]).toBeLessThanOrEqual(OPEN);
    // a denied attempt takes nothing: asking again gives about the same wait, not a longer one
    expect((await a.acquire(r)).waitMs).toBeLessThanOrEqual(waits[3]!);
  });

  it('grants again once the window has passed', async () => {
    const r = rule(1, 200);
    expect((await a.acquire(r)).waitMs).toBe(0);
    await sleep(205);
    expect((await a.acquire(r)).waitMs).toBe(0);
  });

  it('shares the limit between processes: 40 concurrent attempts on two connections → exactly 5 granted', async () => {
    const r = rule(5, OPEN);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).acquire(r)));
    expect(results.filter((x) => x.waitMs === 0)).toHaveLength(5);
    for (const x of results.filter((x) => x.waitMs > 0)) expect(x.waitMs).toBeLessThanOrEqual(OPEN);
  });

  it('never grants more than `limit` in any window (sliding, not fixed buckets)', async () => {
    const r = rule(3, 300);
    const grants: number[] = [];
    // until 12 grants (four windows' worth), however long a loaded machine takes for them
    const worker = async (limiter: RateLimiter) => {
      while (grants.length < 12) {
        const x = await limiter.acquire(r);
        if (x.waitMs === 0) grants.push(x.at);
        else await sleep(Math.min(x.waitMs, 40) * Math.random());
      }
    };
    await Promise.all([worker(a), worker(b), worker(a), worker(b)]);
    grants.sort((p, q) => p - q);
    for (let i = 0; i + 3 < grants.length; i++) expect(grants[i + 3]! - grants[i]!).toBeGreaterThanOrEqual(300);
  });

  it('takes a slot under several rules atomically, or under none', async () => {
    const narrow = rule(1, OPEN);
    const wide = rule(5, OPEN);
    expect((await a.acquire([narrow, wide])).waitMs).toBe(0);
    expect((await a.acquire([narrow, wide])).waitMs).toBeGreaterThan(0); // narrow is full …
    // … and wide was not charged for the refused attempt: 4 more fit
    const more = await Promise.all(Array.from({ length: 6 }, () => b.acquire(wide)));
    expect(more.filter((x) => x.waitMs === 0)).toHaveLength(4);
  });

  it('keeps channels and prefixes apart', async () => {
    const r1 = rule(1, OPEN);
    const r2 = rule(1, OPEN);
    expect((await a.acquire(r1)).waitMs).toBe(0);
    expect((await a.acquire(r2)).waitMs).toBe(0);
    const otherPrefix = testPrefix('rl2');
    const c = new RateLimiter(redisA, otherPrefix);
    expect((await c.acquire(r1)).waitMs).toBe(0);
    await deletePrefix(redisA, otherPrefix);
  });

  it('waits in-process for short waits and reports long ones', async () => {
    const r = rule(1, 1_000);
    expect(await a.waitFor(r, { maxWaitMs: OPEN })).toMatchObject({ acquired: true });
    const second = await b.waitFor(r, { maxWaitMs: OPEN }); // waits in-process for the rest of the window
    expect(second.acquired && second.waitedMs).toBeGreaterThan(0);
    const long = rule(1, OPEN);
    await a.acquire(long);
    const third = await a.waitFor(long, { maxWaitMs: 50 });
    expect(third.acquired).toBe(false);
    if (!third.acquired) expect(third.waitMs).toBeGreaterThan(50);
  });

  it('stops waiting when aborted', async () => {
    const r = rule(1, OPEN);
    await a.acquire(r);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error('shutting down')), 50);
    await expect(a.waitFor(r, { maxWaitMs: 2 * OPEN, signal: ctl.signal })).rejects.toThrow('shutting down');
  });

  it('falls back to EVAL when Redis does not have the script cached (NOSCRIPT)', async () => {
    // Not SCRIPT FLUSH: that would disturb the other test files sharing this Redis.
    const forgetful = {
      evalsha: async () => {
        throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      },
      eval: (...args: Parameters<Redis['eval']>) => redisA.eval(...args),
    } as unknown as Redis;
    const c = new RateLimiter(forgetful, prefix);
    const r = rule(1, OPEN);
    expect((await c.acquire(r)).waitMs).toBe(0);
    expect((await c.acquire(r)).waitMs).toBeGreaterThan(0);
  });

  it('has per-platform defaults: Slack 1/s per channel, DingTalk under 20/min, console unlimited', async () => {
    expect(channelRules('slack', 'C1')).toEqual([{ key: 'slack/C1', limit: 1, windowMs: 1_000 }]);
    expect(channelRules('dingtalk', 'g1')[0]!.limit).toBeLessThan(20);
    expect(channelRules('dingtalk', 'g1')[0]!.windowMs).toBe(60_000);
    expect(channelRules('console', 'x')).toEqual([]);
    expect(channelRules('telegram', 'x')).toEqual([{ key: 'telegram/x', ...PLATFORM_LIMITS.slack![0]! }]);
    const ch = `C-${Date.now()}`;
    expect(await a.acquireForChannel('slack', ch)).toBe(0);
    expect(await b.acquireForChannel('slack', ch)).toBeGreaterThan(0);
    expect(await a.acquireForChannel('console', ch)).toBe(0);
    expect(await a.acquireForChannel('console', ch)).toBe(0);
  });

  it('rejects nonsense rules and prefixes', async () => {
    await expect(a.acquire({ key: 'x', limit: 0, windowMs: 10 })).rejects.toThrow(RangeError);
    expect(() => new RateLimiter(redisA, 'has:colon')).toThrow();
  });
});

describe('per-app quotas', () => {
  it('DingTalk’s OpenAPI quota is one key for every group, beside each group’s own 20-a-minute limit', () => {
    const a = channelRules('dingtalk', 'cidA==');
    const b = channelRules('dingtalk', 'cidB==');
    expect(a[0]!.key).not.toBe(b[0]!.key);
    expect(a[1]).toEqual(b[1]);
    expect(a[1]).toMatchObject({ limit: 15, windowMs: 1_000 });
  });
});
