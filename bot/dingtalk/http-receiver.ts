import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { DingTalkHandlers } from './handlers/index.ts';
import { cardCallbackSchema, robotMessageSchema } from './robot-message.schema.ts';
import type { SeenMessages } from './seen-messages.ts';
import { withRequestId } from '../../adapters/observability/request-context.ts';
import { verifyCardCallback, verifyRobotRequest } from './signature.ts';
import { createAcceptingServers } from '../../adapters/http/accepting-servers.ts';

// The enterprise-internal robot's HTTP callback ("消息接收地址") and, when an API secret is
// registered for it, the interactive cards' HTTP callback. Each request is verified before its
// body is even parsed: a request that is unsigned, wrongly signed or more than an hour old is
// answered 401 and touches nothing. A message id already handled is answered 200 and dropped.

export const ROBOT_PATH = '/dingtalk/robot';
export const CARD_PATH = '/dingtalk/card';
const MAX_BODY = 1024 * 1024;

export interface HttpReceiverOptions {
  appSecret: string;
  /** The card callback's API secret; without it the card route is off (unsigned presses are refused). */
  cardApiSecret?: string | undefined;
  handlers: DingTalkHandlers;
  seen: SeenMessages;
  logger: Logger;
  now: () => number;
  /** Answer DingTalk only after the handler finished (deterministic tests); default false: ack first. */
  processBeforeResponse?: boolean | undefined;
  /** Listening sockets on the port (adapters/http/accepting-servers.ts); default 16 where the runtime can share a port. */
  acceptors?: number | undefined;
}

export interface HttpReceiver {
  start(port: number, host?: string): Promise<string>;
  /** The listening servers, one per listening socket of the port. */
  readonly servers: readonly Server[];
  stop(): Promise<void>;
  /** Handlers still running after their request was answered (tests wait for them). */
  idle(): Promise<void>;
}

export function createHttpReceiver(o: HttpReceiverOptions): HttpReceiver {
  const running = new Set<Promise<void>>();
  // Several listening sockets, as the bot's Slack port: a burst of callbacks is not left waiting
  // in the kernel's accept queue one event-loop iteration per connection.
  const accepting = createAcceptingServers(
    (req, res) => {
      void serve(o, req, res, running).catch((e) => {
        o.logger.error({ err: (e as Error).message }, 'DingTalk callback failed');
        if (!res.headersSent) reply(res, 500, { error: 'internal' });
      });
    },
    { logger: o.logger, acceptors: o.acceptors },
  );
  return {
    servers: accepting.servers,
    async start(port, host = '0.0.0.0') {
      const addr = await accepting.listen(port, host);
      return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`;
    },
    async stop() {
      await accepting.close();
      await Promise.allSettled([...running]);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function serve(
  o: HttpReceiverOptions,
  req: IncomingMessage,
  res: ServerResponse,
  running: Set<Promise<void>>,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'POST' || (path !== ROBOT_PATH && path !== CARD_PATH))
    return reply(res, 404, { error: 'not found' });
  const isCard = path === CARD_PATH;
  if (isCard && !o.cardApiSecret) return reply(res, 404, { error: 'card callbacks are not enabled' });
  const check = isCard
    ? verifyCardCallback(
        { timestamp: header(req, 'x-ddpaas-signature-timestamp'), sign: header(req, 'x-ddpaas-signature') },
        o.cardApiSecret!,
        o.now(),
      )
    : verifyRobotRequest({ timestamp: header(req, 'timestamp'), sign: header(req, 'sign') }, o.appSecret, o.now());
  if (check !== 'ok') {
    o.logger.warn({ path, check }, 'DingTalk callback refused');
    req.resume();
    return reply(res, 401, { error: `signature ${check}` });
  }
  const raw = await readBody(req);
  if (raw === null) return reply(res, 413, { error: 'too large' });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return reply(res, 400, { error: 'not JSON' });
  }
  let work: () => Promise<void>;
  if (isCard) {
    const cb = cardCallbackSchema.safeParse(json);
    if (!cb.success) return reply(res, 400, { error: 'not a card callback' });
    const callback = cb.data;
    work = () => withRequestId(undefined, () => o.handlers.cardCallback(callback));
  } else {
    const msg = robotMessageSchema.safeParse(json);
    if (!msg.success) return reply(res, 400, { error: 'not a robot message' });
    if (!o.seen.firstTime(`msg:${msg.data.msgId}`)) {
      o.logger.info({ msgId: msg.data.msgId }, 'DingTalk message delivered again; handled once');
      return reply(res, 200, {});
    }
    const message = msg.data;
    // DingTalk's msgId is the request's id (equal on its retries)
    work = () => withRequestId(message.msgId, () => o.handlers.robotMessage(message));
  }
  if (o.processBeforeResponse) {
    await work();
    return reply(res, 200, {});
  }
  reply(res, 200, {});
  const p = work()
    .catch((e) => o.logger.error({ err: (e as Error).message }, 'DingTalk handler failed'))
    .finally(() => running.delete(p));
  running.add(p);
}
