import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local stand-in for DingTalk's server APIs, for the routes kaoping calls: the access token
// (POST /v1.0/oauth2/accessToken), interactive cards (POST /v1.0/card/instances/createAndDeliver,
// PUT /v1.0/card/instances), sessionWebhook replies (POST /robot/sendBySession) and the Stream
// gateway's connection ticket (POST /v1.0/gateway/connections/open) and work notifications
// (POST /topapi/message/corpconversation/asyncsend_v2, old API: token in the query, errcode
// answers). One server plays both hosts
// (api.* and oapi.*). It records every call, keeps the cards it was given, issues tokens that
// tests can expire, and lets a test script failures per operation (and target).

export type FakeOperation =
  | 'oauth2.accessToken'
  | 'card.createAndDeliver'
  | 'card.update'
  | 'sendBySession'
  | 'gateway.open'
  | 'media.upload'
  | 'robot.groupMessages.send'
  | 'robot.oToMessages.batchSend'
  | 'workNotice.send'
  | 'robot.messageFiles.download'
  /** GET of the URL robot.messageFiles.download answered. */
  | 'file.download';

/** A file in the media store (oapi media/upload). */
export interface FakeMedia {
  mediaId: string;
  type: string;
  filename: string;
  bytes: Buffer;
}

/** A robot message (not a card): an image or a file sent into a group or to people. */
export interface FakeRobotMessage {
  space: 'group' | 'robot';
  /** openConversationId, or each userId of a one-to-one send. */
  targets: string[];
  msgKey: string;
  msgParam: Record<string, string>;
}

export interface FakeDingTalkCall {
  seq: number;
  operation: FakeOperation | 'unknown';
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
  /** x-acs-dingtalk-access-token (new API) or the access_token query parameter (old API) */
  token: string | undefined;
  /** What the call answered: HTTP status. */
  status: number;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface FakeCard {
  outTrackId: string;
  /** 'group' (IM_GROUP) or 'robot' (IM_ROBOT, one to one). */
  space: 'group' | 'robot';
  /** openConversationId or userId. */
  target: string;
  params: Record<string, string>;
  atUserIds: Record<string, string>;
  /** Every version of the card's params, oldest first. */
  history: Array<Record<string, string>>;
}

export type FakeDingTalkFailure =
  /** A new-API refusal: HTTP status + { code, message } (e.g. 403 Forbidden.AccessDenied…). */
  | { status: number; code: string; message?: string; retryAfter?: number }
  /** An oapi refusal: HTTP 200 + { errcode, errmsg } (errcode 88 wraps the real code in sub_code). */
  | { errcode: number; errmsg?: string; sub_code?: string; sub_msg?: string }
  /** A body as is (DingTalk's per-IP block answers with a page, not a code). */
  | { raw: string; status?: number; contentType?: string }
  /** Drop the connection without answering. */
  | { network: true };

interface Scripted {
  operation: FakeOperation;
  failure: FakeDingTalkFailure;
  target: string | undefined;
  times: number;
}

export class FakeDingTalkApi {
  readonly calls: FakeDingTalkCall[] = [];
  readonly cards = new Map<string, FakeCard>();
  readonly media = new Map<string, FakeMedia>();
  readonly robotMessages: FakeRobotMessage[] = [];
  #mediaSeq = 0;
  /** Work notifications (工作通知) accepted, in order. */
  readonly workNotices: Array<{ agentId: unknown; userIds: string[]; title: string; text: string }> = [];
  /** Seconds a new token lives (DingTalk: 7200). */
  tokenLifetime = 7200;
  /** What gateway.open answers (the Stream stand-in sets it). */
  gateway: { endpoint: string; ticket: string } | null = null;
  #validTokens = new Set<string>();
  #tokenSeq = 0;
  #seq = 0;
  #scripted: Scripted[] = [];
  #missingConversations = new Set<string>();
  readonly #messageFiles = new Map<string, Buffer>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly appKey: string,
    readonly appSecret: string,
  ) {}

  static async start(opts: { appKey?: string; appSecret?: string } = {}): Promise<FakeDingTalkApi> {
    let fake: FakeDingTalkApi | undefined;
    const server = createServer((req, res) => {
      void fake!.#handle(req, res);
    });
    server.keepAliveTimeout = 60_000; // as the Slack fake: no idle-connection race in slow tests
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    fake = new FakeDingTalkApi(
      server,
      `http://127.0.0.1:${port}`,
      opts.appKey ?? 'dingkaopingtestkey',
      opts.appSecret ?? 'kaoping-test-app-secret',
    );
    return fake;
  }

