// At most `max` request handlers do their work (store, rendering, replies) at once; the rest wait
// their turn. Acknowledgements never wait here: a burst of 200 commands is acknowledged at once
// and answered as fast as the database and the CPU allow, instead of 200 handlers competing for
// the event loop and delaying the next requests' acknowledgements past Slack's 3 seconds.
//
// A handler also starts only when `before` resolves: the Slack bot passes the receiver's
// WaitingConnections.drained(), so that new connections are taken (and acknowledged) before more
// work lengthens the event loop's iterations (adapters/http/waiting-connections.ts says why).
export class WorkLimiter {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(
    readonly max: number,
    private readonly before?: () => Promise<void>,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`WorkLimiter max must be ≥ 1, got ${max}`);
  }

  /** Handlers waiting for their turn (a gauge for operators). */
  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#running >= this.max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running += 1;
    try {
      if (this.before) await this.before();
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
