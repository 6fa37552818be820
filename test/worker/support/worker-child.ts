// A worker process for test/worker/process.int.test.ts: the real runtime (worker/runtime.ts) with
// a "wire" messenger standing in for a chat platform. It writes `DELIVERED <target> <ref> <digest>
// <header>` to stdout synchronously the moment a message reaches the platform (<ref> is the message
// ref the platform answers with, which the ledger stores for a sent message), then waits
// SEND_DELAY_MS for the platform's answer — so a kill -9 lands, almost always, while answers are on
// the way: the worst case for exactly-once (the platform has the message, the ledger does not know
// yet).
//
// Settings (adapters/config): DATABASE_URL, REDIS_URL, KAOPING_QUEUE_PREFIX, KAOPING_NOW, TEST_SEND_DELAY_MS
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { clockFrom } from '../../../adapters/clock/pinned-clock.ts';
import type { Message } from '../../../core/messages/message.ts';
import { recipientUserId, type MessengerPort, type PrivateRecipient } from '../../../core/ports/messenger.port.ts';
import { createPrismaClient } from '../../../prisma/client.ts';
import { createRepositories } from '../../../prisma/repositories/repositories.ts';
import { loadRulebook } from '../../../rules/rulebook.ts';
import { loadSections } from '../../../adapters/config/load-settings.ts';
import { startWorkerRuntime } from '../../../worker/runtime.ts';
import { installSignalHandlers } from '../../../worker/shutdown.ts';

const settings = loadSections(['database', 'queue', 'clock', 'test']);
const delayMs = settings.test.sendDelayMs;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A message's fingerprint, and its header (to tell reminders from the worker's own alerts). */
const digest = (m: Message) => {
  const head = m.blocks.find((b) => b.type === 'header');
  return `${createHash('sha1').update(JSON.stringify(m)).digest('hex').slice(0, 16)} ${head?.type === 'header' ? head.text.replace(/\s+/g, '_') : '-'}`;
};

let n = 0;
class WireMessenger implements MessengerPort {
  readonly platform = 'console';
  async postToChannel(channelId: string, message: Message) {
    const ref = `wire:${process.pid}:${++n}`;
    writeSync(1, `DELIVERED ${channelId} ${ref} ${digest(message)}\n`);
    await sleep(delayMs);
    return { ref };
  }
  async postPrivate(to: PrivateRecipient, message: Message) {
    const ref = `wire:${process.pid}:${++n}`;
    writeSync(1, `DELIVERED @${recipientUserId(to)} ${ref} ${digest(message)}\n`);
    await sleep(delayMs);
    return { ref };
  }
  async updateMessage() {}
  async publishHome() {}
  readonly maxFileBytes = 0;
  async sendFile(): Promise<never> {
    throw new Error('no files here');
  }
}

const prisma = createPrismaClient(settings.database.url, { pool: { max: 4 } });
const runtime = await startWorkerRuntime({
  redisUrl: settings.queue.redisUrl,
  prefix: settings.queue.prefix,
  // short timings so that the test does not wait: its notification claims expire after 1.5 s
  ports: createRepositories(prisma, { leaseMs: 1_500 }),
  rulebook: loadRulebook('hz-2017'),
  clock: clockFrom(settings.clock.pinnedNow),
  messengers: { console: new WireMessenger() },
  schedules: false,
  noticeGraceMs: null,
  // the whole assessment year is live (not only the months after the child's first start)
  startDate: '2017-01-01',
  // the close publishes at once (as before the month review cycle)
  autoPublish: true,
  // a dead worker's jobs are stalled after 1 s
  lockDurationMs: 1_000,
  stalledIntervalMs: 500,
  busyRecheckMs: 200,
  concurrency: { notify: 4 },
  database: prisma,
});
installSignalHandlers(runtime.shutdown);
writeSync(1, `READY ${process.pid}\n`);
