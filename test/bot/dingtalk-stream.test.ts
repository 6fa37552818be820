import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDingTalkBot, type DingTalkBot } from '../../bot/dingtalk/create-dingtalk-bot.ts';
import { OpenFormsRepository } from '../../prisma/repositories/open-forms.repository.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { createCoreFixture } from '../support/core-fixture.ts';
import { FakeDingTalkApi } from '../support/dingtalk-fake-api.ts';
import { groupMessage, sample } from '../support/dingtalk-requests.ts';
import { FakeStreamGateway, type StreamFrame } from '../support/dingtalk-stream-gateway.ts';

// Stream mode: the official SDK's own connection (dingtalk-stream 2.1.5), its gateway pointed at
// a local stand-in through the configured API base URL. Frames are the published sample
// (stream.robot_message.frame.json) with the message inside replaced.

const PSB_GROUP = 'cidPSBgroup==';

describe('DingTalk robot, Stream mode', () => {
  let fx: Awaited<ReturnType<typeof createCoreFixture>>;
  let api: FakeDingTalkApi;
  let gateway: FakeStreamGateway;
  let bot: DingTalkBot;

  beforeAll(async () => {
    fx = await createCoreFixture({ now: '2017-10-09T10:00:00+08:00' });
    api = await FakeDingTalkApi.start();
    gateway = await FakeStreamGateway.start(api);
    for (const [id, role, unit] of [
      ['dt-organiser', 'organiser', undefined],
      ['dt-inspector', 'inspector', undefined],
      ['dt-contact-1', 'unit_contact', '市公安局'],
    ] as const)
      await fx.prisma.member.create({
        data: {
          identities: { create: { platform: 'dingtalk', externalId: id } },
          role,
          ...(unit ? { unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: unit } } } } : {}),
        },
      });
    const org = await fx.membership.resolveActor('dingtalk', 'dt-organiser');
    if (!org.ok) throw org.error;
    await fx.membership.bindChannel(org.value, { platform: 'dingtalk', scope: '市公安局', channelId: PSB_GROUP });
    bot = createDingTalkBot(
      {
        ...fx.assessment,
        logger: pino({ level: 'silent' }),
        defaultLocale: 'zh-CN',
      },
      {
        appKey: api.appKey,
        appSecret: api.appSecret,
        robotCode: api.appKey,
        cardTemplateId: 'kaoping-card.schema',
        mode: 'stream',
        apiBaseUrl: api.url,
        oapiBaseUrl: api.url,
      },
      { openForms: new OpenFormsRepository(fx.prisma) },
    );
    await bot.start(0);
    await gateway.connected();
  });
  afterAll(async () => {
    await bot?.stop();
    await gateway?.close();
    await api?.close();
    await fx?.drop();
  });

  function frame(topic: string, messageId: string, data: unknown): StreamFrame {
    const s = sample<StreamFrame>('stream.robot_message.frame.json');
    return { ...s, headers: { ...s.headers, topic, messageId, time: String(Date.now()) }, data: JSON.stringify(data) };
  }

  it('opens the connection with the app credentials and subscribes to robot messages and card callbacks', () => {
    const open = api.callsOf('gateway.open')[0]!;
    expect(open.body).toMatchObject({ clientId: api.appKey, clientSecret: api.appSecret });
    expect(open.body.subscriptions).toEqual(
      expect.arrayContaining([
        { type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' },
        { type: 'CALLBACK', topic: '/v1.0/card/instances/callback' },
      ]),
    );
    expect(gateway.tickets).toEqual(['ticket-kaoping-test']);
  });

  it('a /finding frame files one finding; the same frame redelivered is acknowledged again and handled once', async () => {
    const msg = groupMessage({
      msgId: 'msgStreamFinding1',
      text: '/finding 市公安局 2.1.1a 网上受理未覆盖',
      from: 'dt-inspector',
      conversationId: 'cidInspectors==',
      sessionWebhook: api.sessionWebhook('s'),
    });
    const f1 = frame('/v1.0/im/bot/messages/get', 'stream-msg-1', msg);
    gateway.send(f1);
    await gateway.acked('stream-msg-1');
    await bot.idle();
    expect(await fx.prisma.finding.count()).toBe(1);
    expect(api.cardsTo(PSB_GROUP)).toHaveLength(1);
    // the ack echoes the frame's messageId, as the published ack sample shows
    const ack = gateway.acks.find((a) => a.headers.messageId === 'stream-msg-1')!;
    expect(ack).toMatchObject({ code: 200, message: 'OK' });

    gateway.send(f1); // DingTalk re-sends a frame it thinks was not acknowledged
    await gateway.acked('stream-msg-1', 2);
    // and a new frame carrying the same message (a retry by DingTalk's robot service)
    gateway.send(frame('/v1.0/im/bot/messages/get', 'stream-msg-2', msg));
    await gateway.acked('stream-msg-2');
    await bot.idle();
    expect(await fx.prisma.finding.count()).toBe(1);
    expect(api.cardsTo(PSB_GROUP)).toHaveLength(1);
  });

  it('a card button press arrives on the card topic and is handled like the HTTP callback', async () => {
    const f = await fx.prisma.finding.findFirstOrThrow();
    const notice = api.cardsTo(PSB_GROUP)[0]!;
    const press = {
      ...sample('card_callback.http.body.json'),
      outTrackId: notice.outTrackId,
      userId: 'dt-contact-1',
      content: JSON.stringify({
        cardPrivateData: { actionIds: ['1'], params: { action: ACTION.submitRectification, value: f.id } },
      }),
    };
    gateway.send(frame('/v1.0/card/instances/callback', 'stream-card-1', press));
    await gateway.acked('stream-card-1');
    await bot.idle();
    // the guided form opens in the contact's chat with the robot
    expect(api.cardsTo('dt-contact-1')).toHaveLength(1);
  });

  it('the SDK prints nothing of its own: connecting and disconnecting are lines of our log', async () => {
    const lines: Array<{ msg: string; client?: string }> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const printed = [
      vi.spyOn(console, 'info'),
      vi.spyOn(console, 'log'),
      vi.spyOn(console, 'warn'),
      vi.spyOn(console, 'error'),
    ];
    const second = await FakeStreamGateway.start(api); // the fake API now hands this one out
    const other = createDingTalkBot(
      { ...fx.assessment, logger: pino({ level: 'info' }, sink), defaultLocale: 'zh-CN' },
      {
        appKey: api.appKey,
        appSecret: api.appSecret,
        robotCode: api.appKey,
        cardTemplateId: 'kaoping-card.schema',
        mode: 'stream',
        apiBaseUrl: api.url,
        oapiBaseUrl: api.url,
      },
      { openForms: new OpenFormsRepository(fx.prisma) },
    );
    try {
      await other.start(0);
      await second.connected();
      await other.stop();
      for (const spy of printed) expect(spy).not.toHaveBeenCalled();
      expect(lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['DingTalk Stream connected', 'DingTalk Stream disconnected']),
      );
    } finally {
      for (const spy of printed) spy.mockRestore();
      await second.close();
    }
  });
});
