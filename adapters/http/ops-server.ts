import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.ts';
import { checkReadiness, type ReadinessCheck } from '../observability/readiness.ts';

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
}

export interface OpsServer {
  server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

export function createOpsServer(opts: OpsServerOptions): OpsServer {
  const server = createServer((req, res) => {
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
  });
  // Slack waits 3 s for an acknowledgement; a client that trickles its body gets less patience.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
