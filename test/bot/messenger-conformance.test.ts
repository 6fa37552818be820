import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { ConsoleMessenger } from '../../adapters/messenger/console/console-messenger.adapter.ts';
import { SlackMessenger, decodeSlackRef } from '../../adapters/messenger/slack/slack-messenger.adapter.ts';
import {
  actions,
  bold,
  button,
  header,
  mention,
  message,
  paragraph,
  type Message,
} from '../../core/messages/message.ts';
import {
  FILE_TOO_LARGE,
  MessengerError,
  type MessageRef,
  type MessengerPort,
} from '../../core/ports/messenger.port.ts';
import { FakeSlackApi } from '../support/slack-fake-api.ts';
import { DingTalkApiClient } from '../../adapters/messenger/dingtalk/dingtalk-api.client.ts';
import { DingTalkMessenger } from '../../adapters/messenger/dingtalk/dingtalk-messenger.adapter.ts';
import { FakeDingTalkApi, type FakeOperation } from '../support/dingtalk-fake-api.ts';

// One contract, every adapter. Each harness exposes what its platform received in a common
// shape, and a way to make the platform fail; the cases below never look at the platform.

type Operation = 'postToChannel' | 'postPrivate' | 'updateMessage' | 'publishHome';

interface Delivery {
  operation: Operation;
  /** Channel for posts, user for private messages and home pages. */
  target: string;
  text: string;
}

/** A file as the platform received it: into a channel, or into one person's chat with the bot. */
interface ReceivedFile {
  to: { channelId: string } | { userId: string };
  filename: string;
  bytes: Buffer;
  /** image message or file message, where the platform tells them apart (else null). */
  kind: 'image' | 'file' | null;
}

interface Harness {
  messenger: MessengerPort;
  /** The same platform with a 10-byte file limit. */
  tiny: MessengerPort;
  files(): ReceivedFile[];
  scriptUploadOutage(): void;
  channel: string;
  user: string;
  /** A channel the platform does not know (or has lost). */
  missingChannel: string;
  /** A well-formed ref to a message that was never posted. */
  unknownRef: MessageRef;
  deliveries(): Delivery[];
  /** Text of the message behind a ref as the platform shows it now. */
  currentText(ref: MessageRef): string | undefined;
  scriptRateLimit(operation: Operation, retryAfter: number): void;
  scriptTransient(operation: Operation): void;
  scriptPermanent(operation: Operation, code: string): void;
  reset(): void;
  close(): Promise<void>;
}

const SLACK_METHOD: Record<Operation, string> = {
  postToChannel: 'chat.postMessage',
  postPrivate: 'chat.postMessage',
  updateMessage: 'chat.update',
  publishHome: 'views.publish',
};

/** Slack's fallback text, read back as plain text: <@U1> → @U1, entities decoded. */
const fromSlackText = (s: string) =>
  s
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

async function slackHarness(): Promise<Harness> {
  const fake = await FakeSlackApi.start();
  fake.deleteChannel('C0GONE');
  const client = new webApi.WebClient('xoxb-test-token', {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
  });
  return {
    messenger: new SlackMessenger(client),
    tiny: new SlackMessenger(client, { maxFileBytes: 10 }),
    files: () =>
      [...fake.uploads.values()]
        .filter((u) => u.channel !== null && u.bytes !== null)
        .map((u) => ({
          to: u.channel!.startsWith('D') ? { userId: u.channel!.slice(1) } : { channelId: u.channel! },
          filename: u.filename,
          bytes: u.bytes!,
          kind: null,
        })),
    scriptUploadOutage: () => fake.fail('upload_url', { status: 503 }),
    channel: 'C0UNITCHAT',
    user: 'U0CONTACT1',
    missingChannel: 'C0GONE',
    unknownRef: 'C0UNITCHAT/1500000000.000001',
    deliveries: () =>
      fake.calls.flatMap((c): Delivery[] => {
        const text = fromSlackText(String(c.args.text ?? ''));
        switch (c.method) {
          case 'chat.postMessage':
            return /^[UW]/.test(c.args.channel)
              ? [{ operation: 'postPrivate', target: c.args.channel, text }]
              : [{ operation: 'postToChannel', target: c.args.channel, text }];
          case 'chat.postEphemeral':
            return [{ operation: 'postPrivate', target: c.args.user, text }];
          case 'chat.update':
            return [{ operation: 'updateMessage', target: c.args.channel, text }];
          case 'views.publish':
            return [{ operation: 'publishHome', target: c.args.user_id, text: JSON.stringify(c.args.view) }];
          default:
            return [];
        }
      }),
    currentText: (ref) => {
      const { channel, ts } = decodeSlackRef(ref);
      const text = fake.messages.get(`${channel}/${ts}`)?.text;
      return text === undefined ? undefined : fromSlackText(text);
    },
    scriptRateLimit: (op, retryAfter) => fake.fail(SLACK_METHOD[op], { rateLimited: retryAfter }),
    scriptTransient: (op) => fake.fail(SLACK_METHOD[op], { status: 503, body: 'upstream connect error' }),
    scriptPermanent: (op, code) => fake.fail(SLACK_METHOD[op], { error: code }),
    reset: () => fake.reset(),
    close: () => fake.close(),
  };
}

