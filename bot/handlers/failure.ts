import { AppError } from '../../core/errors.ts';

// What the person is told when something unexpected fails after their request was acknowledged:
// SERVICE.UNAVAILABLE when the store (or Redis) could not be reached — they should simply try
// again later — and INTERNAL for everything else. Drivers do not share error classes, so this
// reads the codes they attach: Prisma's P1xxx (cannot reach, timed out, access denied, closed)
// and P2024 (pool timeout), and Node's socket errors, anywhere on the `cause` chain.

const PRISMA_UNAVAILABLE = /^P10\d\d$|^P2024$/;
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

export function isUnavailable(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    if (AppError.is(cur, 'SERVICE.UNAVAILABLE')) return true;
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && (PRISMA_UNAVAILABLE.test(code) || SOCKET_UNAVAILABLE.has(code))) return true;
    if (/Connection terminated|connection timeout|Can't reach database/i.test((cur as Error).message ?? ''))
      return true;
  }
  return false;
}

/** The typed error to show for an unexpected failure of `what`. */
export function unexpectedError(e: unknown, what: string): AppError {
  if (AppError.is(e)) return e;
  const message = `${what} failed: ${(e as Error)?.message ?? String(e)}`;
  return new AppError(isUnavailable(e) ? 'SERVICE.UNAVAILABLE' : 'INTERNAL', message);
}

/**
 * A short reference to quote: the last 8 letters and digits of the request id (the id is the
 * platform's own when it has one — a Slack trigger_id starts with the team's and app's numbers,
 * the same on every request, and ends in random hex; a UUID is random throughout). The log lines
 * of the request carry the whole id (adapters/observability/request-context.ts).
 */
export function shortRef(requestId: string | undefined): string | undefined {
  const chars = requestId?.replace(/[^A-Za-z0-9]/g, '');
  return chars ? chars.slice(-8) : undefined;
}
