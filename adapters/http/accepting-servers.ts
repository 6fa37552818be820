import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

// Node (libuv) takes one waiting connection per listening socket per event-loop iteration. When
// the loop is busy, a burst of new connections — 200 Slack requests through a proxy that opens a
// connection per request — waits in the kernel's accept queue for 200 iterations, seconds on a
// loaded machine, while every accepted request is acknowledged in a millisecond. So a port is
// opened by several listening sockets (SO_REUSEPORT: the kernel spreads new connections over
// them), each taking one per iteration. A runtime without `reusePort` (Node 20) keeps one.
// Used by the ops server (Slack's endpoint, health, metrics) and DingTalk's HTTP callback.
export const DEFAULT_ACCEPTORS = 16;

export interface AcceptingServers {
  /** Every listening server (they share the handler); the first one before `listen`. */
  readonly servers: readonly Server[];
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

function listenOne(server: Server, port: number, host: string, reusePort: boolean): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, ...(reusePort ? { reusePort: true } : {}) }, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export function createAcceptingServers(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  opts: { logger: Logger; acceptors?: number | undefined },
): AcceptingServers {
  const newServer = () => {
    const server = createServer(handler);
    // Slack waits 3 s for an acknowledgement; a client that trickles its body gets less patience.
    server.requestTimeout = 10_000;
    server.headersTimeout = 10_000;
    return server;
  };
  const servers: Server[] = [newServer()];
  const acceptors = Math.max(1, opts.acceptors ?? DEFAULT_ACCEPTORS);
  return {
    servers,
    async listen(port, host) {
      const address = await listenOne(servers[0]!, port, host, acceptors > 1);
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
