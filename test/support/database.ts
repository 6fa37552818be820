// A fresh PostgreSQL database per test file: uniquely named, migrated from prisma/migrations with
// the same code as `npm run db:migrate`, seeded with the hz-2017 units. Test files running in
// parallel never share a database.
//
//   const db = await createTestDatabase();   // in beforeAll
//   … db.prisma.finding.findMany() …
//   await db.drop();                          // in afterAll
//
// The server comes from TEST_DATABASE_URL, else DATABASE_URL (only host, port and credentials are
// used; default postgresql://postgres@127.0.0.1:5432), through the configuration module's `test`
// section; the admin connection uses its `postgres` database. The server is shared with other
// checkouts and their test runs, so a process drops only the databases it created itself (drop()
// in afterAll); a database left behind by a crashed run stays until someone who knows it is
// theirs drops it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations, quoteIdent } from '../../prisma/migrate.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/client.ts';
import { seedRulebook } from '../../prisma/seed.ts';
import { settingsFor } from '../../adapters/config/load-settings.ts';

export const TEST_DATABASE_PREFIX = 'kaoping_t_';
const NAME_PATTERN = /^kaoping_t_([0-9a-z]+)_[0-9a-z]+$/;

export interface TestDatabase {
  /** e.g. kaoping_t_m1abc2de_9f8e7d6c5b4a */
  name: string;
  /** connection string of the new database */
  url: string;
  prisma: PrismaClient;
  /** Disconnects the client and drops the database (even with connections left open). Idempotent. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** rulebooks to seed (units, aliases, months, ledger version); default ['hz-2017']; [] = none */
  rulebooks?: string[];
}

const { test: settings } = settingsFor('test');

function urlFor(database: string): string {
  const url = new URL(settings.databaseServerUrl);
  url.pathname = `/${database}`;
  url.searchParams.delete('schema');
  return url.toString();
}

/** The maintenance database on the test server, for creating and dropping test databases. */
export function adminUrl(): string {
  return urlFor('postgres');
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(), application_name: 'kaoping-test-admin' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The names this process made up: the only ones it may drop (the server is shared). */
const ownNames = new Set<string>();

/** Name = prefix + creation time (base 36 ms) + random: unique, and its age can be read by a person. */
function newName(): string {
  const name = `${TEST_DATABASE_PREFIX}${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
  ownNames.add(name);
  return name;
}

async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  if (!NAME_PATTERN.test(name) || !ownNames.has(name))
    throw new Error(`refusing to drop ${name}: not a test database this process created`);
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

/**
 * A unique test database name and URL without creating anything — for tests of migrate itself,
 * which create the database through applyMigrations. drop() removes it if it exists.
 */
export function reserveTestDatabase(): { name: string; url: string; drop(): Promise<void> } {
  const name = newName();
  return { name, url: urlFor(name), drop: () => withAdmin((client) => dropDatabase(client, name)) };
}

export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = newName();
  const url = urlFor(name);
  // template0: creation does not depend on nobody else being connected to template1
  await withAdmin((client) => client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8'`));

  let prisma: PrismaClient | undefined;
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await prisma?.$disconnect().catch(() => {});
    await withAdmin((client) => dropDatabase(client, name));
  };

  try {
    await applyMigrations(url, { createDatabase: false });
    prisma = createPrismaClient(url, { pool: { max: 5 } });
    for (const rulebookId of options.rulebooks ?? ['hz-2017']) await seedRulebook(prisma, rulebookId);
    return { name, url, prisma, drop };
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
}
