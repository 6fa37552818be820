import { performance } from 'node:perf_hooks';
import { webApi } from '@slack/bolt';
import type { PrismaClient } from '../prisma/client.ts';
import type { FakeSlackApi } from '../test/support/slack-fake-api.ts';
import { SlackMessenger } from '../adapters/messenger/slack/slack-messenger.adapter.ts';
import { createRepositories } from '../prisma/repositories/repositories.ts';
import type { Rulebook } from '../rules/rulebook.ts';
import { startWorkerRuntime } from '../worker/runtime.ts';
import { type BenchAndServersCpu, meterBenchAndServers } from './proc-cpu.ts';

// The other half of a filing when the notices are the worker's (KAOPING_FILING_NOTICES=worker, as
// bot/app.ts runs): after the own-process filing runs, a worker takes the run's queue and posts
// the notice of every finding the bot filed there to the fake Slack API — counted in the
// notification ledger and at the API, timed, with the CPU it took. Slack's per-channel limit
// (1 message a second) is scaled ×1000 as in the worker bench, or ~11 filings to each of 59
// channels would take 11 s whatever the worker did. The worker runs in this process, beside the
// fake API, so "this process" is both.

export interface NoticesRun {
  /** findings filed in the run's queue with no notice yet, before the worker started */
  expected: number;
  /** finding notices the ledger records as sent, and chat.postMessage calls the API received */
  sent: number;
  posted: number;
  /** findings still without a notice ref afterwards */
  left: number;
  wallMs: number;
  cpu: BenchAndServersCpu;
}

export async function postQueuedNotices(opts: {
  redisUrl: string;
  prefix: string;
  prisma: PrismaClient;
  rulebook: Rulebook;
  now: string;
  fake: FakeSlackApi;
  timeoutMs?: number;
}): Promise<NoticesRun> {
  const { prisma, fake } = opts;
  const waiting = () =>
    prisma.finding.count({ where: { noticeRef: null, status: 'filed', channel: { notIn: ['bench', 'bench-core'] } } });
  const expected = await waiting();
  const posted0 = fake.callsTo('chat.postMessage').length;
  const cpu = meterBenchAndServers();
  const t0 = performance.now();
  const rt = await startWorkerRuntime({
    redisUrl: opts.redisUrl,
    prefix: opts.prefix,
    ports: createRepositories(prisma),
    rulebook: opts.rulebook,
    clock: { now: () => new Date(opts.now) },
    messengers: {
      slack: new SlackMessenger(
        new webApi.WebClient('xoxb-bench-worker', {
          slackApiUrl: fake.url,
          retryConfig: { retries: 0 },
          logLevel: webApi.LogLevel.ERROR,
        }),
      ),
    },
    limits: { slack: [{ limit: 1, windowMs: 1 }] },
    schedules: false,
    noticeGraceMs: 0, // as the worker runs with KAOPING_FILING_NOTICES=worker
    startDate: '2017-01-01',
    bulletinDocuments: false,
  });
  let wallMs = 0;
  try {
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    let left = expected;
    while (left > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      left = await waiting();
    }
    wallMs = performance.now() - t0;
  } finally {
    await rt.close('bench done');
  }
  const cpuMs = cpu();
  const sent = await prisma.notification.count({ where: { kind: 'finding-notice', state: 'sent' } });
  return {
    expected,
    sent,
    posted: fake.callsTo('chat.postMessage').length - posted0,
    left: await waiting(),
    wallMs,
    cpu: cpuMs,
  };
}