  /**
   * A file a person sends the robot: its downloadCode (for the message's content), which
   * robot/messageFiles/download turns into a URL on this server serving the bytes.
   */
  addMessageFile(bytes: Buffer | string): string {
    const code = `fakeDownloadCode${this.#messageFiles.size + 1}==`;
    this.#messageFiles.set(code, Buffer.from(bytes));
    return code;
  }

  /** A sessionWebhook URL on this server, as a robot callback would carry it. */
  sessionWebhook(session: string): string {
    return `${this.url}/robot/sendBySession?session=${encodeURIComponent(session)}`;
  }

  /** Every token issued so far stops working (DingTalk revoked or expired them early). */
  expireTokens(): void {
    this.#validTokens.clear();
  }

  /** The robot is not (or no longer) in this group. */
  removeConversation(openConversationId: string): void {
    this.#missingConversations.add(openConversationId);
  }

  fail(operation: FakeOperation, failure: FakeDingTalkFailure, opts: { target?: string; times?: number } = {}): void {
    this.#scripted.push({ operation, failure, target: opts.target, times: opts.times ?? 1 });
  }

  callsOf(operation: FakeOperation): FakeDingTalkCall[] {
    return this.calls.filter((c) => c.operation === operation);
  }

  /** Cards delivered into a group or a one-to-one chat, in order. */
  cardsTo(target: string): FakeCard[] {
    return [...this.cards.values()].filter((c) => c.target === target);
  }

