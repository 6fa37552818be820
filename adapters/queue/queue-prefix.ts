// BullMQ key prefix: every queue key and the rate limiter's keys start with `<prefix>:`. Tests
// use a unique prefix per file so files run in parallel on one Redis. Letters, digits, '-' and
// '_' only (no ':' — it is the key separator). No ioredis here: the configuration module checks
// KAOPING_QUEUE_PREFIX with the same pattern without loading a Redis client.
export const QUEUE_PREFIX_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function assertPrefix(prefix: string): string {
  if (!QUEUE_PREFIX_PATTERN.test(prefix))
    throw new Error(`invalid Redis key prefix ${JSON.stringify(prefix)}: use 1–64 of [A-Za-z0-9_-]`);
  return prefix;
}
