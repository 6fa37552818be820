import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { SlackMessenger } from '../../adapters/messenger/slack/slack-messenger.adapter.ts';
import { header, message, paragraph } from '../../core/messages/message.ts';
import { FakeSlackApi } from '../support/slack-fake-api.ts';
import { SlackRequests, sendSlackRequest, stateValue, withRetry } from '../support/slack-requests.ts';

// Smoke test of the Slack plumbing: a real Bolt App on an HTTPReceiver, fed signed requests
// built from Slack's real payload samples, talking to the fake Web API. The listeners are
// test-only; the bot's real ones come with the bot.

const SIGNING_SECRET = 'test-signing-secret';

describe('Bolt HTTPReceiver with signed real payloads and the fake Web API', () => {
  let fake: FakeSlackApi;
  let app: App;
  let url: string;
  const ran: Array<{ kind: string; body: any; retryNum?: number | undefined }> = [];
  const requests = new SlackRequests({ signingSecret: SIGNING_SECRET });

  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    app = new App({
      token: 'xoxb-test-token',
      botId: fake.botId,
      botUserId: fake.botUserId,
      receiver: new HTTPReceiver({
        signingSecret: SIGNING_SECRET,
        processBeforeResponse: true,
        logLevel: LogLevel.ERROR,
      }),
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
      logLevel: LogLevel.ERROR,
    });

    app.command('/kp-test', async ({ ack, command, client }) => {
      await ack();
      ran.push({ kind: 'command', body: command });
      await client.chat.postMessage({ channel: command.channel_id, text: `echo: ${command.text}` });
    });
    app.action('finding.verify', async ({ ack, body, action, respond }) => {
      await ack();
      ran.push({ kind: 'action', body: { body, action } });
      await respond({ text: 'verified', replace_original: false });
    });
    app.view('kp.file_finding', async ({ ack, view, body }) => {
      ran.push({ kind: 'view', body: { view, user: body.user } });
      await ack({ response_action: 'errors', errors: { unit: 'unknown unit' } });
    });
    app.event('app_home_opened', async ({ event, context, client }) => {
      ran.push({ kind: 'event', body: event, retryNum: context.retryNum });
      await new SlackMessenger(client).publishHome(event.user, message([header('考评'), paragraph('hello')]));
    });

    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(() => {
    ran.length = 0;
    fake.reset();
  });

  afterAll(async () => {
    await app.stop();
    await fake.close();
  });

  it('a signed slash command (real sample) is acknowledged with 200 after the listener ran and called the Web API', async () => {
    const req = requests.slashCommand({
      command: '/kp-test',
      text: '市公安局 2.1.1a',
      userId: 'U0INSPECT',
      channelId: 'C0UNITCHAT',
    });
    expect(req.body).toContain('command=%2Fkp-test');
    const res = await sendSlackRequest(url, req);
    expect(res.status).toBe(200);
    expect(ran).toHaveLength(1);
    expect(ran[0]!.body).toMatchObject({
      command: '/kp-test',
      text: '市公安局 2.1.1a',
      user_id: 'U0INSPECT',
      channel_id: 'C0UNITCHAT',
      team_id: 'T111',
      trigger_id: '111.222.xxx',
    });
    expect(fake.callsTo('chat.postMessage').map((c) => c.args)).toEqual([
      expect.objectContaining({ channel: 'C0UNITCHAT', text: 'echo: 市公安局 2.1.1a' }),
    ]);
    expect(fake.calls.every((c) => c.token === 'xoxb-test-token')).toBe(true);
    expect(fake.callsTo('auth.test')).toHaveLength(0);
  });

  it('the unmodified sample bodies are sent byte for byte', async () => {
    const req = requests.slashCommand({ sample: 'docs' });
    expect(req.body).toBe(
      'token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&enterprise_id=E0001&enterprise_name=Globular%20Construct%20Inc&channel_id=C2147483705&channel_name=test&user_id=U2147483697&user_name=Steve&command=/weather&text=94070&response_url=https://hooks.slack.com/commands/1234/5678&trigger_id=13345224609.738474920.8088930838d88f008e0&api_app_id=A123456',
    );
  });

  it('a wrongly signed request gets 401 and nothing runs', async () => {
    const res = await sendSlackRequest(
      url,
      requests.slashCommand({ command: '/kp-test', text: 'x' }, { signature: 'wrong' }),
    );
    expect(res.status).toBe(401);
    expect(ran).toHaveLength(0);
    expect(fake.calls).toHaveLength(0);
  });

  it('a request without a signature gets 401', async () => {
    const res = await sendSlackRequest(url, requests.slashCommand({ command: '/kp-test' }, { signature: 'missing' }));
    expect(res.status).toBe(401);
    expect(ran).toHaveLength(0);
  });

  it('a body changed after signing gets 401', async () => {
    const req = requests.slashCommand({ command: '/kp-test', text: 'a' });
    const res = await sendSlackRequest(url, { ...req, body: req.body.replace('text=a', 'text=b') });
    expect(res.status).toBe(401);
    expect(ran).toHaveLength(0);
  });

  it('a correctly signed but stale request (older than 5 minutes) is rejected', async () => {
    const res = await sendSlackRequest(
      url,
      requests.slashCommand({ command: '/kp-test' }, { ageSeconds: 5 * 60 + 10 }),
    );
    expect(res.status).toBe(401);
    expect(ran).toHaveLength(0);
  });

  it('a request four minutes old is still accepted', async () => {
    const res = await sendSlackRequest(url, requests.slashCommand({ command: '/kp-test' }, { ageSeconds: 4 * 60 }));
    expect(res.status).toBe(200);
    expect(ran).toHaveLength(1);
  });

  it('answers the url_verification challenge', async () => {
    const res = await sendSlackRequest(url, requests.urlVerification({ challenge: 'kaoping-challenge-42' }));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: 'kaoping-challenge-42' });
  });

  it('routes a button press (real block_actions sample) and respond() reaches the response_url', async () => {
    const res = await sendSlackRequest(
      url,
      requests.blockAction({
        actionId: 'finding.verify',
        value: 'F-2024-0007',
        userId: 'U0INSPECT',
        channelId: 'C0UNITCHAT',
        messageTs: '1700000000.000100',
        responseUrl: fake.responseUrl(),
      }),
    );
    expect(res.status).toBe(200);
    expect(ran).toHaveLength(1);
    const { body, action } = ran[0]!.body;
    expect(action).toMatchObject({ type: 'button', action_id: 'finding.verify', value: 'F-2024-0007' });
    expect(body).toMatchObject({
      user: { id: 'U0INSPECT' },
      channel: { id: 'C0UNITCHAT' },
      container: { channel_id: 'C0UNITCHAT', message_ts: '1700000000.000100' },
    });
    expect(fake.callsTo('response_url').map((c) => c.args)).toEqual([{ text: 'verified', replace_original: false }]);
  });

  it('routes a view submission (real sample) with the flow’s callback_id, metadata and state values', async () => {
    const req = requests.viewSubmission({
      callbackId: 'kp.file_finding',
      privateMetadata: JSON.stringify({ channel: 'C0UNITCHAT' }),
      userId: 'U0INSPECT',
      values: {
        unit: { unit: stateValue.text('不存在的局') },
        date: { date: stateValue.date('2024-05-06') },
        source: { source: stateValue.staticSelect('routine', '日常检查') },
      },
    });
    const res = await sendSlackRequest(url, req);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_action: 'errors', errors: { unit: 'unknown unit' } });
    const { view, user } = ran[0]!.body;
    expect(user.id).toBe('U0INSPECT');
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: 'C0UNITCHAT' });
    expect(view.state.values.source.source.selected_option.value).toBe('routine');
    expect(view.state.values.date.date.selected_date).toBe('2024-05-06');
  });

  it('delivers app_home_opened (real sample) with Slack’s retry headers in context, and the listener publishes the home view', async () => {
    const req = withRetry(requests.appHomeOpened({ userId: 'U0CONTACT1', eventId: 'Ev0KAOPING1' }), 1, 'http_timeout');
    const res = await sendSlackRequest(url, req);
    expect(res.status).toBe(200);
    expect(ran).toEqual([expect.objectContaining({ kind: 'event', retryNum: 1 })]);
    expect(ran[0]!.body).toMatchObject({ type: 'app_home_opened', user: 'U0CONTACT1', tab: 'home' });
    const publish = await fake.waitFor((c) => c.method === 'views.publish');
    expect(publish.args.user_id).toBe('U0CONTACT1');
    expect(publish.args.view.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '考评', emoji: true },
    });
  });

  it('the org-install messages-tab sample routes too', async () => {
    const res = await sendSlackRequest(
      url,
      requests.appHomeOpened({ sample: 'messages_tab.bolt-python', userId: 'W0ORGUSER' }),
    );
    expect(res.status).toBe(200);
    expect(ran[0]!.body).toMatchObject({ user: 'W0ORGUSER', tab: 'messages' });
  });
});
