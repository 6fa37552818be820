import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

// The request a piece of work belongs to, carried by Node's AsyncLocalStorage from the receiver
// (Slack HTTP or Socket Mode, DingTalk HTTP or Stream, a console line) through the handlers and
// core's use cases to every log line (pino's mixin below) — without passing it through core,
// which stays free of platform code. The id is the platform's own when it has one (Slack's
// event_id or trigger_id, DingTalk's msgId or the frame's messageId: equal on the platform's
// retries, and findable in its logs), else a new UUID.

const storage = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `fn` as part of request `requestId` (a new id when none is given). */
export function withRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return storage.run({ requestId: requestId || randomUUID() }, fn);
}

/** The id of the request the caller is working for, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** pino's `mixin`: every line logged while serving a request carries its id. */
export function requestIdMixin(): { requestId?: string } {
  const requestId = currentRequestId();
  return requestId ? { requestId } : {};
}
