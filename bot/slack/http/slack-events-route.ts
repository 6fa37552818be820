import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { RouteHandler } from '../../../adapters/http/ops-server.ts';
import type { Metrics } from '../../../adapters/observability/metrics.ts';
import { checkSlackRequest } from './slack-request-gate.ts';
import { currentRequestId, withRequestId } from '../../../adapters/observability/request-context.ts';
import { slackRequestId } from '../slack-context.ts';

// POST /slack/events: read the body (4 MB at most, like Bolt), pass it through the gate, give it a
// request id, and hand it to Bolt's request listener already buffered (Bolt then skips reading
// the stream) inside that request's context, so that every log line of the request carries the
// id. Every refusal is one warn line with the reason — never the body or the headers.

export const REQUEST_ID_HEADER = 'x-kaoping-request-id';
const BODY_LIMIT = 4 * 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const KINDS = new Set(['block_actions', 'view_submission', 'view_closed', 'block_suggestion', 'event_callback']);

/** A closed set of metric labels: 'command' for slash commands, Slack's payload type otherwise. */
function requestKind(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'command';
  return typeof body.type === 'string' && KINDS.has(body.type) ? body.type : 'other';
}

export interface SlackEventsRouteOptions {
  receiver: HTTPReceiver;
  signingSecret: string;
  logger: Logger;
  metrics?: Metrics | undefined;
  /** The server clock (ms); tests may move it. */
  nowMs?: () => number;
}

export function slackEventsRoute(opts: SlackEventsRouteOptions): RouteHandler {
  const now = opts.nowMs ?? Date.now;
  return async (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' });
      return void res.end();
    }
    let rawBody: Buffer;
    try {
      rawBody = await readBody(req);
    } catch (e) {
      res.writeHead(e instanceof BodyTooLarge ? 413 : 400);
      return void res.end();
    }
    const verdict = checkSlackRequest({
      headers: req.headers,
      rawBody,
      signingSecret: opts.signingSecret,
      nowMs: now(),
    });
    if (!verdict.ok) {
      opts.logger.warn({ status: verdict.status, reason: verdict.reason }, 'Slack request refused');
      res.writeHead(verdict.status);
      return void res.end();
    }
    if (verdict.kind === 'ssl_check') {
      res.writeHead(200);
      return void res.end();
    }
    const kind = requestKind(verdict.body);
    // Bolt compares the content type exactly; hand it the bare media type.
    req.headers['content-type'] = verdict.contentType;
    if (opts.metrics) {
      const histogram = opts.metrics.ackLatency;
      res.once('finish', () => histogram.observe({ kind }, Number(process.hrtime.bigint() - started) / 1e9));
    }
    Object.assign(req, { rawBody });
    withRequestId(slackRequestId(verdict.body), () => {
      const requestId = currentRequestId()!;
      req.headers[REQUEST_ID_HEADER] = requestId;
      res.setHeader(REQUEST_ID_HEADER, requestId);
      opts.logger.debug({ kind }, 'Slack request received');
      opts.receiver.requestListener(req, res);
    });
  };
}
