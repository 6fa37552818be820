import { MessengerError } from '../../../core/ports/messenger.port.ts';

// @slack/web-api 8 error → MessengerError. Classified by the error's `code` string rather than
// `instanceof`, so a second copy of the package in node_modules cannot break the mapping.

/** Slack platform errors that a later retry may get past. Everything else Slack answers is final. */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

interface SlackLikeError {
  code?: unknown;
  data?: { error?: unknown; response_metadata?: { retryAfter?: unknown } };
  retryAfter?: unknown;
  statusCode?: unknown;
  headers?: Record<string, string>;
  original?: unknown;
  message?: unknown;
}

const RATE_LIMIT_MESSAGE = /rate limit was exceeded.*retry-after: (\d+)/i;

function seconds(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number.parseInt(value, 10) : typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * WebClient's `timeout` aborts fetch with AbortSignal.timeout(): a DOMException named
 * 'TimeoutError'. undici's header/body timeouts (answer not read) count too; a connect timeout does
 * not — nothing was sent, so that stays a plain, retryable 'network' error.
 */
function isRequestTimeout(original: unknown): boolean {
  for (
    let e = original, depth = 0;
    typeof e === 'object' && e !== null && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const { name, code } = e as { name?: unknown; code?: unknown };
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return false;
    if (
      name === 'TimeoutError' ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT' ||
      code === 'ECONNABORTED'
    )
      return true;
  }
  return false;
}

export function toMessengerError(error: unknown, operation: string): MessengerError {
  if (error instanceof MessengerError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SlackLikeError;
  const base = { platform: 'slack', operation, cause: error };
  const text = typeof e.message === 'string' ? e.message : String(error);

  switch (e.code) {
    case 'slack_webapi_platform_error': {
      const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      const retryAfter = seconds(e.data?.response_metadata?.retryAfter);
      return new MessengerError(`${operation}: ${code}`, {
        ...base,
        code,
        permanent: !TRANSIENT_PLATFORM_ERRORS.has(code),
        ...(retryAfter === undefined ? {} : { retryAfter }),
      });
    }
    case 'slack_webapi_rate_limited_error': {
      const retryAfter = seconds(e.retryAfter);
      return new MessengerError(`${operation}: rate limited`, {
        ...base,
        code: 'ratelimited',
        permanent: false,
        ...(retryAfter === undefined ? {} : { retryAfter }),
      });
    }
    case 'slack_webapi_http_error': {
      const status = seconds(e.statusCode) ?? 0;
      const retryAfter = seconds(e.headers?.['retry-after']);
      // Slack answers 200 for platform errors; other statuses come from Slack's edge or a proxy.
      const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
      return new MessengerError(`${operation}: HTTP ${status}`, {
        ...base,
        code: `http_${status}`,
        permanent,
        ...(retryAfter === undefined ? {} : { retryAfter }),
      });
    }
    case 'slack_webapi_request_error': {
      // With rejectRateLimitedCalls off and retries exhausted, WebClient reports a 429 as a
      // request error whose message carries the Retry-After value.
      const original = e.original as { message?: unknown } | undefined;
      const m = RATE_LIMIT_MESSAGE.exec(typeof original?.message === 'string' ? original.message : text);
      if (m)
        return new MessengerError(`${operation}: rate limited`, {
          ...base,
          code: 'ratelimited',
          permanent: false,
          retryAfter: Number(m[1]),
        });
      // A request that timed out after it was sent may have been carried out: code 'timeout' (the
      // worker's notification ledger treats it as outcome unknown and does not resend).
      if (isRequestTimeout(original))
        return new MessengerError(`${operation}: request timed out`, { ...base, code: 'timeout', permanent: false });
      return new MessengerError(
        `${operation}: network error: ${typeof original?.message === 'string' ? original.message : text}`,
        { ...base, code: 'network', permanent: false },
      );
    }
    default: {
      const m = RATE_LIMIT_MESSAGE.exec(text);
      if (m)
        return new MessengerError(`${operation}: rate limited`, {
          ...base,
          code: 'ratelimited',
          permanent: false,
          retryAfter: Number(m[1]),
        });
      return new MessengerError(`${operation}: ${text}`, { ...base, code: 'unknown', permanent: false });
    }
  }
}
