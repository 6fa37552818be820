import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.ts';
import { checkReadiness, type ReadinessCheck } from '../observability/readiness.ts';
import { createAcceptingServers } from './accepting-servers.ts';

// The HTTP server of a process (bot or worker): /healthz (the process answers), /readyz
// (PostgreSQL and Redis reachable), /metrics (Prometheus), and whatever else the process routes
// (the bot: /slack/events). A handler that throws is answered 500 and logged; it never takes the
// process down.

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface OpsServerOptions {
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  metrics?: Metrics | undefined;
  /** Other routes by exact path, e.g. { '/slack/events': handler }. */
  routes?: Readonly<Record<string, RouteHandler>>;
  /** Listening sockets on the port (SO_REUSEPORT, Node ≥ 22.12 on Linux); default 16. See below. */
  acceptors?: number | undefined;
}

export interface OpsServer {
  /** The first HTTP server; `servers` has every one (they share the handler). */
  server: Server;
  servers: readonly Server[];
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

export function createOpsServer(opts: OpsServerOptions): OpsServer {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = async () => {
      if (req.method === 'GET' && path === '/healthz') return json(res, 200, { status: 'ok' });
      if (req.method === 'GET' && path === '/readyz') {
        const report = await checkReadiness(opts.readiness);
        return json(res, report.ready ? 200 : 503, report);
      }
      if (req.method === 'GET' && path === '/metrics' && opts.metrics) {
        const { contentType, body } = await opts.metrics.render();
        res.writeHead(200, { 'content-type': contentType });
        return void res.end(body);
      }
      const handler = opts.routes?.[path];
      if (handler) return handler(req, res);
      res.writeHead(404);
      res.end();
    };
    route().catch((e: unknown) => {
      opts.logger.error({ err: { message: (e as Error).message }, path }, 'HTTP handler failed');
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      } else res.destroy();
    });
  };
  const accepting = createAcceptingServers(handler, { logger: opts.logger, acceptors: opts.acceptors });
  return {
    server: accepting.servers[0]!,
    servers: accepting.servers,
    listen: (port, host) => accepting.listen(port, host),
    close: () => accepting.close(),
  };
}
