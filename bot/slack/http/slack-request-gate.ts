import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';

// What every request to /slack/events passes before Bolt sees it. Bolt's HTTPReceiver trusts a
// signed body to be an object (a signed `payload=null` crashed the process reading
// `body.ssl_check`) and checks only that a timestamp is not stale (one 6 minutes in the future
// passed). Here a request is refused unless its content type is one Slack sends, its timestamp is
// within 5 minutes of the server clock either way, its signature matches, and its body decodes to
// a JSON object.

/** Slack's window for x-slack-request-timestamp, both ways (seconds). */
export const MAX_CLOCK_SKEW_S = 300;

export type GateVerdict =
  | { ok: true; kind: 'ssl_check' }
  | { ok: true; kind: 'slack'; contentType: SlackContentType; body: Record<string, unknown> }
  | { ok: false; status: 400 | 401; reason: string };

export type SlackContentType = 'application/x-www-form-urlencoded' | 'application/json';

/** The media type without parameters, lower case: 'application/json; charset=utf-8' → 'application/json'. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function decodeBody(contentType: SlackContentType, raw: string): Record<string, unknown> | null {
  try {
    if (contentType === 'application/json') {
      const parsed: unknown = JSON.parse(raw);
      return isPlainObject(parsed) ? parsed : null;
    }
    const form = parseQuery(raw);
    if (form.payload === undefined) return { ...form };
    if (typeof form.payload !== 'string') return null;
    const parsed: unknown = JSON.parse(form.payload);
    return isPlainObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function signatureMatches(secret: string, timestamp: string, raw: Buffer, signature: string): boolean {
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`,
    'utf8',
  );
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface GateInput {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  rawBody: Buffer;
  signingSecret: string;
  /** The server clock, milliseconds since the epoch. */
  nowMs: number;
}

export function checkSlackRequest({ headers, rawBody, signingSecret, nowMs }: GateInput): GateVerdict {
  const type = mediaType(single(headers['content-type']));
  if (type !== 'application/x-www-form-urlencoded' && type !== 'application/json')
    return { ok: false, status: 400, reason: 'unsupported content type' };
  const raw = rawBody.toString('utf8');
  // Slack's SSL check is unsigned by design; Bolt answers it with an empty 200.
  if (type === 'application/x-www-form-urlencoded' && parseQuery(raw).ssl_check === '1')
    return { ok: true, kind: 'ssl_check' };

  const timestamp = single(headers['x-slack-request-timestamp']) ?? '';
  const signature = single(headers['x-slack-signature']) ?? '';
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, status: 401, reason: 'missing or malformed timestamp' };
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > MAX_CLOCK_SKEW_S)
    return { ok: false, status: 401, reason: 'timestamp more than 5 minutes from the server clock' };
  if (!signatureMatches(signingSecret, timestamp, rawBody, signature))
    return { ok: false, status: 401, reason: 'signature mismatch' };

  const body = decodeBody(type, raw);
  if (!body) return { ok: false, status: 400, reason: 'body is not a JSON object' };
  return { ok: true, kind: 'slack', contentType: type, body };
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
