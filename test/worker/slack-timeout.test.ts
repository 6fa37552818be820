// A Slack request that times out after it was sent may have been carried out: the adapter reports
// code 'timeout', which the notification ledger treats as outcome unknown (never resent). A request
// that never reached Slack (connection refused) stays a retryable 'network' error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { SlackMessenger } from '../../adapters/messenger/slack/slack-messenger.adapter.ts';
import { message, paragraph } from '../../core/messages/message.ts';
import { MessengerError } from '../../core/ports/messenger.port.ts';
import { classifySendError } from '../../worker/notification-ledger.ts';
import { createLeanFetch } from '../../adapters/http/lean-fetch.ts';

let silent: Server; // accepts requests and never answers
let url: string;
const pending: Array<() => void> = [];

beforeAll(async () => {
  silent = createServer((_req, res) => void pending.push(() => res.destroy()));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api/`;
});
afterAll(async () => {
  for (const p of pending) p();
  await new Promise((r) => silent.close(r));
});

// Both the built-in fetch and the bot's and worker's lean one (adapters/http/lean-fetch.ts) must fail alike.
const fetches = [
  ['the built-in fetch', undefined],
  ['the lean fetch', createLeanFetch()],
] as const;

async function rejection(p: Promise<unknown>): Promise<MessengerError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MessengerError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe.each(fetches)('Slack request timeouts, through %s', (_, fetch) => {
  const client = (slackApiUrl: string) =>
    new SlackMessenger(
      new webApi.WebClient('xoxb-test', {
        slackApiUrl,
        timeout: 200,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logLevel: webApi.LogLevel.ERROR,
        ...(fetch ? { fetch } : {}),
      }),
    );

  it("are reported with code 'timeout': outcome unknown, not resent", async () => {
    const e = await rejection(client(url).postToChannel('C1', message([paragraph('x')])));
    expect(e).toMatchObject({ code: 'timeout', permanent: false, platform: 'slack', operation: 'chat.postMessage' });
    expect(classifySendError(e)).toBe('ambiguous');
  });

  it("a connection that was refused is a plain 'network' error, retried", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = await rejection(client(`http://127.0.0.1:${port}/api/`).postToChannel('C1', message([paragraph('x')])));
    expect(e).toMatchObject({ code: 'network', permanent: false });
    expect(classifySendError(e)).toBe('transient');
  });
});
