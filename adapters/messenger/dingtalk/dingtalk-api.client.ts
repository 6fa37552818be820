import { MessengerError } from '../../../core/ports/messenger.port.ts';
import { IP_DENIED, isAuthFailure, networkError, PLATFORM, toDingTalkError } from './dingtalk-errors.ts';

// The DingTalk server APIs kaoping calls, with the app's access token: fetched on first use,
// cached, refreshed a few minutes before it expires (one refresh at a time), and refreshed once
// more when DingTalk says it is invalid (revoked, or expired early) before the call is retried.
// Base URLs are configuration: public DingTalk (api.dingtalk.com / oapi.dingtalk.com) or a
// 专有钉钉 / 浙政钉 deployment with its own hosts.

export interface DingTalkApiConfig {
  appKey: string;
  appSecret: string;
  /** New server API, e.g. https://api.dingtalk.com */
  apiBaseUrl: string;
  /** Old server API host, e.g. https://oapi.dingtalk.com — sessionWebhook URLs must be on it. */
  oapiBaseUrl: string;
  /** Per request; default 15 s. A timeout after sending is reported as 'timeout' (outcome unknown). */
  timeoutMs?: number;
  /** Refresh this long before DingTalk's expiry; default 5 minutes. */
  refreshMarginMs?: number;
  /** Milliseconds since the epoch (token expiry); default Date.now. */
  now?: () => number;
}

/** A DingTalk JSON answer (new API body, or oapi's { errcode, errmsg }). */
export type DingTalkAnswer = Record<string, unknown>;

/**
 * A text field the answer must carry (a media_id, a download URL): an answer without it is a
 * 'bad_response', retried like a server error.
 */
