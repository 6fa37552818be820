// KAOPING_FILING_NOTICES=worker, end to end: the real Slack bot (signed requests into the Bolt
// receiver) files a finding, publishes it to BullMQ and answers the filer without posting anything
// in the unit's channel; the worker, from that queued event, posts the notice there once — the
// unit's contacts mentioned, its ref stored for later updates — however often the request is
// retried. A filing the queue refused is announced by the bot itself, as with
// KAOPING_FILING_NOTICES=bot: the worker would never hear of it. Real PostgreSQL and Redis; Slack's
// Web API is the fake on loopback.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { type Assessment, createAssessment } from '../../core/assessment.ts';
import { SlackMessenger } from '../../adapters/messenger/slack/slack-messenger.adapter.ts';
import { BullLedgerEvents } from '../../adapters/queue/ledger-events.adapter.ts';
import { createRedis } from '../../adapters/queue/redis-connection.ts';
import { createQueues } from '../../adapters/queue/queues.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';
import { startSlackBot } from '../support/bot-harness.ts';
import { FakeSlackApi } from '../support/slack-fake-api.ts';
import { SlackRequests, sendSlackRequest } from '../support/slack-requests.ts';
import { closedPort } from './support/redis.ts';
import { consoleMessenger, createWorkerFixture, type WorkerFixture } from './support/worker-fixture.ts';

const SECRET = 'filing-notice-by-worker-secret';
const INSPECTOR = 'U0INSPECT';
const CONTACT = 'U0CONTACT';
const UNIT = '市公安局';
const UNIT_CHANNEL = 'C0GONGAN';
const BOT_TOKEN = 'xoxb-test-bot';
const WORKER_TOKEN = 'xoxb-test-worker';

let wf: WorkerFixture;
let slack: FakeSlackApi;
const requests = new SlackRequests({ signingSecret: SECRET });
const bots: Array<{ stop(): Promise<unknown> }> = [];
let seq = 0;

/** The Slack bot over these assessment ports, leaving the filing notices on these platforms to the worker. */
async function startBot(assessment: Assessment, workerNotices: readonly string[] = ['slack']): Promise<string> {
  const { bot, url } = await startSlackBot(assessment, slack, {
    signingSecret: SECRET,
    token: BOT_TOKEN,
    workerNotices,
  });
  bots.push(bot);
  return url;
}

function fileRequest(text: string, trigger = `${++seq}.333.trigger${seq}`) {
  return requests.slashCommand({
    command: '/finding',
    text,
    userId: INSPECTOR,
    channelId: 'C0INSPECTORS',
    triggerId: trigger,
    responseUrl: slack.responseUrl(`T111/${seq}/finding`),
  });
}

const replies = () => slack.callsTo('response_url').map((c) => `${c.args.text}\n${JSON.stringify(c.args.blocks)}`);
/** chat.postMessage calls to this channel, by whoever made them */
const noticesIn = (channel: string, token?: string) =>
  slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && (!token || c.token === token));

beforeAll(async () => {
  wf = await createWorkerFixture('filing-notice-by-worker');
  slack = await FakeSlackApi.start();
  for (const [userId, role, unit] of [
    [INSPECTOR, 'inspector', undefined],
    [CONTACT, 'unit_contact', UNIT],
  ] as const)
    await wf.db.prisma.member.create({
      data: {
        identities: { create: { platform: 'slack', externalId: userId } },
        role,
        ...(unit ? { unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: unit } } } } : {}),
      },
    });
  await wf.db.prisma.channelBinding.create({ data: { platform: 'slack', scope: UNIT, channelId: UNIT_CHANNEL } });
  const messenger = new SlackMessenger(
    // its own token, so that the fake API tells the worker's posts from the bot's
    new webApi.WebClient(WORKER_TOKEN, {
      slackApiUrl: slack.url,
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
    }),
  );
  // as worker/main.ts starts it with KAOPING_FILING_NOTICES=worker (settings: no grace)
  await wf.start(consoleMessenger(), { messengers: { slack: messenger }, noticeGraceMs: 0 });
});