async function consoleHarness(): Promise<Harness> {
  const channel = 'console-unit-chat';
  const filesDir = mkdtempSync(join(tmpdir(), 'kaoping-conformance-'));
  const messenger = new ConsoleMessenger({ channels: [channel, 'console-organisers'], filesDir });
  return {
    messenger,
    tiny: new ConsoleMessenger({ channels: [channel], filesDir, maxFileBytes: 10 }),
    files: () =>
      messenger.files.map((f) => ({
        to: f.kind === 'channel' ? { channelId: f.target } : { userId: f.target },
        filename: f.filename,
        bytes: readFileSync(f.path),
        kind: null,
      })),
    scriptUploadOutage: () => messenger.failNext('sendFile', { code: 'unavailable', permanent: false }),
    channel,
    user: 'console-user-1',
    missingChannel: 'console-gone',
    unknownRef: 'console:999',
    deliveries: () =>
      messenger.sent.map((s) => ({
        operation: s.operation as Operation,
        target: s.target,
        text: s.operation === 'publishHome' ? s.rendered : s.message.text,
      })),
    currentText: (ref) => messenger.current(ref)?.text,
    scriptRateLimit: (op, retryAfter) => messenger.failNext(op, { code: 'ratelimited', permanent: false, retryAfter }),
    scriptTransient: (op) => messenger.failNext(op, { code: 'unavailable', permanent: false }),
    scriptPermanent: (op, code) => messenger.failNext(op, { code, permanent: true }),
    reset: () => {
      messenger.sent.length = 0;
      messenger.files.length = 0;
    },
    close: async () => rmSync(filesDir, { recursive: true, force: true }),
  };
}

const DINGTALK_OPERATION: Record<Operation, FakeOperation> = {
  postToChannel: 'card.createAndDeliver',
  postPrivate: 'card.createAndDeliver',
  // an update is a card update; a home page is an update first (created when missing)
  updateMessage: 'card.update',
  publishHome: 'card.update',
};

