// A unique BullMQ/rate-limiter key prefix per test file, so files run in parallel on one Redis,
// and a cleanup that deletes that prefix's keys.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Redis } from 'ioredis';
import { createRedis } from '../../../adapters/queue/redis-connection.ts';
import { settingsFor } from '../../../adapters/config/load-settings.ts';

/** TEST_REDIS_URL (default redis://127.0.0.1:6379), from the configuration module. */
export const TEST_REDIS_URL = settingsFor('test').test.redisUrl;

export function testPrefix(name: string): string {
  return `kaoping-t-${name}-${randomBytes(4).toString('hex')}`;
}

/** Delete every key under `<prefix>:` (SCAN, not KEYS). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

export function commandRedis(name = 'kaoping-test'): Redis {
  return createRedis(TEST_REDIS_URL, { role: 'command', name });
}

/** A TCP port nothing listens on (bound, then released): to a client, a Redis that is down. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
