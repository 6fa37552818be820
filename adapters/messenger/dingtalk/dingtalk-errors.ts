import { MessengerError } from '../../../core/ports/messenger.port.ts';

// DingTalk's answers → MessengerError (permanent / transient / retry-after), so the worker's
// notification ledger treats DingTalk exactly as Slack. Two API generations answer differently:
//   - api.dingtalk.com (新版服务端 API): HTTP status + { code, message, requestid }
//   - oapi.dingtalk.com (旧版, sessionWebhook): HTTP 200 + { errcode, errmsg }
// Codes below are the ones DingTalk documents for access tokens and flow control; anything else
// DingTalk refuses is final (retrying the same request cannot succeed).

export const PLATFORM = 'dingtalk';

/** oapi errcodes that mean "the access token is not (or no longer) valid". */
const OAPI_AUTH_ERRCODES = new Set([40001, 40014, 42001]);
/** oapi errcodes of flow control: 88 / 90002 / 90018 (QPS), 130101 / 410100 (robot sends too fast). */
const OAPI_THROTTLE_ERRCODES = new Set([88, 90002, 90018, 130101, 410100]);
/** oapi errcodes that say "busy, try again". */
const OAPI_TRANSIENT_ERRCODES = new Set([-1]);

/** New-API codes of a bad or expired token. */
const AUTH_CODE =
  /^(InvalidAuthentication|InvalidAccessToken|Forbidden\.AccessDenied\.(AccessTokenExpired|InvalidAccessToken)|invalidAuthentication)$/i;
/** New-API codes of flow control (QPS per app / per API, robot throttling). */
const THROTTLE_CODE = /qps|throttl|ratelimit|rate\.limit|flowcontrol|flow\.control|toofrequent|too\.frequent/i;
/** New-API codes that DingTalk uses for server-side trouble. */
const TRANSIENT_CODE = /^(ServiceUnavailable|InternalError|systemError|system\.error|Timeout)$/i;

/**
 * Platform-neutral codes the port's callers know (the conformance suite checks them): a group the
 * robot cannot reach is 'channel_not_found', a card that does not exist is 'message_not_found'.
 */
function neutralCode(code: string, message: string): string {
  const both = `${code} ${message}`;
  if (
    /(openConversationId|conversation|IM_GROUP|群)/i.test(both) &&
    /(not.?found|not.?exist|invalid|不存在|无效)/i.test(both)
  )
    return 'channel_not_found';
  if (/(outTrackId|card.?instance|卡片)/i.test(both) && /(not.?found|not.?exist|不存在)/i.test(both))
    return 'message_not_found';
  return code;
}

export interface DingTalkFailure {
  operation: string;
  /** HTTP status; 0 when no answer was read. */
  status: number;
  /** New-API `code`, or `errcode` as a string for oapi. */
  code: string;
  message: string;
  /** Retry-After header, in seconds, when present. */
  retryAfter?: number | undefined;
  cause?: unknown;
}

export function isAuthFailure(f: Pick<DingTalkFailure, 'status' | 'code'>): boolean {
  if (f.status === 401) return true;
  if (AUTH_CODE.test(f.code)) return true;
  const n = Number(f.code);
  return Number.isInteger(n) && OAPI_AUTH_ERRCODES.has(n);
}

/** Seconds to wait when DingTalk throttles without saying how long: a robot is throttled for minutes. */
const DEFAULT_THROTTLE_WAIT_S = 60;

export function toDingTalkError(f: DingTalkFailure): MessengerError {
  const base = { platform: PLATFORM, operation: f.operation, ...(f.cause === undefined ? {} : { cause: f.cause }) };
  const n = Number(f.code);
  const oapi = f.code !== '' && Number.isInteger(n);
  const throttled = f.status === 429 || THROTTLE_CODE.test(f.code) || (oapi && OAPI_THROTTLE_ERRCODES.has(n));
  if (throttled)
    return new MessengerError(`${f.operation}: rate limited (${f.code || f.status})`, {
      ...base,
      code: 'ratelimited',
      permanent: false,
      retryAfter: f.retryAfter ?? DEFAULT_THROTTLE_WAIT_S,
    });
  if (f.status >= 500 || f.status === 408 || TRANSIENT_CODE.test(f.code) || (oapi && OAPI_TRANSIENT_ERRCODES.has(n)))
    return new MessengerError(`${f.operation}: ${f.code || `HTTP ${f.status}`}: ${f.message}`, {
      ...base,
      code: f.code || `http_${f.status}`,
      permanent: false,
      ...(f.retryAfter === undefined ? {} : { retryAfter: f.retryAfter }),
    });
  const code = neutralCode(f.code || `http_${f.status}`, f.message);
  // An auth failure that survived one refresh (the app secret is wrong or the app was disabled)
  // is final, like any other refusal.
  return new MessengerError(`${f.operation}: ${code}: ${f.message}`, { ...base, code, permanent: true });
}

/** A request that got no readable answer. A timeout after sending is 'timeout' (outcome unknown). */
export function networkError(operation: string, error: unknown): MessengerError {
  const name = (error as { name?: unknown })?.name;
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  return new MessengerError(
    timedOut ? `${operation}: request timed out` : `${operation}: network error: ${(error as Error)?.message}`,
    { platform: PLATFORM, operation, code: timedOut ? 'timeout' : 'network', permanent: false, cause: error },
  );
}