async function dingTalkHarness(): Promise<Harness> {
  const fake = await FakeDingTalkApi.start();
  fake.removeConversation('cidGone==');
  const api = new DingTalkApiClient({
    appKey: fake.appKey,
    appSecret: fake.appSecret,
    apiBaseUrl: fake.url,
    oapiBaseUrl: fake.url,
  });
  const config = { robotCode: fake.appKey, cardTemplateId: 'kaoping-card.schema', callbackType: 'STREAM' as const };
  const messenger = new DingTalkMessenger(api, config);
  const cardOf = (ref: MessageRef) => fake.cards.get(ref.replace(/^dingtalk:/, ''));
  return {
    messenger,
    tiny: new DingTalkMessenger(api, config, { maxFileBytes: 10 }),
    files: () =>
      fake.robotMessages.flatMap((m) => {
        const media = fake.media.get(m.msgParam.mediaId ?? m.msgParam.photoURL ?? '');
        if (!media) return [];
        return m.targets.map((t) => ({
          to: m.space === 'group' ? { channelId: t } : { userId: t },
          filename: media.filename,
          bytes: media.bytes,
          kind: m.msgKey === 'sampleImageMsg' ? ('image' as const) : ('file' as const),
        }));
      }),
    scriptUploadOutage: () => fake.fail('media.upload', { status: 503, code: 'ServiceUnavailable' }),
    channel: 'cidUnitChat==',
    user: 'U0CONTACT1',
    missingChannel: 'cidGone==',
    unknownRef: 'dingtalk:kp-never-posted',
    deliveries: () => {
      const out: Delivery[] = [];
      for (const c of fake.calls) {
        if (c.status !== 200) continue;
        const text = String(c.body.cardData?.cardParamMap?.summary ?? '');
        const home = String(c.body.outTrackId ?? '').startsWith('kp-home-');
        if (c.operation === 'card.createAndDeliver') {
          const space = String(c.body.openSpaceId);
          const target = space.replace(/^dtv1\.card\/\/IM_(GROUP|ROBOT)\./, '');
          const operation: Operation = home
            ? 'publishHome'
            : space.includes('IM_GROUP')
              ? 'postToChannel'
              : 'postPrivate';
          out.push({ operation, target, text: home ? JSON.stringify(c.body.cardData) : text });
        } else if (c.operation === 'card.update') {
          const card = fake.cards.get(c.body.outTrackId);
          out.push(
            home
              ? { operation: 'publishHome', target: card?.target ?? '', text: JSON.stringify(c.body.cardData) }
              : { operation: 'updateMessage', target: card?.target ?? '', text },
          );
        }
      }
      return out;
    },
    currentText: (ref) => cardOf(ref)?.params.summary,
    scriptRateLimit: (op, retryAfter) =>
      fake.fail(DINGTALK_OPERATION[op], {
        status: 429,
        code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
        retryAfter,
      }),
    scriptTransient: (op) => fake.fail(DINGTALK_OPERATION[op], { status: 503, code: 'ServiceUnavailable' }),
    scriptPermanent: (op, code) => fake.fail(DINGTALK_OPERATION[op], { status: 403, code }),
    reset: () => fake.reset(),
    close: () => fake.close(),
  };
}

const notice = (n: number): Message =>
  message([
    header(`Notice ${n}`),
    paragraph('Finding ', bold(`F-${n}`), ' for ', mention('U0CONTACT1')),
    actions(button('Submit', 'finding.submit_rectification', `F-${n}`, 'primary')),
  ]);

async function rejection(p: Promise<unknown>): Promise<MessengerError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MessengerError);
  return e as MessengerError;
}

const harnesses: Array<[string, () => Promise<Harness>]> = [
  ['console', consoleHarness],
  ['slack (fake Web API)', slackHarness],
  ['dingtalk (fake DingTalk API)', dingTalkHarness],
];

