import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { FakeSlackApi } from '../support/slack-fake-api.ts';

// The fake is what the bot's tests will lean on: check it answers the way WebClient and Bolt
// expect, so a passing bot test means something.

describe('FakeSlackApi', () => {
  let fake: FakeSlackApi;
  let client: webApi.WebClient;
  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    client = new webApi.WebClient('xoxb-test-token', {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logLevel: webApi.LogLevel.ERROR,
    });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await fake.close();
  });

  it('auth.test names the bot', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: fake.botUserId, bot_id: fake.botId, team_id: fake.teamId });
  });

  it('views.open needs a trigger_id and answers with a view id; views.update keeps it; the view arrives decoded', async () => {
    const view = {
      type: 'modal' as const,
      callback_id: 'kp.file_finding',
      private_metadata: '{"c":"C1"}',
      title: { type: 'plain_text' as const, text: '记录事项' },
      blocks: [],
    };
    const opened = await client.views.open({ trigger_id: '111.222.xxx', view });
    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view).toMatchObject({
      type: 'modal',
      callback_id: 'kp.file_finding',
      private_metadata: '{"c":"C1"}',
    });
    expect(fake.lastCall('views.open')!.args.view).toEqual(view);
    const updated = await client.views.update({ view_id: opened.view!.id!, view });
    expect(updated.view?.id).toBe(opened.view!.id);
    await expect(client.views.open({ trigger_id: '', view })).rejects.toMatchObject({
      data: { error: 'invalid_trigger_id' },
    });
  });

  it('views.publish answers a home view', async () => {
    const res = await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } });
    expect(res.view).toMatchObject({ type: 'home' });
  });

  it('conversations.open gives the same DM channel chat.postMessage uses for a user id', async () => {
    const open = await client.conversations.open({ users: 'U0CONTACT' });
    const post = await client.chat.postMessage({ channel: 'U0CONTACT', text: 'hi' });
    expect(open.channel?.id).toBe(fake.dmChannelFor('U0CONTACT'));
    expect(post.channel).toBe(open.channel?.id);
    expect(fake.messagesIn(open.channel!.id!)).toHaveLength(1);
  });

  it('chat.postMessage gives unique ts values and a message echo; chat.update keeps history', async () => {
    const a = await client.chat.postMessage({ channel: 'C1', text: 'a', blocks: [{ type: 'divider' }] });
    const b = await client.chat.postMessage({ channel: 'C1', text: 'b' });
    expect(a.ts).not.toBe(b.ts);
    expect(a.message).toMatchObject({ text: 'a', bot_id: fake.botId, blocks: [{ type: 'divider' }] });
    await client.chat.update({ channel: 'C1', ts: a.ts!, text: 'a2' });
    expect(fake.messages.get(`C1/${a.ts}`)!.history.map((h) => h.text)).toEqual(['a', 'a2']);
    await expect(client.chat.postMessage({ channel: 'C1' } as never)).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
  });

  it('users.info returns seeded users with locale', async () => {
    fake.addUser({ id: 'U0ZH', name: 'zhang', realName: '张三', locale: 'zh-CN' });
    const res = await client.users.info({ user: 'U0ZH', include_locale: true });
    expect(res.user).toMatchObject({ id: 'U0ZH', real_name: '张三', locale: 'zh-CN', tz: 'Asia/Shanghai' });
  });

  it('rejects calls without a token', async () => {
    const anon = new webApi.WebClient(undefined, {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
    });
    await expect(anon.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_authed' },
    });
  });

  it('accepts JSON bodies and records response_url posts', async () => {
    await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-json' },
      body: JSON.stringify({ channel: 'C2', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(fake.lastCall('chat.postMessage')).toMatchObject({
      token: 'xoxb-json',
      contentType: 'application/json',
      args: { channel: 'C2', blocks: [{ type: 'divider' }] },
    });
    const res = await fetch(fake.responseUrl('T1/2/abc'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"done"}',
    });
    expect(res.status).toBe(200);
    expect(fake.lastCall('response_url')).toMatchObject({ path: '/response/T1/2/abc', args: { text: 'done' } });
  });

  it('scripted failures match by method and channel, count down, then stop', async () => {
    fake.fail('chat.postMessage', { error: 'not_in_channel' }, { channel: 'C9', times: 2 });
    await expect(client.chat.postMessage({ channel: 'C8', text: 'x' })).resolves.toMatchObject({ ok: true });
    await expect(client.chat.postMessage({ channel: 'C9', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
    await expect(client.chat.postMessage({ channel: 'C9', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
    await expect(client.chat.postMessage({ channel: 'C9', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('a 429 carries Retry-After', async () => {
    fake.fail('views.publish', { rateLimited: 12 });
    await expect(client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 12,
    });
  });

  it('waitFor resolves on a later call and times out with the calls seen so far', async () => {
    const waiting = fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U5', { timeoutMs: 2000 });
    await client.chat.postEphemeral({ channel: 'C1', user: 'U5', text: 'only you' });
    expect((await waiting).args.text).toBe('only you');
    await expect(fake.waitFor((c) => c.method === 'never', { timeoutMs: 50 })).rejects.toThrow(/chat.postEphemeral/);
  });
});
