import type { Server } from 'node:net';

// Node takes one waiting connection from the kernel per listening socket and event-loop
// iteration (libuv; strace shows one accept4 per epoll_wait, on Node 20 and 26: 200 connects
// against a loop kept busy 20 ms an iteration are accepted over 4 s). Every iteration that runs
// handler work (store queries, scoring, rendering) is longer, so under a burst of new connections
// the requests wait in the kernel's accept queue — not in our code — and Slack's 3-second
// acknowledgement is missed although each accepted request is acknowledged in a millisecond
// (bench/load.bench.ts measures both). adapters/http/ops-server.ts opens several listening
// sockets; this makes the work wait for them.
//
// Work that can wait (a handler after its acknowledgement) waits here until the queues are empty:
// an iteration in which no new connection arrived means the kernel had none left. The wait is
// bounded, so a steady stream of new connections slows the work down but cannot stop it.

export class WaitingConnections {
  #accepted = 0;

  constructor(private readonly maxWaitMs = 1_000) {}

  /** Count the connections a listening server accepts. */
  watch(server: Server): void {
    server.on('connection', () => {
      this.#accepted += 1;
    });
  }

  /** Resolves after an event-loop iteration without a new connection (or after maxWaitMs). */
  async drained(): Promise<void> {
    const deadline = Date.now() + this.maxWaitMs;
    // first to the loop's check phase: from there, the next one is a whole iteration away (its
    // poll phase is where connections are accepted)
    await nextIteration();
    for (;;) {
      const before = this.#accepted;
      await nextIteration();
      if (this.#accepted === before || Date.now() >= deadline) return;
    }
  }
}

const nextIteration = () => new Promise<void>((resolve) => setImmediate(resolve));