describe.each(harnesses)('MessengerPort conformance: %s', (_name, make) => {
  let h: Harness;
  beforeAll(async () => {
    h = await make();
  });
  afterEach(() => h.reset());
  afterAll(async () => {
    await h.close();
  });

  it('postToChannel delivers the message and returns a ref', async () => {
    const { ref } = await h.messenger.postToChannel(h.channel, notice(1));
    expect(typeof ref).toBe('string');
    expect(ref.length).toBeGreaterThan(0);
    expect(h.deliveries()).toEqual([
      { operation: 'postToChannel', target: h.channel, text: 'Notice 1\nFinding F-1 for @U0CONTACT1' },
    ]);
    expect(h.currentText(ref)).toBe('Notice 1\nFinding F-1 for @U0CONTACT1');
  });

  it('each post gets its own ref', async () => {
    const a = await h.messenger.postToChannel(h.channel, notice(1));
    const b = await h.messenger.postToChannel(h.channel, notice(2));
    expect(a.ref).not.toBe(b.ref);
  });

  it('updateMessage replaces the message behind the ref, without posting a new one', async () => {
    const { ref } = await h.messenger.postToChannel(h.channel, notice(1));
    await h.messenger.updateMessage(ref, message([paragraph('Closed')]));
    expect(h.currentText(ref)).toBe('Closed');
    expect(h.deliveries().map((d) => d.operation)).toEqual(['postToChannel', 'updateMessage']);
  });

  it('updating a message that does not exist is a permanent error', async () => {
    const e = await rejection(h.messenger.updateMessage(h.unknownRef, notice(2)));
    expect(e).toMatchObject({ code: 'message_not_found', permanent: true });
  });

  it('postPrivate reaches the user, and a direct message can be updated', async () => {
    const { ref } = await h.messenger.postPrivate(h.user, notice(3));
    expect(h.deliveries()).toEqual([
      { operation: 'postPrivate', target: h.user, text: 'Notice 3\nFinding F-3 for @U0CONTACT1' },
    ]);
    expect(ref).not.toBeNull();
    await h.messenger.updateMessage(ref!, message([paragraph('Seen')]));
    expect(h.currentText(ref!)).toBe('Seen');
  });

  it('postPrivate with a channel shows the message to that user only, with no ref', async () => {
    const res = await h.messenger.postPrivate({ userId: h.user, channelId: h.channel }, notice(4));
    expect(res.ref).toBeNull();
    expect(h.deliveries()).toEqual([
      { operation: 'postPrivate', target: h.user, text: 'Notice 4\nFinding F-4 for @U0CONTACT1' },
    ]);
  });

  it('publishHome replaces the user’s home page', async () => {
    await h.messenger.publishHome(h.user, message([header('Home'), paragraph('Score 98')]));
    const d = h.deliveries();
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ operation: 'publishHome', target: h.user });
    expect(d[0]!.text).toContain('Score 98');
  });

  it('a channel that does not exist is a permanent error', async () => {
    const e = await rejection(h.messenger.postToChannel(h.missingChannel, notice(5)));
    expect(e).toMatchObject({ code: 'channel_not_found', permanent: true, platform: h.messenger.platform });
    expect(e.retryAfter).toBeUndefined();
  });

  it('a rate limit is transient and carries retryAfter', async () => {
    h.scriptRateLimit('postToChannel', 7);
    const e = await rejection(h.messenger.postToChannel(h.channel, notice(6)));
    expect(e).toMatchObject({ permanent: false, retryAfter: 7 });
    // and the next call goes through
    await expect(h.messenger.postToChannel(h.channel, notice(6))).resolves.toHaveProperty('ref');
  });

  it('a scripted permanent refusal (e.g. account_inactive) is permanent', async () => {
    h.scriptPermanent('postPrivate', 'account_inactive');
    const e = await rejection(h.messenger.postPrivate(h.user, notice(9)));
    expect(e).toMatchObject({ code: 'account_inactive', permanent: true });
  });

  it('an outage is transient', async () => {
    h.scriptTransient('publishHome');
    const e = await rejection(h.messenger.publishHome(h.user, notice(7)));
    expect(e.permanent).toBe(false);
  });

  const report = () => ({
    filename: '考评-2017-09.xlsx',
    bytes: new Uint8Array(Buffer.from('PK\u0003\u0004 a workbook, 中文')),
    kind: 'file' as const,
    title: '2017年9月考评',
  });

  it('sendFile puts the file, bytes and name intact, into the channel', async () => {
    const file = report();
    const sent = await h.messenger.sendFile({ channelId: h.channel }, file);
    expect(sent.fileId.length).toBeGreaterThan(0);
    const got = h.files();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ to: { channelId: h.channel }, filename: file.filename });
    expect(Buffer.compare(got[0]!.bytes, Buffer.from(file.bytes))).toBe(0);
  });

  it('sendFile to a person reaches their chat with the bot; an image goes as an image', async () => {
    const png = {
      filename: 'trend.png',
      bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
      kind: 'image' as const,
    };
    await h.messenger.sendFile({ userId: h.user }, png);
    const got = h.files();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ to: { userId: h.user }, filename: 'trend.png' });
    expect(got[0]!.kind === null || got[0]!.kind === 'image').toBe(true);
  });

  it('a file over the platform’s limit is refused before anything is uploaded, permanently', async () => {
    expect(h.tiny.maxFileBytes).toBe(10);
    const e = await rejection(h.tiny.sendFile({ channelId: h.channel }, report()));
    expect(e).toMatchObject({ code: FILE_TOO_LARGE, permanent: true, platform: h.messenger.platform });
    expect(h.files()).toEqual([]);
    expect(h.deliveries()).toEqual([]);
  });

  it('an upload outage is a transient error, and the next try goes through', async () => {
    h.scriptUploadOutage();
    const e = await rejection(h.messenger.sendFile({ channelId: h.channel }, report()));
    expect(e.permanent).toBe(false);
    expect(h.files()).toEqual([]);
    await h.messenger.sendFile({ channelId: h.channel }, report());
    expect(h.files()).toHaveLength(1);
  });

  it('a file for a channel that does not exist is a permanent channel_not_found', async () => {
    const e = await rejection(h.messenger.sendFile({ channelId: h.missingChannel }, report()));
    expect(e).toMatchObject({ code: 'channel_not_found', permanent: true });
  });

  it('MessengerError survives a JSON round trip (job data)', async () => {
    h.scriptRateLimit('postPrivate', 3);
    const e = await rejection(h.messenger.postPrivate(h.user, notice(8)));
    const back = MessengerError.fromJSON(JSON.parse(JSON.stringify(e)));
    expect(back).toMatchObject({ code: e.code, permanent: false, retryAfter: 3, platform: h.messenger.platform });
  });
});

