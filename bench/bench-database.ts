import { randomBytes } from 'node:crypto';

/**
 * A database name of this run's own: the configured prefix (BENCH_DATABASE_PREFIX), what it is
 * for, and a random part. Only the run that created a database drops it, so benches can run
 * beside each other and beside other checkouts on one server.
 */
export function benchDatabaseName(prefix: string, purpose: string): string {
  return `${prefix}_${purpose}_${randomBytes(6).toString('hex')}`;
}

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
