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

// Node (libuv) takes one waiting connection per listening socket per event-loop iteration. When
// the loop is busy, a burst of new connections — 200 Slack requests through a proxy that opens a
// connection per request — waits in the kernel's accept queue for 200 iterations, seconds on a
// loaded machine, while every accepted request is acknowledged in a millisecond. So the port is
// opened by several listening sockets (SO_REUSEPORT: the kernel spreads new connections over
// them), each taking one per iteration. A runtime without `reusePort` (Node 20) keeps one.
const DEFAULT_ACCEPTORS = 16;

function listenOne(server: Server, port: number, host: string, reusePort: boolean): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, ...(reusePort ? { reusePort: true } : {}) }, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
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
  const newServer = () => {
    const server = createServer(handler);
    // Slack waits 3 s for an acknowledgement; a client that trickles its body gets less patience.
    server.requestTimeout = 10_000;
    server.headersTimeout = 10_000;
    return server;
  };
  const first = newServer();
  const servers: Server[] = [first];
  const acceptors = Math.max(1, opts.acceptors ?? DEFAULT_ACCEPTORS);
  return {
    server: first,
    servers,
    async listen(port, host) {
      const address = await listenOne(first, port, host, acceptors > 1);
      for (let i = 1; i < acceptors; i++) {
        const extra = newServer();
        try {
          await listenOne(extra, address.port, host, true);
        } catch (e) {
          // no SO_REUSEPORT in this runtime: the second socket finds the port taken
          opts.logger.info({ err: { message: (e as Error).message } }, 'one listening socket (no reusePort here)');
          break;
        }
        servers.push(extra);
      }
      return address;
    },
    close: () =>
      Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      ).then(() => undefined),
  };
}