describe('SlackMessenger specifics (fake Web API)', () => {
  let fake: FakeSlackApi;
  let slack: SlackMessenger;
  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    slack = new SlackMessenger(
      new webApi.WebClient('xoxb-test-token', {
        slackApiUrl: fake.url,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logLevel: webApi.LogLevel.ERROR,
      }),
    );
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await fake.close();
  });

  it('sends Block Kit and the bot token; the ref is <channel>/<ts>', async () => {
    const { ref } = await slack.postToChannel('C0UNITCHAT', notice(1));
    const call = fake.lastCall('chat.postMessage')!;
    expect(call.token).toBe('xoxb-test-token');
    expect(call.contentType).toBe('application/x-www-form-urlencoded');
    expect(call.args).toMatchObject({ channel: 'C0UNITCHAT', unfurl_links: 'false' });
    expect(call.args.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Notice 1', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Finding *F-1* for <@U0CONTACT1>' } },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'finding.submit_rectification',
            text: { type: 'plain_text', text: 'Submit', emoji: true },
            value: 'F-1',
            style: 'primary',
          },
        ],
      },
    ]);
    expect(ref).toMatch(/^C0UNITCHAT\/\d+\.\d{6}$/);
  });

  it('a direct message goes to the user id and is updated in the DM channel', async () => {
    const { ref } = await slack.postPrivate('U0CONTACT1', notice(2));
    expect(fake.lastCall('chat.postMessage')!.args.channel).toBe('U0CONTACT1');
    expect(ref!.startsWith(`${fake.dmChannelFor('U0CONTACT1')}/`)).toBe(true);
    await slack.updateMessage(ref!, notice(3));
    expect(fake.lastCall('chat.update')!.args).toMatchObject({
      channel: fake.dmChannelFor('U0CONTACT1'),
      ts: decodeSlackRef(ref!).ts,
    });
  });

  it('an ephemeral message uses chat.postEphemeral with channel and user', async () => {
    await slack.postPrivate({ userId: 'U0CONTACT1', channelId: 'C0UNITCHAT' }, notice(4));
    expect(fake.lastCall('chat.postEphemeral')!.args).toMatchObject({ channel: 'C0UNITCHAT', user: 'U0CONTACT1' });
  });

  it('publishHome sends a home view', async () => {
    await slack.publishHome('U0CONTACT1', notice(5));
    const call = fake.lastCall('views.publish')!;
    expect(call.args.user_id).toBe('U0CONTACT1');
    expect(call.args.view.type).toBe('home');
    expect(call.args.view.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Notice 5', emoji: true },
    });
  });

  it.each([
    ['channel_not_found', true],
    ['not_in_channel', true],
    ['is_archived', true],
    ['account_inactive', true],
    ['invalid_blocks', true],
    ['ratelimited', false],
    ['internal_error', false],
    ['fatal_error', false],
  ])('platform error %s → permanent=%s', async (code, permanent) => {
    fake.fail('chat.postMessage', { error: code }, { channel: 'C0ANY' });
    const e = await rejection(slack.postToChannel('C0ANY', notice(6)));
    expect(e).toMatchObject({ code, permanent, platform: 'slack', operation: 'chat.postMessage' });
  });

  it('HTTP 503 and a dropped connection are transient; HTTP 400 is permanent', async () => {
    fake.fail('chat.postMessage', { status: 503 });
    expect(await rejection(slack.postToChannel('C0A', notice(7)))).toMatchObject({
      code: 'http_503',
      permanent: false,
    });
    fake.fail('chat.postMessage', { network: true });
    expect(await rejection(slack.postToChannel('C0A', notice(7)))).toMatchObject({ code: 'network', permanent: false });
    fake.fail('chat.postMessage', { status: 400 });
    expect(await rejection(slack.postToChannel('C0A', notice(7)))).toMatchObject({ code: 'http_400', permanent: true });
  });

  it('a failure scripted for one channel leaves other channels alone', async () => {
    fake.fail('chat.postMessage', { error: 'is_archived' }, { channel: 'C0OLD', times: Infinity });
    await expect(slack.postToChannel('C0NEW', notice(8))).resolves.toHaveProperty('ref');
    await expect(slack.postToChannel('C0OLD', notice(8))).rejects.toMatchObject({ code: 'is_archived' });
    await expect(slack.postToChannel('C0OLD', notice(8))).rejects.toMatchObject({ code: 'is_archived' });
  });

  it('with Bolt’s default client options (no rejectRateLimitedCalls) a 429 is still transient with retryAfter', async () => {
    const defaults = new SlackMessenger(
      new webApi.WebClient('xoxb-test-token', {
        slackApiUrl: fake.url,
        retryConfig: { retries: 0 },
        logLevel: webApi.LogLevel.ERROR,
      }),
    );
    fake.fail('chat.postMessage', { rateLimited: 0 });
    expect(await rejection(defaults.postToChannel('C0A', notice(9)))).toMatchObject({
      code: 'ratelimited',
      permanent: false,
      retryAfter: 0,
    });
  });

  it('a ref from another platform is rejected as permanent', async () => {
    expect(await rejection(slack.updateMessage('console:1', notice(1)))).toMatchObject({
      code: 'invalid_ref',
      permanent: true,
    });
  });
});

