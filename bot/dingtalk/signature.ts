import { createHmac, timingSafeEqual } from 'node:crypto';

// The enterprise-internal robot's HTTP callback carries `timestamp` (ms) and `sign` headers:
// sign = Base64(HmacSHA256(key = appSecret, message = timestamp + "\n" + appSecret)). DingTalk's
// rule: refuse a request whose timestamp is more than one hour from now, or whose sign differs.
// Interactive-card HTTP callbacks sign differently (x-ddpaas-signature = Base64(HmacSHA256(key =
// apiSecret, message = timestamp))), when an apiSecret was registered.

export const MAX_SKEW_MS = 60 * 60 * 1000;

export type SignatureCheck = 'ok' | 'missing' | 'stale' | 'bad';

export function robotSign(timestamp: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`).digest('base64');
}

export function cardCallbackSign(timestamp: string, apiSecret: string): string {
  return createHmac('sha256', apiSecret).update(timestamp).digest('base64');
}

function check(timestamp: string | undefined, sign: string | undefined, expected: (ts: string) => string, now: number) {
  if (!timestamp || !sign) return 'missing' as const;
  if (!/^\d{10,16}$/.test(timestamp)) return 'bad' as const;
  if (Math.abs(now - Number(timestamp)) > MAX_SKEW_MS) return 'stale' as const;
  const want = Buffer.from(expected(timestamp), 'utf8');
  const got = Buffer.from(sign, 'utf8');
  // constant time: the comparison never stops at the first differing byte
  return got.length === want.length && timingSafeEqual(got, want) ? ('ok' as const) : ('bad' as const);
}

export function verifyRobotRequest(
  headers: { timestamp?: string | undefined; sign?: string | undefined },
  appSecret: string,
  now: number,
): SignatureCheck {
  return check(headers.timestamp, headers.sign, (ts) => robotSign(ts, appSecret), now);
}

export function verifyCardCallback(
  headers: { timestamp?: string | undefined; sign?: string | undefined },
  apiSecret: string,
  now: number,
): SignatureCheck {
  return check(headers.timestamp, headers.sign, (ts) => cardCallbackSign(ts, apiSecret), now);
}
