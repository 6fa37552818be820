import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local stand-in for Slack's Web API (https://slack.com/api/<method>) and for response_url
// webhooks. It records every call with its arguments decoded, answers with bodies shaped like
// Slack's documented responses, and lets a test script failures per method (and channel).
//
//   const slack = await FakeSlackApi.start();
//   const client = new webApi.WebClient('xoxb-test', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
//   slack.fail('chat.postMessage', { error: 'channel_not_found' }, { channel: 'C404' });
//   …
//   await slack.close();

export interface FakeSlackCall {
  seq: number;
  /** Web API method ('chat.postMessage'), or 'response_url' for a POST to a response URL. */
  method: string;
  /** Decoded arguments: form fields, with JSON-valued fields (blocks, view, …) parsed. */
  args: Record<string, any>;
  /** Bearer token from the Authorization header, or the `token` argument. */
  token: string | undefined;
  contentType: string;
  /** For response_url calls: the URL path that was hit. */
  path: string;
  /** performance.now() when the call arrived (benchmarks: reply latency). */
  at: number;
}

export type FakeFailure =
  /** HTTP 200 with {ok:false, error} — Slack's normal way of saying no. */
  | { error: string; extra?: Record<string, unknown> }
  /** HTTP 429 with Retry-After: <seconds> and {ok:false, error:'ratelimited'}. */
  | { rateLimited: number }
  /** Any other HTTP status (e.g. 503 from Slack's edge). */
  | { status: number; body?: string }
  /** Drop the connection without answering. */
  | { network: true };

export interface FailOptions {
  /** Only calls whose `channel` (or `user_id` for views.publish) is this value. */
  channel?: string;
  /** How many matching calls fail; default 1. Use Infinity for "until reset". */
  times?: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  /** Every version, oldest first (the posted one, then each chat.update). */
  history: Array<{ text: string; blocks: unknown[] | undefined }>;
}

export interface FakeSlackApiOptions {
  teamId?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
}

interface ScriptedFailure {
  method: string;
  failure: FakeFailure;
  channel: string | undefined;
  remaining: number;
}

type Waiter = { predicate: (c: FakeSlackCall) => boolean; resolve: (c: FakeSlackCall) => void };

const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'unfurls',
  'user_auth_blocks',
  'options',
  'option_groups',
  'files',
]);

/** A file a person shared in Slack, for files.info and its private download URL. */
export interface FakeSharedFile {
  id: string;
  name: string;
  bytes: Buffer;
  /** What files.info reports as the size; default the bytes' length. */
  size: number;
}

/** A file uploaded through files.uploadV2's three steps. */
export interface FakeUpload {
  fileId: string;
  filename: string;
  /** The length announced in files.getUploadURLExternal. */
  length: number;
  /** The bytes posted to the upload URL (null until they arrive). */
  bytes: Buffer | null;
  /** Set by files.completeUploadExternal. */
  channel: string | null;
  title: string | null;
  initialComment: string | null;
}

export class FakeSlackApi {
  readonly calls: FakeSlackCall[] = [];
  readonly messages = new Map<string, FakeMessage>();
  /** Files by id, in upload order. */
  readonly uploads = new Map<string, FakeUpload>();
  /** Files people shared (shareFile), as files.info and url_private_download serve them. */
  readonly sharedFiles = new Map<string, FakeSharedFile>();
  #fileCounter = 0;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly #server: Server;
  readonly #failures: ScriptedFailure[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #users = new Map<string, Record<string, unknown>>();
  readonly #missingChannels = new Set<string>();
  #tsCounter = 0;
  #viewCounter = 0;
  readonly #tsBase = Math.floor(Date.now() / 1000);
  #origin = '';

  private constructor(server: Server, opts: FakeSlackApiOptions) {
    this.#server = server;
    this.teamId = opts.teamId ?? 'T0KAOPING';
    this.botUserId = opts.botUserId ?? 'U0KAOPBOT';
    this.botId = opts.botId ?? 'B0KAOPBOT';
    this.appId = opts.appId ?? 'A0KAOPING';
  }