afterAll(async () => {
  for (const b of bots) await b.stop();
  await slack?.close();
  await wf?.close();
});

beforeEach(() => slack.reset());

describe('filing notices posted by the worker', () => {
  it('the bot answers without posting; the worker posts the notice once, contacts mentioned, ref stored', async () => {
    const url = await startBot(wf.bot);
    const req = fileRequest(`${UNIT} 2.1.1a 2 2017-09-20`);
    expect((await sendSlackRequest(url, req)).status).toBe(200);
    expect(replies()).toHaveLength(1);
    expect(replies()[0]).toContain(`通知稍后将发到${UNIT}的群聊。`);
    expect(replies()[0]).not.toContain('已在');
    // the answer did not wait for the notice: the bot posted nothing in the unit's channel
    expect(noticesIn(UNIT_CHANNEL, BOT_TOKEN)).toHaveLength(0);

    // Slack retries the slash command (same trigger): answered again, nothing new filed or queued
    expect(
      (await sendSlackRequest(url, fileRequest(`${UNIT} 2.1.1a 2 2017-09-20`, req.payload.trigger_id))).status,
    ).toBe(200);
    await wf.settle();

    expect(noticesIn(UNIT_CHANNEL, BOT_TOKEN)).toHaveLength(0);
    const notices = noticesIn(UNIT_CHANNEL);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.token).toBe(WORKER_TOKEN);
    const text = `${notices[0]!.args.text}\n${JSON.stringify(notices[0]!.args.blocks)}`;
    expect(text).toContain(`<@${CONTACT}>`);
    expect(text).toContain(UNIT);
    const filed = await wf.db.prisma.finding.findMany({ where: { unit: { name: UNIT } } });
    expect(filed).toHaveLength(1);
    // later changes (withdrawal, a new deadline) update this message
    expect(filed[0]!.noticeRef).toContain(UNIT_CHANNEL);
  });

  it('a filing the queue refused is announced by the bot itself', async () => {
    // Redis "down" for this bot only: its producer points at a closed port (the shared server stays up)
    const producer = createRedis(`redis://127.0.0.1:${await closedPort()}`, {
      role: 'producer',
      name: 'filing-notice-bot-down',
      extra: { retryStrategy: () => 100 },
    });
    producer.on('error', () => {});
    const downQueues = createQueues(producer, wf.prefix);
    for (const q of downQueues.all()) q.on('error', () => {});
    try {
      const url = await startBot(
        createAssessment({
          rulebook: wf.rulebook,
          store: new PrismaAssessmentStore(wf.db.prisma),
          clock: wf.clock,
          events: new BullLedgerEvents(downQueues, { timeoutMs: 300 }),
        }),
      );
      expect((await sendSlackRequest(url, fileRequest(`${UNIT} 2.1.1a 1 2017-09-21`))).status).toBe(200);
      expect(replies()[0]).toContain(`已在${UNIT}的群聊发出通知。`);
      expect(noticesIn(UNIT_CHANNEL, BOT_TOKEN)).toHaveLength(1);
    } finally {
      await downQueues.close();
      producer.disconnect();
    }
  });

  it('on a platform the worker does not send on, the bot posts the notice itself', async () => {
    const url = await startBot(wf.bot, ['dingtalk']);
    expect((await sendSlackRequest(url, fileRequest(`${UNIT} 2.1.1a 1 2017-09-22`))).status).toBe(200);
    expect(replies()[0]).toContain(`已在${UNIT}的群聊发出通知。`);
    expect(noticesIn(UNIT_CHANNEL, BOT_TOKEN)).toHaveLength(1);
    // Nothing is asserted of this file's worker here: unlike the deployment this stands for, it does
    // send on Slack, and it runs with no grace, so it may take the filing's event before the bot has
    // stored its notice's ref (the narrow race worker/README.md names).
  });
});
