import { DWClient, type DWClientDownStream, TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import type { Logger } from 'pino';
import type { DingTalkHandlers } from './handlers/index.ts';
import { cardCallbackSchema, robotMessageSchema } from './robot-message.schema.ts';
import type { SeenMessages } from './seen-messages.ts';

// Stream mode through the official SDK (dingtalk-stream 2.1.5): the bot opens a WebSocket to
// DingTalk, so an office behind a firewall needs no public URL. The SDK's gateway URL is fixed to
// public DingTalk; this client asks the configured API host instead (专有钉钉 / 浙政钉 have their
// own), which is also how the tests reach a local stand-in gateway. Every callback is
// acknowledged at once (an un-acked frame is re-sent for about 60 s) and de-duplicated on the
// frame's messageId and the message's msgId.

export interface StreamReceiverOptions {
  clientId: string;
  clientSecret: string;
  /** e.g. https://api.dingtalk.com — the connection is opened at <apiBaseUrl>/v1.0/gateway/connections/open */
  apiBaseUrl: string;
  handlers: DingTalkHandlers;
  seen: SeenMessages;
  logger: Logger;
}

class KaopingStreamClient extends DWClient {
  constructor(
    opts: { clientId: string; clientSecret: string },
    private readonly gatewayUrl: string,
  ) {
    super({ ...opts, keepAlive: true, ua: 'kaoping' });
  }

  override async getEndpoint(): Promise<this> {
    const { clientId, clientSecret, ua, subscriptions } = this.config;
    const res = await fetch(this.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ clientId, clientSecret, ua, subscriptions }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as { endpoint?: string; ticket?: string };
    if (!res.ok || !body.endpoint || !body.ticket) throw new Error(`Stream gateway refused: HTTP ${res.status}`);
    // the SDK connects to dw_url (declared private in its types, a plain field at run time)
    (this as unknown as { dw_url: string }).dw_url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }
}

export interface StreamReceiver {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Handlers still running (tests wait for them). */
  idle(): Promise<void>;
}

export function createStreamReceiver(o: StreamReceiverOptions): StreamReceiver {
  const client = new KaopingStreamClient(
    { clientId: o.clientId, clientSecret: o.clientSecret },
    `${o.apiBaseUrl.replace(/\/+$/, '')}/v1.0/gateway/connections/open`,
  );
  const running = new Set<Promise<void>>();

  const take = (frame: DWClientDownStream, run: (data: unknown) => Promise<void> | null) => {
    const messageId = frame.headers.messageId;
    // ack first: the work below may take longer than DingTalk waits
    client.socketCallBackResponse(messageId, null);
    if (!o.seen.firstTime(`frame:${messageId}`)) {
      o.logger.info({ messageId }, 'Stream frame delivered again; handled once');
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(frame.data);
    } catch {
      o.logger.warn({ messageId, topic: frame.headers.topic }, 'Stream frame with unreadable data; dropped');
      return;
    }
    const p = run(data);
    if (!p) return;
    const tracked = p
      .catch((e) => o.logger.error({ err: (e as Error).message }, 'DingTalk Stream handler failed'))
      .finally(() => running.delete(tracked));
    running.add(tracked);
  };

  client.registerCallbackListener(TOPIC_ROBOT, (frame) =>
    take(frame, (data) => {
      const msg = robotMessageSchema.safeParse(data);
      if (!msg.success) {
        o.logger.warn({ messageId: frame.headers.messageId }, 'Stream robot frame is not a robot message; dropped');
        return null;
      }
      if (!o.seen.firstTime(`msg:${msg.data.msgId}`)) return null;
      return o.handlers.robotMessage(msg.data);
    }),
  );
  client.registerCallbackListener(TOPIC_CARD, (frame) =>
    take(frame, (data) => {
      const cb = cardCallbackSchema.safeParse(data);
      if (!cb.success) return null;
      return o.handlers.cardCallback(cb.data);
    }),
  );

  return {
    async start() {
      await client.getEndpoint();
      await client._connect();
    },
    async stop() {
      client.disconnect();
      await Promise.allSettled([...running]);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