  /** Forget calls, cards and scripted failures (removed conversations stay removed). */
  reset(): void {
    this.calls.length = 0;
    this.cards.clear();
    this.media.clear();
    this.robotMessages.length = 0;
    this.workNotices.length = 0;
    this.#scripted = [];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBytes = Buffer.concat(chunks);
    const raw = rawBytes.toString('utf8');
    const u = new URL(req.url ?? '/', this.url);
    const operation = operationOf(req.method ?? 'GET', u.pathname);
    let body: any = {};
    if (operation === 'media.upload') {
      // multipart: parsed as the platform would, with the fetch API's own parser
      try {
        const form = await new Request(u, {
          method: 'POST',
          headers: { 'content-type': String(req.headers['content-type'] ?? '') },
          body: rawBytes,
        }).formData();
        const media = form.get('media');
        body =
          media instanceof Blob
            ? { filename: (media as File).name, bytes: Buffer.from(await media.arrayBuffer()) }
            : { filename: '', bytes: null };
      } catch {
        body = { filename: '', bytes: null };
      }
    } else
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        body = { _raw: raw };
      }
    const call: FakeDingTalkCall = {
      seq: ++this.#seq,
      operation,
      method: req.method ?? 'GET',
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      body,
      token: header(req, 'x-acs-dingtalk-access-token') ?? u.searchParams.get('access_token') ?? undefined,
      status: 200,
      at: Date.now(),
    };
    this.calls.push(call);
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    if (operation === 'unknown') return send(404, { code: 'NotFound', message: `no route ${u.pathname}` });
    if (operation === 'file.download') {
      // a pre-signed URL: no token; the code in the path
      const bytes = this.#messageFiles.get(decodeURIComponent(u.pathname.slice('/files/'.length)));
      if (!bytes) return send(404, { code: 'NoSuchKey', message: 'The specified key does not exist.' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
      res.end(bytes);
      return;
    }

    const target = targetOf(operation, body, call.query);
    const scripted = this.#takeScripted(operation, target);
    if (scripted) {
      if ('network' in scripted) {
        call.status = 0;
        req.socket.destroy();
        return;
      }
      if ('raw' in scripted) {
        call.status = scripted.status ?? 200;
        res.writeHead(call.status, { 'content-type': scripted.contentType ?? 'text/html; charset=utf-8' });
        res.end(scripted.raw);
        return;
      }
      if ('errcode' in scripted)
        return send(200, {
          errcode: scripted.errcode,
          errmsg: scripted.errmsg ?? 'refused',
          ...(scripted.sub_code === undefined ? {} : { sub_code: scripted.sub_code, sub_msg: scripted.sub_msg ?? '' }),
        });
      return send(
        scripted.status,
        { code: scripted.code, message: scripted.message ?? scripted.code, requestid: `req-${call.seq}` },
        scripted.retryAfter === undefined ? {} : { 'retry-after': String(scripted.retryAfter) },
      );
    }

    switch (operation) {
      case 'oauth2.accessToken': {
        if (body.appKey !== this.appKey || body.appSecret !== this.appSecret)
          return send(400, { code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' });
        const token = `fake-token-${++this.#tokenSeq}`;
        this.#validTokens.add(token);
        return send(200, { accessToken: token, expireIn: this.tokenLifetime });
      }
      case 'gateway.open':
        if (!this.gateway) return send(503, { code: 'ServiceUnavailable', message: 'no gateway' });
        return send(200, this.gateway);
      case 'sendBySession':
        return send(200, { errcode: 0, errmsg: 'ok' });
      case 'media.upload': {
        // oapi: the token is in the query and refusals are HTTP 200 + errcode
        if (!call.query.access_token || !this.#validTokens.has(call.query.access_token))
          return send(200, { errcode: 40014, errmsg: '不合法的access_token' });
        if (!body.bytes || !body.filename || !['image', 'file'].includes(call.query.type ?? ''))
          return send(200, { errcode: 40004, errmsg: '不合法的媒体文件类型' });
        const mediaId = `@fakeMedia${++this.#mediaSeq}`;
        this.media.set(mediaId, { mediaId, type: call.query.type!, filename: body.filename, bytes: body.bytes });
        return send(200, {
          errcode: 0,
          errmsg: 'ok',
          media_id: mediaId,
          type: call.query.type,
          created_at: Date.now(),
        });
      }
      default:
        break;
    }

    if (operation === 'workNotice.send') {
      // the old API answers HTTP 200 with its errcode, the token refusal wrapped in errcode 88
      if (!call.token || !this.#validTokens.has(call.token))
        return send(200, {
          errcode: 88,
          sub_code: '40014',
          sub_msg: '不合法的access_token',
          errmsg: 'ding talk error[subcode=40014,submsg=不合法的access_token]',
        });
      if (!body.agent_id || !body.userid_list || !body.msg?.msgtype)
        return send(200, { errcode: 40035, errmsg: '缺少参数 agent_id, userid_list or msg' });
      const notice = {
        agentId: body.agent_id,
        userIds: String(body.userid_list).split(','),
        title: String(body.msg.markdown?.title ?? ''),
        text: String(body.msg.markdown?.text ?? body.msg.text?.content ?? ''),
      };
      this.workNotices.push(notice);
      return send(200, {
        errcode: 0,
        errmsg: 'ok',
        task_id: 1000 + this.workNotices.length,
        request_id: `r${call.seq}`,
      });
    }

    if (!call.token || !this.#validTokens.has(call.token))
      return send(401, {
        code: 'InvalidAuthentication',
        message: '不合法的access_token',
        requestid: `req-${call.seq}`,
      });

    if (operation === 'robot.messageFiles.download') {
      if (body.robotCode !== this.appKey || !this.#messageFiles.has(String(body.downloadCode)))
        return send(400, { code: 'invalidParameter', message: 'robotCode or downloadCode is invalid' });
      return send(200, { downloadUrl: `${this.url}/files/${encodeURIComponent(String(body.downloadCode))}` });
    }

    if (operation === 'robot.groupMessages.send' || operation === 'robot.oToMessages.batchSend') {
      let msgParam: Record<string, string> = {};
      try {
        msgParam = JSON.parse(String(body.msgParam ?? ''));
      } catch {
        return send(400, { code: 'invalidParameter.msgParam', message: 'msgParam must be JSON' });
      }
      const mediaId = msgParam.mediaId ?? msgParam.photoURL;
      if (!body.robotCode || !body.msgKey || (mediaId?.startsWith('@') && !this.media.has(mediaId)))
        return send(400, { code: 'invalidParameter', message: 'robotCode, msgKey and a known mediaId are required' });
      const group = operation === 'robot.groupMessages.send';
      if (group && this.#missingConversations.has(String(body.openConversationId)))
        return send(400, { code: 'param.openConversationId.invalid', message: 'openConversationId is invalid' });
      this.robotMessages.push({
        space: group ? 'group' : 'robot',
        targets: group ? [String(body.openConversationId)] : (body.userIds ?? []).map(String),
        msgKey: String(body.msgKey),
        msgParam,
      });
      return send(200, { processQueryKey: `pqk-${call.seq}` });
    }

    if (operation === 'card.createAndDeliver') {
      const spaceId = String(body.openSpaceId ?? '');
      const m = /^dtv1\.card\/\/(IM_GROUP|IM_ROBOT)\.(.+)$/.exec(spaceId);
      if (!m || !body.outTrackId || !body.cardTemplateId)
        return send(400, {
          code: 'invalidParameter',
          message: 'openSpaceId, outTrackId and cardTemplateId are required',
        });
      const space = m[1] === 'IM_GROUP' ? 'group' : 'robot';
      if (space === 'group' && this.#missingConversations.has(m[2]!))
        return send(400, { code: 'param.openConversationId.invalid', message: 'openConversationId is invalid' });
      const params = body.cardData?.cardParamMap ?? {};
      for (const [k, v] of Object.entries(params))
        if (typeof v !== 'string') return send(400, { code: 'MissingStringValue', message: `${k} must be a string` });
      this.cards.set(body.outTrackId, {
        outTrackId: body.outTrackId,
        space,
        target: m[2]!,
        params,
        atUserIds: body.imGroupOpenDeliverModel?.atUserIds ?? {},
        history: [params],
      });
      return send(200, {
        success: true,
        result: { outTrackId: body.outTrackId, deliverResults: [{ spaceType: m[1], spaceId: m[2], success: true }] },
      });
    }
    // card.update
    const card = this.cards.get(String(body.outTrackId ?? ''));
    if (!card) return send(400, { code: 'card.instance.notFound', message: 'card instance not exist' });
    card.params = { ...card.params, ...(body.cardData?.cardParamMap ?? {}) };
    card.history.push(card.params);
    return send(200, { success: true, result: true });
  }

  #takeScripted(operation: FakeOperation, target: string | undefined): FakeDingTalkFailure | null {
    const i = this.#scripted.findIndex(
      (s) => s.operation === operation && (s.target === undefined || s.target === target),
    );
    if (i < 0) return null;
    const s = this.#scripted[i]!;
    s.times -= 1;
    if (s.times <= 0) this.#scripted.splice(i, 1);
    return s.failure;
  }
}

function operationOf(method: string, path: string): FakeOperation | 'unknown' {
  if (method === 'POST' && path === '/v1.0/oauth2/accessToken') return 'oauth2.accessToken';
  if (method === 'POST' && path === '/v1.0/card/instances/createAndDeliver') return 'card.createAndDeliver';
  if (method === 'PUT' && path === '/v1.0/card/instances') return 'card.update';
  if (method === 'POST' && path === '/robot/sendBySession') return 'sendBySession';
  if (method === 'POST' && path === '/v1.0/gateway/connections/open') return 'gateway.open';
  if (method === 'POST' && path === '/media/upload') return 'media.upload';
  if (method === 'POST' && path === '/v1.0/robot/groupMessages/send') return 'robot.groupMessages.send';
  if (method === 'POST' && path === '/v1.0/robot/oToMessages/batchSend') return 'robot.oToMessages.batchSend';
  if (method === 'POST' && path === '/topapi/message/corpconversation/asyncsend_v2') return 'workNotice.send';
  if (method === 'POST' && path === '/v1.0/robot/messageFiles/download') return 'robot.messageFiles.download';
  if (method === 'GET' && path.startsWith('/files/')) return 'file.download';
  return 'unknown';
}

/** The group, user or card a call is about (scripted failures can be limited to it). */
function targetOf(operation: FakeOperation, body: any, query: Record<string, string>): string | undefined {
  if (operation === 'card.createAndDeliver')
    return String(body.openSpaceId ?? '').replace(/^dtv1\.card\/\/IM_(GROUP|ROBOT)\./, '');
  if (operation === 'card.update') return String(body.outTrackId ?? '');
  if (operation === 'sendBySession') return query.session;
  if (operation === 'robot.groupMessages.send') return String(body.openConversationId ?? '');
  if (operation === 'robot.oToMessages.batchSend') return String(body.userIds?.[0] ?? '');
  if (operation === 'workNotice.send') return String(body.userid_list ?? '');
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