  static async start(opts: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
    let api: FakeSlackApi | undefined;
    const server = createServer((req, res) => {
      api!.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
    // Longer than any pause between two calls of a test (a report rendered between them): Node's
    // default 5 s would close an idle keep-alive connection just as the client reuses it.
    server.keepAliveTimeout = 60_000;
    api = new FakeSlackApi(server, opts);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    api.#origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return api;
  }

  /** Base URL for WebClient's `slackApiUrl` (ends with '/api/'). */
  get url(): string {
    return `${this.#origin}/api/`;
  }

  get origin(): string {
    return this.#origin;
  }

  /** A response_url on this server; POSTs to it are recorded as method 'response_url'. */
  responseUrl(id = 'T0KAOPING/1/fake'): string {
    return `${this.#origin}/response/${id}`;
  }

  callsTo(method: string): FakeSlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  lastCall(method: string): FakeSlackCall | undefined {
    return this.callsTo(method).at(-1);
  }

  /** Messages (after updates) in a channel, oldest first. */
  messagesIn(channel: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel);
  }

  /** The DM channel id this fake gives the app's conversation with a user. */
  dmChannelFor(userId: string): string {
    return `D${userId}`;
  }

  addUser(user: {
    id: string;
    name?: string;
    realName?: string;
    locale?: string;
    tz?: string;
    isBot?: boolean;
    deleted?: boolean;
  }): void {
    this.#users.set(user.id, {
      id: user.id,
      team_id: this.teamId,
      name: user.name ?? user.id.toLowerCase(),
      deleted: user.deleted ?? false,
      real_name: user.realName ?? user.name ?? user.id,
      tz: user.tz ?? 'Asia/Shanghai',
      tz_label: 'China Standard Time',
      tz_offset: 28800,
      profile: { real_name: user.realName ?? user.name ?? user.id, display_name: user.name ?? '', team: this.teamId },
      is_bot: user.isBot ?? false,
      is_app_user: false,
      updated: this.#tsBase,
      ...(user.locale ? { locale: user.locale } : {}),
    });
  }

  /** From now on (reset() included) posting to this channel answers channel_not_found. */
  deleteChannel(channelId: string): void {
    this.#missingChannels.add(channelId);
  }

  /** Make the next matching call(s) to `method` fail. Earlier scripts match first. */
  fail(method: string, failure: FakeFailure, opts: FailOptions = {}): void {
    this.#failures.push({ method, failure, channel: opts.channel, remaining: opts.times ?? 1 });
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  waitFor(predicate: (call: FakeSlackCall) => boolean, opts: { timeoutMs?: number } = {}): Promise<FakeSlackCall> {
    const found = this.calls.find(predicate);
    if (found) return Promise.resolve(found);
    const timeoutMs = opts.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (c) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new Error(
            `FakeSlackApi.waitFor: no matching call within ${timeoutMs} ms; calls so far: ${this.calls.map((c) => c.method).join(', ') || 'none'}`,
          ),
        );
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /**
   * A file as a person shares it: files.info describes it and its url_private_download (GET with
   * the bot token as Bearer, recorded as method 'file_download') serves the bytes.
   */
  shareFile(file: { name: string; bytes: Buffer | string; size?: number }): FakeSharedFile {
    this.#fileCounter += 1;
    const bytes = Buffer.from(file.bytes);
    const shared = {
      id: `F0SHARE${String(this.#fileCounter).padStart(4, '0')}`,
      name: file.name,
      bytes,
      size: file.size ?? bytes.length,
    };
    this.sharedFiles.set(shared.id, shared);
    return shared;
  }

  /** Files shared into a channel (after files.completeUploadExternal), oldest first. */
  filesIn(channel: string): FakeUpload[] {
    return [...this.uploads.values()].filter((u) => u.channel === this.#resolveChannel(channel));
  }

  /** Forget calls, messages and scripted failures (users stay). */
  reset(): void {
    this.calls.length = 0;
    this.messages.clear();
    this.uploads.clear();
    this.#failures.length = 0;
  }

  async close(): Promise<void> {
    for (const w of this.#waiters) this.#waiters.delete(w);
    await new Promise<void>((resolve, reject) => {
      this.#server.close((e) => (e ? reject(e) : resolve()));
      this.#server.closeAllConnections();
    });
  }

  // ---- request handling --------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#origin);
    if (req.method === 'GET' && url.pathname.startsWith('/download/')) return this.#download(url.pathname, req, res);
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: 'method_not_allowed' });
    if (url.pathname.startsWith('/upload/')) return this.#upload(url.pathname.slice('/upload/'.length), req, res);
    const raw = await readBody(req);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const args = parseArgs(raw, contentType);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;

    let method: string;
    if (url.pathname.startsWith('/api/')) method = url.pathname.slice('/api/'.length);
    else if (url.pathname.startsWith('/response/')) method = 'response_url';
    else return send(res, 404, { ok: false, error: 'unknown_path' });

    const call: FakeSlackCall = {
      seq: this.calls.length + 1,
      method,
      args,
      token,
      contentType,
      path: url.pathname,
      at: performance.now(),
    };
    this.calls.push(call);
    for (const w of [...this.#waiters]) if (w.predicate(call)) w.resolve(call);

    const failure = this.#takeFailure(method, args);
    if (failure) return this.#sendFailure(res, failure);
    if (method === 'response_url') return send(res, 200, { ok: true });
    if (!token) return send(res, 200, { ok: false, error: 'not_authed' });
    return send(res, 200, this.#answer(method, args));
  }

  /** url_private_download: the bytes, only with a bot token (Slack sends its sign-in page otherwise). */
  #download(path: string, req: IncomingMessage, res: ServerResponse): void {
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const fileId = path.split('/')[2] ?? '';
    const call: FakeSlackCall = {
      seq: this.calls.length + 1,
      method: 'file_download',
      args: { file_id: fileId },
      token,
      contentType: '',
      path,
      at: performance.now(),
    };
    this.calls.push(call);
    for (const w of [...this.#waiters]) if (w.predicate(call)) w.resolve(call);
    const file = this.sharedFiles.get(fileId);
    if (!token || !file) {
      res.writeHead(token ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html>sign in</html>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(file.bytes);
  }

  /** Step 2 of files.uploadV2: the bytes, posted to the URL step 1 gave (no Web API envelope). */
  async #upload(fileId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const call: FakeSlackCall = {
      seq: this.calls.length + 1,
      method: 'upload_url',
      args: { file_id: fileId },
      token: undefined,
      contentType: String(req.headers['content-type'] ?? ''),
      path: `/upload/${fileId}`,
      at: performance.now(),
    };
    this.calls.push(call);
    for (const w of [...this.#waiters]) if (w.predicate(call)) w.resolve(call);
    const failure = this.#takeFailure('upload_url', {});
    if (failure) return this.#sendFailure(res, failure);
    const upload = this.uploads.get(fileId);
    if (!upload) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('unknown upload');
      return;
    }
    // WebClient posts the bytes as one multipart part (as Slack's upload URL accepts); raw bytes too
    const raw = Buffer.concat(chunks);
    upload.bytes = raw;
    if (call.contentType.startsWith('multipart/form-data')) {
      const form = await new Request(`${this.#origin}/upload`, {
        method: 'POST',
        headers: { 'content-type': call.contentType },
        body: raw,
      }).formData();
      const part = [...form.values()].find((v) => typeof v !== 'string');
      upload.bytes = part && typeof part !== 'string' ? Buffer.from(await part.arrayBuffer()) : Buffer.alloc(0);
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${upload.bytes.length}`);
  }

  #takeFailure(method: string, args: Record<string, any>): FakeFailure | undefined {
    const target = args.channel ?? args.user_id ?? args.user;
    const i = this.#failures.findIndex((f) => f.method === method && (f.channel === undefined || f.channel === target));
    if (i < 0) return undefined;
    const f = this.#failures[i]!;
    f.remaining -= 1;
    if (f.remaining <= 0) this.#failures.splice(i, 1);
    return f.failure;
  }

  #sendFailure(res: ServerResponse, failure: FakeFailure): void {
    if ('network' in failure) {
      res.socket?.destroy();
      return;
    }
    if ('rateLimited' in failure) {
      res.writeHead(429, {
        'content-type': 'application/json; charset=utf-8',
        'retry-after': String(failure.rateLimited),
      });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if ('status' in failure) {
      res.writeHead(failure.status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(failure.body ?? '');
      return;
    }
    send(res, 200, { ok: false, error: failure.error, ...(failure.extra ?? {}) });
  }

  #nextTs(): string {
    this.#tsCounter += 1;
    return `${this.#tsBase}.${String(this.#tsCounter).padStart(6, '0')}`;
  }

  #nextViewId(): string {
    this.#viewCounter += 1;
    return `V0FAKE${String(this.#viewCounter).padStart(4, '0')}`;
  }

  #resolveChannel(channel: string): string {
    // A user id as channel means the app's DM with that user.
    return /^[UW][A-Z0-9]+$/.test(channel) ? this.dmChannelFor(channel) : channel;
  }

  #botMessage(text: string, ts: string, blocks: unknown[] | undefined): Record<string, unknown> {
    return {
      user: this.botUserId,
      type: 'message',
      ts,
      bot_id: this.botId,
      app_id: this.appId,
      text,
      team: this.teamId,
      bot_profile: { id: this.botId, app_id: this.appId, name: 'kaoping', team_id: this.teamId, deleted: false },
      ...(blocks ? { blocks } : {}),
    };
  }

  #view(type: string, view: Record<string, any>, id: string): Record<string, unknown> {
    return {
      id,
      team_id: this.teamId,
      type,
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      state: { values: {} },
      hash: `${this.#tsBase}.${id}`,
      title: view.title ?? { type: 'plain_text', text: 'View Title', emoji: true },
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: null,
      root_view_id: id,
      app_id: this.appId,
      external_id: view.external_id ?? '',
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
    };
  }

  #answer(method: string, args: Record<string, any>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://kaoping-test.slack.com/',
          team: 'Kaoping Test',
          user: 'kaoping',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        };
      case 'chat.postMessage': {
        if (!args.channel || this.#missingChannels.has(String(args.channel)))
          return { ok: false, error: 'channel_not_found' };
        if (!args.text && !args.blocks && !args.attachments) return { ok: false, error: 'no_text' };
        const channel = this.#resolveChannel(String(args.channel));
        const ts = this.#nextTs();
        const text = String(args.text ?? '');
        const blocks = args.blocks as unknown[] | undefined;
        this.messages.set(`${channel}/${ts}`, { channel, ts, text, blocks, history: [{ text, blocks }] });
        return { ok: true, channel, ts, message: this.#botMessage(text, ts, blocks) };
      }
      case 'chat.update': {
        const channel = String(args.channel ?? '');
        const ts = String(args.ts ?? '');
        if (this.#missingChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
        const existing = this.messages.get(`${channel}/${ts}`);
        if (!existing) return { ok: false, error: 'message_not_found' };
        const text = String(args.text ?? existing.text);
        const blocks = (args.blocks as unknown[] | undefined) ?? existing.blocks;
        existing.text = text;
        existing.blocks = blocks;
        existing.history.push({ text, blocks });
        return { ok: true, channel, ts, text, message: { text, user: this.botUserId, ...(blocks ? { blocks } : {}) } };
      }
      case 'chat.postEphemeral':
        if (!args.channel || this.#missingChannels.has(String(args.channel)))
          return { ok: false, error: 'channel_not_found' };
        if (!args.user) return { ok: false, error: 'user_not_in_channel' };
        return { ok: true, message_ts: this.#nextTs() };
      case 'chat.delete': {
        const key = `${args.channel}/${args.ts}`;
        if (!this.messages.delete(key)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case 'conversations.open': {
        const users = String(args.users ?? '')
          .split(',')
          .filter(Boolean);
        if (users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
        return {
          ok: true,
          no_op: true,
          already_open: true,
          channel: { id: users.length === 1 ? this.dmChannelFor(users[0]!) : `G${users.join('')}` },
        };
      }
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (!args.filename || !Number.isInteger(length) || length <= 0)
          return { ok: false, error: 'invalid_arguments' };
        this.#fileCounter += 1;
        const fileId = `F0FAKE${String(this.#fileCounter).padStart(4, '0')}`;
        this.uploads.set(fileId, {
          fileId,
          filename: String(args.filename),
          length,
          bytes: null,
          channel: null,
          title: null,
          initialComment: null,
        });
        return { ok: true, upload_url: `${this.#origin}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(args.files) ? (args.files as Array<{ id?: string; title?: string }>) : [];
        const channel = args.channel_id ? String(args.channel_id) : null;
        if (channel && this.#missingChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
        const done = [];
        for (const f of files) {
          const upload = this.uploads.get(String(f.id));
          if (!upload || upload.bytes === null) return { ok: false, error: 'file_not_found' };
          if (upload.bytes.length !== upload.length) return { ok: false, error: 'file_upload_size_mismatch' };
          upload.channel = channel === null ? null : this.#resolveChannel(channel);
          upload.title = f.title ?? upload.filename;
          upload.initialComment = args.initial_comment ? String(args.initial_comment) : null;
          done.push({ id: upload.fileId, title: upload.title, name: upload.filename, size: upload.length });
        }
        return { ok: true, files: done };
      }
      case 'files.info': {
        const file = this.sharedFiles.get(String(args.file ?? ''));
        if (!file) return { ok: false, error: 'file_not_found' };
        return {
          ok: true,
          file: {
            id: file.id,
            name: file.name,
            title: file.name,
            size: file.size,
            url_private: `${this.#origin}/files-pri/${this.teamId}-${file.id}/${encodeURIComponent(file.name)}`,
            url_private_download: `${this.#origin}/download/${file.id}/${encodeURIComponent(file.name)}`,
          },
        };
      }
      case 'users.info': {
        const id = String(args.user ?? '');
        if (!id) return { ok: false, error: 'user_not_found' };
        if (!this.#users.has(id)) this.addUser({ id });
        return { ok: true, user: this.#users.get(id) };
      }
      case 'views.open':
      case 'views.push': {
        const view = args.view as Record<string, any> | undefined;
        if (!view) return { ok: false, error: 'invalid_arguments' };
        if (method === 'views.open' && !args.trigger_id && !args.interactivity_pointer)
          return { ok: false, error: 'invalid_trigger_id' };
        return { ok: true, view: this.#view(view.type ?? 'modal', view, this.#nextViewId()) };
      }
      case 'views.update': {
        const view = args.view as Record<string, any> | undefined;
        if (!view) return { ok: false, error: 'invalid_arguments' };
        if (!args.view_id && !args.external_id) return { ok: false, error: 'not_found' };
        return { ok: true, view: this.#view(view.type ?? 'modal', view, String(args.view_id ?? this.#nextViewId())) };
      }
      case 'views.publish': {
        const view = args.view as Record<string, any> | undefined;
        if (!view) return { ok: false, error: 'invalid_arguments' };
        if (!args.user_id) return { ok: false, error: 'user_not_found' };
        return { ok: true, view: this.#view('home', view, this.#nextViewId()) };
      }
      default:
        return { ok: true };
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(raw: string, contentType: string): Record<string, any> {
  if (raw === '') return {};
  if (contentType === 'application/json') return JSON.parse(raw) as Record<string, any>;
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(k) && (v.startsWith('[') || v.startsWith('{'))) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // keep the string, as Slack would reject it
      }
    }
    out[k] = v;
  }
  return out;
}
