import pg from 'pg';

// What changed in the store, learned by LISTEN instead of asked on every request. The triggers of
// migration 20261204300000_change_feed notify, at commit and in commit order:
//   kaoping_ledger     a year's ledger version moved ({"r": rulebook, "y": year, "v": version})
//   kaoping_directory  members, identities or channel bindings changed
//   kaoping_published  month states, snapshots, publications or tie-breaks changed
//
// The feed is "live" only while its connection is up and listening. Then:
//   - a ledger version is known without a query once it has been read after LISTEN started (every
//     later commit is notified; the larger of the read and the notified version wins);
//   - the directory and publication epochs change on every notification, so caches keyed by them
//     are dropped on change.
// When the connection drops, the feed is not live: known versions are forgotten, both epochs move
// (so nothing cached before is trusted again), callers fall back to asking the database, and the
// feed reconnects with back-off. Own writes are noted at once (noteLedgerVersion, touch*), so a
// process reads its own changes on the next request without waiting for the notification.

export interface ChangeFeedOptions {
  /** Where problems are reported (never the connection string). */
  onError?: (e: unknown, what: string) => void;
  /** Back-off before reconnecting: first and longest wait, ms (default 500 and 30 000). */
  retryMs?: { first: number; max: number };
}

const CHANNELS = ['kaoping_ledger', 'kaoping_directory', 'kaoping_published'] as const;

export class ChangeFeed {
  private client: pg.Client | null = null;
  private isLive = false;
  private closed = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private wait: number;
  private readonly versions = new Map<string, bigint>();
  /** Moves on every (re)connect and loss of the connection, so reads begun before are not kept. */
  private generation = 0;
  private directory = 0;
  private published = 0;
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Set<() => void>();
  private readonly downWaiters = new Set<() => void>();

  private constructor(
    private readonly config: pg.ClientConfig,
    private readonly opts: ChangeFeedOptions,
  ) {
    this.wait = opts.retryMs?.first ?? 500;
  }

  /**
   * A feed over its own connection (not one of the pool's). Resolves after the first attempt to
   * connect: listening if it worked; otherwise not live (reads ask the database) and retrying.
   */
  static async start(config: pg.ClientConfig, opts: ChangeFeedOptions = {}): Promise<ChangeFeed> {
    const feed = new ChangeFeed(config, opts);
    await feed.connect().catch((e) => {
      opts.onError?.(e, 'change feed not connected; asking the database until it is');
      feed.scheduleReconnect();
    });
    return feed;
  }

  /** Listening now: what the feed says can be trusted. */
  get live(): boolean {
    return this.isLive;
  }

  /** Changes whenever members, identities or channel bindings may have changed (or the feed was down). */
  get directoryEpoch(): number {
    return this.directory;
  }

  /** Changes whenever month states or snapshots may have changed (or the feed was down). */
  get publicationEpoch(): number {
    return this.published;
  }

  /** The year's current ledger version, when live and known; undefined means: ask the database. */
  ledgerVersion(rulebookId: string, year: number): bigint | undefined {
    return this.isLive ? this.versions.get(`${rulebookId}/${year}`) : undefined;
  }

  /**
   * Remembers a version read from the database. `since` is the generation read before the query:
   * if the connection dropped or came back meanwhile, the value is not kept (it may predate LISTEN).
   */
  primeLedgerVersion(rulebookId: string, year: number, version: bigint, since: number): void {
    if (this.isLive && since === this.generation) this.raise(`${rulebookId}/${year}`, version);
  }

  /** A version this process has just committed (known before its notification arrives). */
  noteLedgerVersion(rulebookId: string, year: number, version: bigint): void {
    const key = `${rulebookId}/${year}`;
    // only raises a version already known: an unknown one is read from the database once
    if (this.isLive && this.versions.has(key)) this.raise(key, version);
  }

  /** This process changed members, identities or bindings: drop what was cached at once. */
  touchDirectory(): void {
    this.directory++;
  }

  /** This process changed a month's state or a snapshot. */
  touchPublished(): void {
    this.published++;
  }

  /** The current generation, to hand back to primeLedgerVersion. */
  get currentGeneration(): number {
    return this.generation;
  }

  /** Resolves when the feed is live again (tests, and callers that prefer to wait). */
  whenLive(): Promise<void> {
    if (this.isLive) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  /** Resolves when the feed is not live (at once if it is not now). */
  whenDown(): Promise<void> {
    if (!this.isLive) return Promise.resolve();
    return new Promise((resolve) => this.downWaiters.add(resolve));
  }

  /** Resolves after the next notification has been taken in (tests wait on this, never on a clock). */
  nextNotification(): Promise<void> {
    return new Promise((resolve) => {
      const once = () => {
        this.listeners.delete(once);
        resolve();
      };
      this.listeners.add(once);
    });
  }

  /** Closes the connection and stops reconnecting. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.lose();
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  /** The backend process id of the listening connection (tests cut it to show the fallback). */
  get backendPid(): number | undefined {
    return (this.client as unknown as { processID?: number } | null)?.processID;
  }

  private raise(key: string, version: bigint): void {
    const known = this.versions.get(key);
    if (known === undefined || version > known) this.versions.set(key, version);
  }

  private lose(): void {
    this.isLive = false;
    for (const w of this.downWaiters) w();
    this.downWaiters.clear();
    this.versions.clear();
    this.generation++;
    this.directory++;
    this.published++;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('error', (e) => this.dropped(client, e));
    client.on('end', () => this.dropped(client, null));
    client.on('notification', (n) => this.notified(n));
    try {
      await client.connect();
      await client.query(CHANNELS.map((c) => `LISTEN ${c}`).join('; '));
    } catch (e) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // Listening from here on: whatever was cached before may have missed changes.
    this.generation++;
    this.directory++;
    this.published++;
    this.versions.clear();
    this.isLive = true;
    this.wait = this.opts.retryMs?.first ?? 500;
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  private dropped(client: pg.Client, e: unknown): void {
    if (client !== this.client) return;
    this.client = null;
    this.lose();
    client.end().catch(() => undefined);
    if (this.closed) return;
    if (e) this.opts.onError?.(e, 'change feed connection lost; asking the database until it is back');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().catch((e) => {
        this.opts.onError?.(e, 'change feed reconnect failed');
        this.wait = Math.min(this.wait * 2, this.opts.retryMs?.max ?? 30_000);
        this.scheduleReconnect();
      });
    }, this.wait);
    this.retry.unref();
  }

  private notified(n: pg.Notification): void {
    this.take(n);
    for (const l of [...this.listeners]) l();
  }

  private take(n: pg.Notification): void {
    switch (n.channel) {
      case 'kaoping_ledger': {
        try {
          const p = JSON.parse(n.payload ?? '') as { r: string; y: number; v: string };
          const key = `${p.r}/${p.y}`;
          // A version not yet read stays unknown (read once, then followed).
          if (this.versions.has(key)) this.raise(key, BigInt(p.v));
        } catch (e) {
          this.opts.onError?.(e, 'unreadable ledger notification');
          this.versions.clear();
        }
        return;
      }
      case 'kaoping_directory':
        this.directory++;
        return;
      case 'kaoping_published':
        this.published++;
        return;
    }
  }
}
