import { MessengerError } from '../../../core/ports/messenger.port.ts';

// DingTalk's answers → MessengerError (permanent / transient / retry-after), so the worker's
// notification ledger treats DingTalk exactly as Slack. Two API generations answer differently:
//   - api.dingtalk.com (新版服务端 API): HTTP status + { code, message, requestid }
//   - oapi.dingtalk.com (旧版, sessionWebhook): HTTP 200 + { errcode, errmsg[, sub_code, sub_msg] }
//
// Sources for the codes below (read 2026-12):
// [1] 调用频次与限流, https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server
//     - per app and API: old 90018, new Forbidden.AccessDenied.QpsLimitForAppkeyAndApi; the window
//       is one second ("sleep 1 秒，然后继续执行") → retry after 1 s;
//     - per API over all apps: old 90002, new Forbidden.AccessDenied.QpsLimitForApi; one second too;
//     - monthly call quota of a standard-edition organisation: old 90020, new
//       Forbidden.AccessDenied.ApiCountLimitForOrg → permanent: nothing succeeds before next month
//       or an upgrade, so the organisers must be told rather than the send retried;
//     - per IP (10 000 calls in 20 s): blocked for 5 minutes, answered not with a code but with a
//       page carrying {"status":1111,"wait":5,"punish":"deny"} → retry after `wait` minutes.
// [2] 自定义机器人发送群消息, https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages:
//     a robot sends at most 20 messages a minute to a group, then is throttled for 10 minutes;
//     the answer is errcode 130101 "send too fast, exceed 20 times per minute" (quoted verbatim
//     in https://github.com/ccfos/nightingale/issues/369) → retry after 600 s.
// [3] Old-API answers carry the real error in sub_code under the wrapper errcode 88:
//     {"errcode":88,"sub_code":"40014","sub_msg":"不合法的access_token","errmsg":"ding talk
//     error[subcode=40014,…]"} — so 88 itself says nothing (it was wrongly listed as a throttle
//     before: a bad token then waited a minute instead of being refreshed, and a missing
//     permission, sub_code 60011, was retried instead of reported). The sub_code is classified.
//     40014 不合法的access_token and 42001 access_token 超时 are the token refusals (40001 kept
//     with them: a refusal costs one extra refresh at most); -1 系统繁忙 is transient.
// [4] The new API refuses a bad token with HTTP 400 {"code":"InvalidAuthentication","message":
//     "不合法的access_token"} (not 401), so the code decides, not the status. InvalidAccessToken
//     and Forbidden.AccessDenied.AccessTokenExpired / InvalidAccessToken are kept beside it without
//     a source at hand: a wrong match costs one token refresh, no more.
// Anything else DingTalk refuses is final: retrying the same request cannot succeed.

export const PLATFORM = 'dingtalk';

/** oapi errcodes (or sub_codes) that mean "the access token is not (or no longer) valid" [3]. */
const OAPI_AUTH_ERRCODES = new Set([40001, 40014, 42001]);
/** oapi errcodes of flow control, with how long DingTalk holds the caller back (seconds) [1][2]. */
const OAPI_THROTTLE_WAIT_S = new Map([
  [90018, 1],
  [90002, 1],
  [130101, 600],
]);
/** oapi errcodes that say "busy, try again" [3]. */
const OAPI_TRANSIENT_ERRCODES = new Set([-1]);

/** New-API codes of a bad or expired token [4]. */
const AUTH_CODE =
  /^(InvalidAuthentication|InvalidAccessToken|Forbidden\.AccessDenied\.(AccessTokenExpired|InvalidAccessToken))$/i;
/** New-API codes of flow control [1], with their wait in seconds. */
const THROTTLE_WAIT_S = new Map([
  ['forbidden.accessdenied.qpslimitforappkeyandapi', 1],
  ['forbidden.accessdenied.qpslimitforapi', 1],
]);
/** Other new-API flow-control codes (robot throttling and the like): DingTalk says no more. */
const THROTTLE_CODE = /qps|throttl|ratelimit|rate\.limit|flowcontrol|flow\.control|toofrequent|too\.frequent/i;
/** The per-IP block [1]: a page, not a code. */
export const IP_DENIED = 'ip_denied';
/**
 * New-API codes that DingTalk uses for server-side trouble, and an answer that was not JSON at all
 * (a gateway's page in front of DingTalk: the request was not processed, so it may be sent again).
 */
const TRANSIENT_CODE =
  /^(ServiceUnavailable|InternalError|systemError|system\.error|Timeout|unknownError|bad_response)$/i;

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
  /** New-API `code`, or the oapi `errcode` (its `sub_code` under errcode 88) as a string. */
  code: string;
  message: string;
  /** Retry-After header (or the IP block's wait), in seconds, when present. */
  retryAfter?: number | undefined;
  cause?: unknown;
}

export function isAuthFailure(f: Pick<DingTalkFailure, 'status' | 'code'>): boolean {
  if (f.status === 401) return true;
  if (AUTH_CODE.test(f.code)) return true;
  const n = Number(f.code);
  return f.code !== '' && Number.isInteger(n) && OAPI_AUTH_ERRCODES.has(n);
}

/** Seconds to wait when DingTalk throttles without saying how long (an HTTP 429, an unlisted code). */
const DEFAULT_THROTTLE_WAIT_S = 60;
/** The per-IP block lasts 5 minutes [1]. */
const IP_DENIED_WAIT_S = 300;

/** How long a throttled call waits, or undefined when the answer is not flow control. */
function throttleWait(f: DingTalkFailure, oapiCode: number | null): number | undefined {
  if (f.code === IP_DENIED) return f.retryAfter ?? IP_DENIED_WAIT_S;
  const known = oapiCode === null ? THROTTLE_WAIT_S.get(f.code.toLowerCase()) : OAPI_THROTTLE_WAIT_S.get(oapiCode);
  if (known !== undefined) return f.retryAfter ?? known;
  if (f.status === 429 || (oapiCode === null && THROTTLE_CODE.test(f.code)))
    return f.retryAfter ?? DEFAULT_THROTTLE_WAIT_S;
  return undefined;
}

export function toDingTalkError(f: DingTalkFailure): MessengerError {
  const base = { platform: PLATFORM, operation: f.operation, ...(f.cause === undefined ? {} : { cause: f.cause }) };
  const n = Number(f.code);
  const oapiCode = f.code !== '' && Number.isInteger(n) ? n : null;
  const wait = throttleWait(f, oapiCode);
  if (wait !== undefined)
    return new MessengerError(`${f.operation}: rate limited (${f.code || f.status})`, {
      ...base,
      code: 'ratelimited',
      permanent: false,
      retryAfter: wait,
    });
  if (
    f.status >= 500 ||
    f.status === 408 ||
    TRANSIENT_CODE.test(f.code) ||
    (oapiCode !== null && OAPI_TRANSIENT_ERRCODES.has(oapiCode))
  )
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