describe('DingTalkMessenger specifics (fake DingTalk API)', () => {
  let fake: FakeDingTalkApi;
  let now: number;
  let api: DingTalkApiClient;
  let dt: DingTalkMessenger;
  beforeAll(async () => {
    fake = await FakeDingTalkApi.start();
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await fake.close();
  });
  const fresh = () => {
    now = Date.parse('2026-11-26T09:00:00Z');
    api = new DingTalkApiClient({
      appKey: fake.appKey,
      appSecret: fake.appSecret,
      apiBaseUrl: fake.url,
      oapiBaseUrl: fake.url,
      now: () => now,
    });
    dt = new DingTalkMessenger(api, { robotCode: 'dingrobot', cardTemplateId: 'tpl.schema', callbackType: 'STREAM' });
  };

  it('a group card @-mentions the mentioned users by DingTalk user id, with the buttons as card params', async () => {
    fresh();
    const { ref } = await dt.postToChannel('cidUnit==', notice(1));
    const call = fake.callsOf('card.createAndDeliver')[0]!;
    expect(call.body).toMatchObject({
      cardTemplateId: 'tpl.schema',
      openSpaceId: 'dtv1.card//IM_GROUP.cidUnit==',
      imGroupOpenDeliverModel: { robotCode: 'dingrobot', atUserIds: { U0CONTACT1: 'U0CONTACT1' } },
      callbackType: 'STREAM',
    });
    const params = call.body.cardData.cardParamMap;
    expect(params.markdown).toContain('@U0CONTACT1');
    expect(JSON.parse(params.buttons)).toEqual([
      { text: 'Submit', action: 'finding.submit_rectification', value: 'F-1', color: 'blue' },
    ]);
    expect(ref).toBe(`dingtalk:${call.body.outTrackId}`);
  });

  it('fetches the access token once, reuses it, and refreshes it before it expires', async () => {
    fresh();
    await dt.postToChannel('cidUnit==', notice(1));
    await dt.postToChannel('cidUnit==', notice(2));
    expect(fake.callsOf('oauth2.accessToken')).toHaveLength(1);
    now += (7200 - 4 * 60) * 1000; // inside the 5-minute margin
    await dt.postToChannel('cidUnit==', notice(3));
    expect(fake.callsOf('oauth2.accessToken')).toHaveLength(2);
    const tokens = fake.callsOf('card.createAndDeliver').map((c) => c.token);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).not.toBe(tokens[1]);
  });

  it('a token DingTalk refuses is refreshed once and the call retried', async () => {
    fresh();
    await dt.postToChannel('cidUnit==', notice(1));
    fake.expireTokens();
    await expect(dt.postToChannel('cidUnit==', notice(2))).resolves.toHaveProperty('ref');
    expect(fake.callsOf('oauth2.accessToken')).toHaveLength(2);
    expect(fake.callsOf('card.createAndDeliver').map((c) => c.status)).toEqual([200, 401, 200]);
  });

  it('a refusal that survives the refresh is permanent, not a loop', async () => {
    fresh();
    fake.fail('card.createAndDeliver', { status: 401, code: 'InvalidAuthentication' }, { times: 2 });
    const e = await rejection(dt.postToChannel('cidUnit==', notice(1)));
    expect(e).toMatchObject({ permanent: true, code: 'InvalidAuthentication' });
    expect(fake.callsOf('card.createAndDeliver')).toHaveLength(2);
  });

  // The classification and its sources: adapters/messenger/dingtalk/dingtalk-errors.ts.
  it.each([
    // [1] QPS limits last one second
    [{ status: 403, code: 'Forbidden.AccessDenied.QpsLimitForApi' }, 'ratelimited', false, 1],
    [{ status: 403, code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi' }, 'ratelimited', false, 1],
    [{ status: 403, code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', retryAfter: 2 }, 'ratelimited', false, 2],
    [{ errcode: 90018 }, 'ratelimited', false, 1],
    [{ errcode: 90002 }, 'ratelimited', false, 1],
    // [1] the month's call quota is spent: nothing succeeds until someone acts
    [
      { status: 403, code: 'Forbidden.AccessDenied.ApiCountLimitForOrg' },
      'Forbidden.AccessDenied.ApiCountLimitForOrg',
      true,
      undefined,
    ],
    [{ errcode: 90020 }, '90020', true, undefined],
    // [2] a robot over 20 a minute is throttled for 10 minutes
    [{ errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }, 'ratelimited', false, 600],
    // an HTTP 429 that says nothing more
    [{ status: 429, code: 'Throttling' }, 'ratelimited', false, 60],
    // [3] errcode 88 is a wrapper: its sub_code decides (a missing permission is final)
    [{ errcode: 88, sub_code: '60011', sub_msg: '应用尚未开通所需的权限' }, '60011', true, undefined],
    [{ errcode: -1, errmsg: '系统繁忙' }, '-1', false, undefined],
    [{ status: 500, code: 'InternalError' }, 'InternalError', false, undefined],
    [{ status: 400, code: 'invalidParameter.cardTemplateId' }, 'invalidParameter.cardTemplateId', true, undefined],
    [
      { status: 403, code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied' },
      'Forbidden.AccessDenied.AccessTokenPermissionDenied',
      true,
      undefined,
    ],
    // [1] the per-IP block is a page: wait the minutes it names
    [{ raw: '{"status":1111,"wait":5,"source":"x5","punish":"deny","uuid":"x"}' }, 'ratelimited', false, 300],
    [{ raw: '<html><body>502 Bad Gateway</body></html>' }, 'bad_response', false, undefined],
  ] as const)('DingTalk answer %j → %s, permanent=%s, retryAfter=%s', async (failure, code, permanent, retryAfter) => {
    fresh();
    fake.fail('card.createAndDeliver', failure);
    const e = await rejection(dt.postToChannel('cidUnit==', notice(1)));
    expect(e).toMatchObject({ code, permanent, platform: 'dingtalk', operation: 'card.createAndDeliver' });
    expect(e.retryAfter).toBe(retryAfter);
  });

  it('a token refusal wrapped in errcode 88 (sub_code 40014) refreshes the token and retries', async () => {
    fresh();
    await dt.postToChannel('cidUnit==', notice(1));
    fake.fail('card.createAndDeliver', { errcode: 88, sub_code: '40014', sub_msg: '不合法的access_token' });
    await expect(dt.postToChannel('cidUnit==', notice(2))).resolves.toHaveProperty('ref');
    expect(fake.callsOf('oauth2.accessToken')).toHaveLength(2);
    expect(fake.callsOf('card.createAndDeliver')).toHaveLength(3);
  });

  it('the new API’s refusal of a bad token is HTTP 400 InvalidAuthentication: refreshed too', async () => {
    fresh();
    await dt.postToChannel('cidUnit==', notice(1));
    fake.fail('card.createAndDeliver', { status: 400, code: 'InvalidAuthentication', message: '不合法的access_token' });
    await expect(dt.postToChannel('cidUnit==', notice(2))).resolves.toHaveProperty('ref');
    expect(fake.callsOf('oauth2.accessToken')).toHaveLength(2);
  });

  it('a dropped connection is transient', async () => {
    fresh();
    fake.fail('card.createAndDeliver', { network: true });
    expect(await rejection(dt.postToChannel('cidUnit==', notice(1)))).toMatchObject({
      code: 'network',
      permanent: false,
    });
  });

  it('replies through the sessionWebhook as markdown with real @s, and only on the configured host', async () => {
    fresh();
    await dt.replyBySession(fake.sessionWebhook('s1'), notice(1));
    const call = fake.callsOf('sendBySession')[0]!;
    expect(call.query.session).toBe('s1');
    expect(call.body).toMatchObject({ msgtype: 'markdown', at: { atUserIds: ['U0CONTACT1'] } });
    expect(call.token).toBeUndefined();
    expect(
      await rejection(dt.replyBySession('https://evil.example/robot/sendBySession?session=x', notice(1))),
    ).toMatchObject({ code: 'bad_webhook', permanent: true });
  });

  describe('with work notifications (DINGTALK_AGENT_ID)', () => {
    const detail = message([header('市公安局 2017-09'), paragraph('年度得分 ', bold('97'), ' 分')]);
    const withAgent = () => {
      fresh();
      dt = new DingTalkMessenger(api, {
        robotCode: 'dingrobot',
        cardTemplateId: 'tpl.schema',
        callbackType: 'STREAM',
        workNoticeAgentId: '3051234567',
      });
    };

    it('private detail without buttons is a work notification under the AgentId, as markdown; it has no ref', async () => {
      withAgent();
      expect(await dt.postPrivate('dt-contact-1', detail)).toEqual({ ref: null });
      expect(fake.callsOf('card.createAndDeliver')).toHaveLength(0);
      const [call] = fake.callsOf('workNotice.send');
      expect(call!.body).toMatchObject({
        agent_id: 3051234567,
        userid_list: 'dt-contact-1',
        msg: { msgtype: 'markdown' },
      });
      expect(fake.workNotices).toEqual([
        {
          agentId: 3051234567,
          userIds: ['dt-contact-1'],
          title: '市公安局 2017-09',
          text: expect.stringContaining('**97**'),
        },
      ]);
    });

    it('a message with buttons, or shown beside a channel, stays a card in the chat with the robot', async () => {
      withAgent();
      await dt.postPrivate('dt-contact-1', notice(1));
      await dt.postPrivate({ userId: 'dt-contact-1', channelId: 'cidUnit==' }, detail);
      expect(fake.callsOf('workNotice.send')).toHaveLength(0);
      expect(fake.cardsTo('dt-contact-1')).toHaveLength(2);
    });

    it('a token the old API refuses (errcode 88, sub_code 40014) is refreshed once and the notice sent', async () => {
      withAgent();
      await dt.postPrivate('dt-contact-1', detail);
      fake.expireTokens();
      await dt.postPrivate('dt-contact-2', detail);
      expect(fake.callsOf('oauth2.accessToken')).toHaveLength(2);
      expect(fake.workNotices.map((n) => n.userIds)).toEqual([['dt-contact-1'], ['dt-contact-2']]);
    });

    it('a refusal is classified like any other: a missing permission is permanent, a throttle waits', async () => {
      withAgent();
      fake.fail('workNotice.send', { errcode: 88, sub_code: '60011', sub_msg: '应用尚未开通所需的权限' });
      expect(await rejection(dt.postPrivate('dt-contact-1', detail))).toMatchObject({
        code: '60011',
        permanent: true,
        operation: 'workNotice.send',
      });
      fake.fail('workNotice.send', { errcode: 90018 });
      expect(await rejection(dt.postPrivate('dt-contact-1', detail))).toMatchObject({
        code: 'ratelimited',
        retryAfter: 1,
      });
    });
  });

  it('a ref from another platform is rejected as permanent', async () => {
    fresh();
    expect(await rejection(dt.updateMessage('C0UNITCHAT/1500000000.000001', notice(1)))).toMatchObject({
      code: 'invalid_ref',
      permanent: true,
    });
  });
});
