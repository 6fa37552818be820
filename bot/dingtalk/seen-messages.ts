// Deliveries already taken, by id, for a while: DingTalk retries an HTTP callback it thinks
// failed, and the Stream gateway re-sends a frame that was not acknowledged (for about 60 s).
// Process-local; what must hold across processes (one finding per message) is also keyed in the
// database by the message id (the request key becomes the finding's idempotency key).

export class SeenMessages {
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** true the first time an id is offered within the TTL; false for a repeat. */
  firstTime(id: string): boolean {
    const t = this.now();
    if (this.#seen.size > 10_000) for (const [k, at] of this.#seen) if (t - at > this.ttlMs) this.#seen.delete(k);
    const at = this.#seen.get(id);
    if (at !== undefined && t - at <= this.ttlMs) return false;
    this.#seen.set(id, t);
    return true;
  }
}
