import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { FakeDingTalkApi } from '../support/dingtalk-fake-api.ts';
import { directMessage, post, robotHeaders } from '../support/dingtalk-requests.ts';
import { FakeSlackApi } from '../support/slack-fake-api.ts';
import { SlackRequests, sendSlackRequest } from '../support/slack-requests.ts';
import { TEST_REDIS_URL, testPrefix } from '../worker/support/redis.ts';

// One deployment serving both messengers: `npm run bot` started with Slack and DingTalk settings
// runs both receivers in one process. A unit contact registered on both platforms asks /myscore
// on each and gets the same unit's breakdown on each; SIGTERM stops both.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SIGNING_SECRET = 'both-platforms-signing-secret';

let db: TestDatabase;
let slack: FakeSlackApi;
let dingtalk: FakeDingTalkApi;

beforeAll(async () => {
  db = await createTestDatabase();
  slack = await FakeSlackApi.start();
  dingtalk = await FakeDingTalkApi.start();
  await db.prisma.member.create({
    data: {
      role: 'unit_contact',
      unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: '市公安局' } } },
      identities: {
        create: [
          { platform: 'slack', externalId: 'U0BOTHCONTACT' },
          { platform: 'dingtalk', externalId: 'dt-both-contact' },
        ],
      },
    },
  });
});
afterAll(async () => {
  await slack?.close();
  await dingtalk?.close();
  await db?.drop();
});

describe('npm run bot with Slack and DingTalk configured', () => {
  it('serves both in one process: the same person asks /myscore on each and is answered on each', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'bot/app.ts'], {
      cwd: ROOT,
      env: {
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        KAOPING_QUEUE_PREFIX: testPrefix('both'),
        KAOPING_NOW: '2017-10-09T10:00:00+08:00',
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.url,
        PORT: '0',
        HOST: '127.0.0.1',
        DINGTALK_APP_KEY: dingtalk.appKey,
        DINGTALK_APP_SECRET: dingtalk.appSecret,
        DINGTALK_CARD_TEMPLATE_ID: 'kaoping-card.schema',
        DINGTALK_MODE: 'http',
        DINGTALK_PORT: '0',
        DINGTALK_API_BASE: dingtalk.url,
        DINGTALK_OAPI_BASE: dingtalk.url,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    const waitFor = async (re: RegExp): Promise<RegExpMatchArray> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const m = re.exec(out);
        if (m) return m;
        if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`no ${re}: ${out.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      const [, slackUrl] = await waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+\/slack\/events)"[^\n]*Slack bot started/);
      const [, dingTalkBase] = await waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*DingTalk bot started/);

      const slackAnswer = slack.waitFor((c) => c.method === 'response_url');
      const res = await sendSlackRequest(
        slackUrl!,
        new SlackRequests({ signingSecret: SIGNING_SECRET }).slashCommand({
          command: '/myscore',
          text: '',
          userId: 'U0BOTHCONTACT',
          responseUrl: slack.responseUrl('T111/both/1'),
        }),
      );
      expect(res.status).toBe(200);
      expect(JSON.stringify((await slackAnswer).args)).toContain('市公安局考核情况');

      const dm = directMessage({
        msgId: 'msgBoth1',
        text: '/myscore',
        from: 'dt-both-contact',
        sessionWebhook: dingtalk.sessionWebhook('both'),
      });
      expect((await post(`${dingTalkBase}/dingtalk/robot`, robotHeaders(dingtalk.appSecret), dm)).status).toBe(200);
      const deadline = Date.now() + 15_000;
      while (dingtalk.callsOf('sendBySession').length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(JSON.stringify(dingtalk.callsOf('sendBySession')[0]?.body)).toContain('市公安局考核情况');
    } finally {
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
    expect(await exited).toBe(0);
  });
});
