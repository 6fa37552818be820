import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { isLoopbackHost } from '../config/loopback-host.ts';

// The worker's queue dashboard (bull-board): every queue's jobs by state, their data and errors,
// retry and remove. It has no login, so it is its own HTTP server on its own port that listens
// on loopback only — never a route of the bot's public server or the worker's health server.
// The configuration refuses a non-loopback WORKER_ADMIN_HOST; listen() refuses one too, so no
// other caller can put it on a public interface by mistake. Operators reach it on the host, or
// through an SSH tunnel (`ssh -L 3003:127.0.0.1:3003 host`).

export interface QueueDashboard {
  server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export function createQueueDashboard(queues: readonly Queue[], opts: { logger: Logger }): QueueDashboard {
  const adapter = new ExpressAdapter();
  adapter.setBasePath('/');
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'kaoping queues' } },
  });
  const app = adapter.getRouter() as (req: unknown, res: unknown, next: (e?: unknown) => void) => void;
  const server = createServer((req, res) =>
    app(req, res, (e?: unknown) => {
      if (e) opts.logger.error({ err: { message: (e as Error).message } }, 'queue dashboard request failed');
      res.statusCode = e ? 500 : 404;
      res.end();
    }),
  );
  return {
    server,
    listen: (port, host) => {
      if (!isLoopbackHost(host))
        return Promise.reject(new Error(`the queue dashboard listens on loopback only, not on ${host}`));
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