export function requiredText(answer: DingTalkAnswer, field: string, operation: string): string {
  const value = answer[field];
  if (typeof value === 'string' && value !== '') return value;
  throw new MessengerError(`${operation}: answer without ${field}`, {
    platform: PLATFORM,
    operation,
    code: 'bad_response',
    permanent: false,
  });
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

export class DingTalkApiClient {
  readonly #c: Required<Omit<DingTalkApiConfig, 'now'>> & { now: () => number };
  #token: CachedToken | null = null;
  #refreshing: Promise<CachedToken> | null = null;

  constructor(config: DingTalkApiConfig) {
    this.#c = {
      timeoutMs: 15_000,
      refreshMarginMs: 5 * 60_000,
      now: Date.now,
      ...config,
      apiBaseUrl: config.apiBaseUrl.replace(/\/+$/, ''),
      oapiBaseUrl: config.oapiBaseUrl.replace(/\/+$/, ''),
    };
  }

  get oapiBaseUrl(): string {
    return this.#c.oapiBaseUrl;
  }

  /** The cached token, or a fresh one when it is missing or about to expire. */
  async accessToken(): Promise<string> {
    return (await this.#current()).value;
  }

  async #current(): Promise<CachedToken> {
    const t = this.#token;
    if (t && t.expiresAt - this.#c.refreshMarginMs > this.#c.now()) return t;
    return this.#refresh(t);
  }

  /** Forget `stale` (DingTalk refused it) and fetch another, once for all concurrent callers. */
  #refresh(stale: CachedToken | null): Promise<CachedToken> {
    if (this.#token !== stale && this.#token !== null) return Promise.resolve(this.#token);
    this.#refreshing ??= this.#fetchToken().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #fetchToken(): Promise<CachedToken> {
    const started = this.#c.now();
    const body = await this.#request('oauth2.accessToken', 'POST', `${this.#c.apiBaseUrl}/v1.0/oauth2/accessToken`, {
      appKey: this.#c.appKey,
      appSecret: this.#c.appSecret,
    });
    const value = typeof body.accessToken === 'string' ? body.accessToken : '';
    const expireIn = Number(body.expireIn);
    if (!value || !Number.isFinite(expireIn))
      throw new MessengerError('oauth2.accessToken: answer without accessToken/expireIn', {
        platform: PLATFORM,
        operation: 'oauth2.accessToken',
        code: 'bad_response',
        permanent: false,
      });
    this.#token = { value, expiresAt: started + expireIn * 1000 };
    return this.#token;
  }

  /**
   * A new-API call with the access token. An auth refusal refreshes the token once and retries;
   * every other failure is a classified MessengerError.
   */
  call(operation: string, method: 'POST' | 'PUT', path: string, body: unknown): Promise<DingTalkAnswer> {
    const url = `${this.#c.apiBaseUrl}${path}`;
    return this.#withToken((token) =>
      this.#request(operation, method, url, body, { 'x-acs-dingtalk-access-token': token }),
    );
  }

  /**
   * An old-API (oapi) call: the same access token, as the `access_token` query parameter, with
   * the same single refresh when DingTalk refuses it (errcode 88 / sub_code 40014 and the like).
   */
  callOapi(operation: string, path: string, body: unknown): Promise<DingTalkAnswer> {
    return this.#withToken((token) =>
      this.#request(operation, 'POST', `${this.#c.oapiBaseUrl}${path}?access_token=${encodeURIComponent(token)}`, body),
    );
  }

  /** Runs a call with the current token; a refused token is refreshed once and the call retried. */
  async #withToken(send: (token: string) => Promise<DingTalkAnswer>): Promise<DingTalkAnswer> {
    const used = await this.#current();
    try {
      return await send(used.value);
    } catch (e) {
      if (!(e instanceof AuthRefused)) throw e;
      const fresh = await this.#refresh(used);
      try {
        return await send(fresh.value);
      } catch (again) {
        throw again instanceof AuthRefused ? again.error : again;
      }
    }
  }

  /**
   * Upload a file to DingTalk's media store (oapi media/upload, multipart, the token in the query)
   * and return its media_id, which robot messages then refer to. Refreshes a refused token once.
   */
  async uploadMedia(type: 'image' | 'file', filename: string, bytes: Uint8Array): Promise<string> {
    const operation = 'media.upload';
    const form = () => {
      const f = new FormData();
      f.append('media', new Blob([bytes]), filename);
      return f;
    };
    const url = (token: string) =>
      `${this.#c.oapiBaseUrl}/media/upload?access_token=${encodeURIComponent(token)}&type=${type}`;
    const answer = await this.#withToken((token) => this.#request(operation, 'POST', url(token), form()));
    return requiredText(answer, 'media_id', operation);
  }

  /** POST to a sessionWebhook (a reply into the conversation a message came from). */
  async postSessionWebhook(url: string, body: unknown): Promise<void> {
    if (!this.isOwnWebhook(url))
      throw new MessengerError('sessionWebhook is not on the configured DingTalk host', {
        platform: PLATFORM,
        operation: 'sendBySession',
        code: 'bad_webhook',
        permanent: true,
      });
    try {
      await this.#request('sendBySession', 'POST', url, body);
    } catch (e) {
      throw e instanceof AuthRefused ? e.error : e;
    }
  }

  /** Only URLs on the configured oapi host: a forged body cannot make the bot post elsewhere. */
  isOwnWebhook(url: string): boolean {
    try {
      const u = new URL(url);
      return u.origin === new URL(this.#c.oapiBaseUrl).origin;
    } catch {
      return false;
    }
  }

  async #request(
    operation: string,
    method: string,
    url: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<DingTalkAnswer> {
    let res: Response;
    try {
      // a form (media upload) sets its own multipart content type
      const form = body instanceof FormData;
      res = await fetch(url, {
        method,
        headers: { ...(form ? {} : { 'content-type': 'application/json' }), accept: 'application/json', ...headers },
        body: form ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#c.timeoutMs),
      });
    } catch (e) {
      throw networkError(operation, e);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw networkError(operation, e);
    }
    let json: DingTalkAnswer = {};
    let readable = text === '';
    try {
      const parsed: unknown = text ? JSON.parse(text) : {};
      readable = typeof parsed === 'object' && parsed !== null;
      json = readable ? (parsed as DingTalkAnswer) : {};
    } catch {
      json = {};
    }
    const errcode = typeof json.errcode === 'number' ? json.errcode : 0;
    const denied = ipDenial(json, text);
    if (res.ok && readable && errcode === 0 && json.success !== false && denied === null) return json;
    const failure = {
      operation,
      status: res.status,
      code: denied ? IP_DENIED : failureCode(json, errcode, readable),
      message: String(json.sub_msg ?? json.message ?? json.errmsg ?? text.slice(0, 200)),
      retryAfter: denied?.waitSeconds ?? retryAfterSeconds(res.headers.get('retry-after')),
    };
    const error = toDingTalkError(failure);
    if (isAuthFailure(failure) && operation !== 'oauth2.accessToken') throw new AuthRefused(error);
    throw error;
  }
}

/** DingTalk refused the token: the caller refreshes once and retries. */
class AuthRefused extends Error {
  constructor(readonly error: MessengerError) {
    super(error.message);
  }
}

function retryAfterSeconds(v: string | null): number | undefined {
  if (v === null) return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * The code a refusal is classified by: the new API's `code`; the old API's `errcode`, or under the
 * wrapper errcode 88 its `sub_code` (dingtalk-errors.ts [3]); 'bad_response' for an answer that is
 * not JSON (a proxy's or gateway's page: the request was not processed).
 */
function failureCode(json: DingTalkAnswer, errcode: number, readable: boolean): string {
  if (errcode === 88 && json.sub_code !== undefined && String(json.sub_code) !== '') return String(json.sub_code);
  if (errcode !== 0) return String(errcode);
  if (!readable) return 'bad_response';
  return String(json.code ?? '');
}

/** DingTalk's per-IP block answers with {"status":1111,"wait":<minutes>,"punish":"deny"} (dingtalk-errors.ts [1]). */
function ipDenial(json: DingTalkAnswer, text: string): { waitSeconds: number | undefined } | null {
  const punished = json.punish === 'deny' || json.status === 1111 || /"punish"\s*:\s*"deny"/.test(text);
  if (!punished) return null;
  const wait = Number(json.wait ?? /"wait"\s*:\s*(\d+)/.exec(text)?.[1]);
  return { waitSeconds: Number.isFinite(wait) && wait > 0 ? wait * 60 : undefined };
}
