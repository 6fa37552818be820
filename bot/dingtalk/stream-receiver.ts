import { DWClient, type DWClientDownStream, TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { type ConnectionErrorLog, connectionErrorLog } from '../../adapters/observability/connection-errors.ts';
import type { DingTalkHandlers } from './handlers/index.ts';
import { cardCallbackSchema, robotMessageSchema } from './robot-message.schema.ts';
import type { SeenMessages } from './seen-messages.ts';
import { withRequestId } from '../../adapters/observability/request-context.ts';

// Stream mode through the official SDK (dingtalk-stream 2.1.5): the bot opens a WebSocket to
// DingTalk, so an office behind a firewall needs no public URL. The SDK's gateway URL is fixed to
// public DingTalk; this client asks the configured API host instead (专有钉钉 / 浙政钉 have their
// own), which is also how the tests reach a local stand-in gateway. Every callback is
// acknowledged at once (an un-acked frame is re-sent for about 60 s) and de-duplicated on the
// frame's messageId and the message's msgId.
// The SDK writes to stdout/stderr itself ("[<time>] connect success", "Disconnecting.", "ERROR"
// with the whole socket error): its connection steps are redone here (same protocol, same
// fields) so that those lines go through our logger instead — one line when connected, socket
// errors rate-limited and redacted like every other connection's (adapters/observability).

export interface StreamReceiverOptions {
  clientId: string;
  clientSecret: string;
  /** e.g. https://api.dingtalk.com — the connection is opened at <apiBaseUrl>/v1.0/gateway/connections/open */
  apiBaseUrl: string;
  handlers: DingTalkHandlers;
  seen: SeenMessages;
  logger: Logger;
}

/** The SDK client's run-time fields our connection steps use (declared private in its types). */
interface SdkInternals {
  dw_url: string;
  socket?: WebSocket | undefined;
  sslopts: WebSocket.ClientOptions;
  userDisconnect: boolean;
  reconnectInterval: number;
  heartbeat_interval: number;
  heartbeatIntervallId?: ReturnType<typeof setInterval> | undefined;
  isAlive: boolean;
}

class KaopingStreamClient extends DWClient {
  readonly #errors: ConnectionErrorLog;

  constructor(
    opts: { clientId: string; clientSecret: string },
    private readonly gatewayUrl: string,
    private readonly logger: Logger,
  ) {
    super({ ...opts, keepAlive: true, ua: 'kaoping' });
    this.#errors = connectionErrorLog(logger, 'dingtalk:stream');
  }

  get #sdk(): SdkInternals {
    return this as unknown as SdkInternals;
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
    this.#sdk.dw_url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  /** The SDK's _connect, logging through pino instead of console. */
  override _connect(): Promise<void> {
    const sdk = this.#sdk;
    return new Promise((resolve, reject) => {
      sdk.userDisconnect = false;
      let socket: WebSocket;
      try {
        socket = new WebSocket(sdk.dw_url, sdk.sslopts);
      } catch (e) {
        this.#errors(e);
        reject(e);
        return;
      }
      sdk.socket = socket;
      socket.on('open', () => {
        this.connected = true;
        this.#errors.recovered();
        this.logger.info({ client: 'dingtalk:stream' }, 'DingTalk Stream connected');
        if (this.config.keepAlive) {
          sdk.isAlive = true;
          clearInterval(sdk.heartbeatIntervallId);
          // a socket that did not answer the last ping is dead: terminate it and reconnect
          sdk.heartbeatIntervallId = setInterval(() => {
            if (!sdk.isAlive) {
              this.logger.warn({ client: 'dingtalk:stream' }, 'DingTalk Stream missed a heartbeat; reconnecting');
              socket.terminate();
              return;
            }
            sdk.isAlive = false;
            socket.ping('', true);
          }, sdk.heartbeat_interval);
        }
        resolve();
      });
      socket.on('pong', () => this.heartbeat());
      socket.on('message', (data) => this.onDownStream(String(data)));
      socket.on('close', () => {
        this.connected = false;
        this.registered = false;
        if (this.config.autoReconnect && !sdk.userDisconnect) {
          this.reconnecting = true;
          setTimeout(() => void this.connect(), sdk.reconnectInterval);
        }
      });
      socket.on('error', (e) => {
        this.#errors(e);
        socket.terminate();
        reject(e);
      });
    });
  }

  /** The SDK's connect (retried every second while it fails), its failures logged. */
  override async connect(): Promise<void> {
    const sdk = this.#sdk;
    try {
      await this.getEndpoint();
      await this._connect();
    } catch (e) {
      this.#errors(e);
      if (this.config.autoReconnect && !sdk.userDisconnect)
        setTimeout(() => void this.connect(), sdk.reconnectInterval);
    }
  }

  override disconnect(): void {
    const sdk = this.#sdk;
    sdk.userDisconnect = true;
    clearInterval(sdk.heartbeatIntervallId);
    sdk.socket?.close();
    this.logger.info({ client: 'dingtalk:stream' }, 'DingTalk Stream disconnected');
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
    o.logger,
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
    // the frame's messageId is the request's id: every log line of its handler carries it
    const p = withRequestId(messageId, () => run(data));
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
