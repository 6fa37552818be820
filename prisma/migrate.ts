// npm run db:migrate — apply prisma/migrations with the `pg` driver, the way `prisma migrate deploy`
// does, for machines where Prisma's schema engine cannot be downloaded (see toolchain notes).
//
// Compatibility with Prisma is the point: the history is kept in `_prisma_migrations` with
// Prisma's own DDL, one row per migration (id = uuid, checksum = sha256 hex of migration.sql,
// started_at, finished_at, applied_steps_count = 1), under Prisma's advisory lock 72707369. So a
// later `prisma migrate deploy` / `migrate status` on a connected machine sees these migrations
// as applied, and this script sees migrations that Prisma applied.
//
// Like Prisma, a migration whose row has no finished_at (and no rolled_back_at) is a failed
// migration and stops everything until it is resolved. Stricter than `migrate deploy`, a
// migration whose file changed after it was applied is refused (Prisma reports that only in
// `migrate dev`).
//
// Usage:
//   npx tsx prisma/migrate.ts                      apply pending migrations (creates the database)
//   npx tsx prisma/migrate.ts --status             list applied / pending / failed migrations
//   npx tsx prisma/migrate.ts --rolled-back <name> mark a failed migration as rolled back
//                                                  (= `prisma migrate resolve --rolled-back`)
// DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/kaoping) comes from the configuration
// module, read by main() only: the functions below take the URL as an argument.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { settingsOrExit } from '../adapters/config/load-settings.ts';

/** Where the migrations live: prisma/migrations next to this file. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** The key Prisma's schema engine locks with (`SELECT pg_advisory_lock(72707369)`). */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

/** Prisma's DDL for its history table on PostgreSQL, verbatim from the schema engine. */
export const PRISMA_MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export type MigrationErrorCode =
  | 'MIGRATION.UNREADABLE'
  | 'MIGRATION.PROVIDER_MISMATCH'
  | 'MIGRATION.LOCK_TIMEOUT'
  | 'MIGRATION.SCHEMA_NOT_EMPTY'
  | 'MIGRATION.FAILED_EARLIER'
  | 'MIGRATION.EDITED'
  | 'MIGRATION.APPLY_FAILED'
  | 'MIGRATION.NOT_FAILED';

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly migrations: readonly string[] = [],
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrationFile {
  /** directory name, e.g. 20261126000000_init */
  name: string;
  sql: string;
  /** migration.sql as read from disk */
  bytes: Buffer;
  /** sha256 hex of migration.sql's bytes — what Prisma stores in _prisma_migrations.checksum */
  checksum: string;
}

export interface AppliedMigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  /** progress lines; default silent */
  log?: (line: string) => void;
  /** create the database when it does not exist (default true) */
  createDatabase?: boolean;
  /** how long to wait for another migrator holding the advisory lock (default 60 s) */
  lockTimeoutMs?: number;
}

export interface ApplyMigrationsResult {
  /** migrations applied by this call, in order */
  applied: string[];
  /** migrations that were already applied before this call */
  alreadyApplied: string[];
  createdDatabase: boolean;
}

export function checksumOf(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Whether a stored checksum matches the script. Like Prisma, a checksum computed before or after
 * a line-ending conversion (git autocrlf) matches, and so does Prisma's old unpadded hex format.
 */
export function checksumMatches(stored: string, bytes: Buffer): boolean {
  const text = bytes.toString('utf8');
  const variants = [bytes, Buffer.from(text.replace(/\r\n/g, '\n')), Buffer.from(text.replace(/\r?\n/g, '\r\n'))];
  return variants.some((v) => {
    const digest = createHash('sha256').update(v).digest();
    return stored === digest.toString('hex') || stored === [...digest].map((b) => b.toString(16)).join('');
  });
}

/** The migrations in the directory, in the order Prisma applies them (by directory name). */
export function readMigrations(migrationsDir: string = MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(migrationsDir)) return [];
  const lockPath = join(migrationsDir, 'migration_lock.toml');
  if (existsSync(lockPath)) {
    const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockPath, 'utf8'))?.[1];
    if (provider !== undefined && provider !== 'postgresql') {
      throw new MigrationError(
        'MIGRATION.PROVIDER_MISMATCH',
        `${lockPath} says provider = "${provider}", but these migrations are applied to PostgreSQL`,
      );
    }
  }
  const names = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    // the Prisma CLI sorts migration directories with localeCompare
    .sort((a, b) => a.localeCompare(b));
  return names.map((name) => {
    const file = join(migrationsDir, name, 'migration.sql');
    if (!existsSync(file)) {
      throw new MigrationError('MIGRATION.UNREADABLE', `migration ${name} has no migration.sql (${file})`, [name]);
    }
    const bytes = readFileSync(file);
    return { name, sql: bytes.toString('utf8'), bytes, checksum: checksumOf(bytes) };
  });
}

interface Target {
  /** connection string for pg (Prisma-only parameters removed) */
  connectionString: string;
  database: string;
  /** PostgreSQL schema from ?schema=, as Prisma reads it; default public */
  schema: string;
}

function parseTarget(databaseUrl: string): Target {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected postgresql://user@host:port/database)');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new Error(`DATABASE_URL must be a postgresql:// URL, not ${url.protocol}//…`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL names no database (expected postgresql://user@host:port/database)');
  const schema = url.searchParams.get('schema') || 'public';
  // parameters only Prisma understands
  for (const p of [
    'schema',
    'connection_limit',
    'pool_timeout',
    'connect_timeout',
    'socket_timeout',
    'pgbouncer',
    'statement_cache_size',
  ]) {
    url.searchParams.delete(p);
  }
  return { connectionString: url.toString(), database, schema };
}

function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** Creates the database named in the URL when it does not exist. Returns whether it created it. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const target = parseTarget(databaseUrl);
  const probe = new pg.Client({ connectionString: target.connectionString });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    if (pgCode(error) !== '3D000') throw error; // 3D000 = invalid_catalog_name: no such database
  } finally {
    await probe.end().catch(() => {});
  }
  let lastError: unknown;
  for (const maintenance of ['postgres', 'template1']) {
    const admin = new pg.Client({ connectionString: withDatabase(target.connectionString, maintenance) });
    try {
      await admin.connect();
    } catch (error) {
      lastError = error;
      await admin.end().catch(() => {});
      continue;
    }
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(target.database)}`);
      return true;
    } catch (error) {
      // another process created it first
      if (pgCode(error) === '42P04' || pgCode(error) === '23505') return false;
      throw error;
    } finally {
      await admin.end().catch(() => {});
    }
  }
  throw lastError;
}

async function acquireLock(client: pg.Client, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      PRISMA_ADVISORY_LOCK_KEY,
    ]);
    if (rows[0]?.locked) return;
    if (Date.now() >= deadline) {
      throw new MigrationError(
        'MIGRATION.LOCK_TIMEOUT',
        `timed out after ${timeoutMs} ms waiting for the migration lock (pg_advisory_lock(${PRISMA_ADVISORY_LOCK_KEY})); another migrate is running against this database`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function historyTableExists(client: pg.Client, schema: string): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = '_prisma_migrations'`,
    [schema],
  );
  return rows.length > 0;
}

/** Tables, views and enum types in the schema: Prisma refuses to start a history on a non-empty schema (P3005). */
async function schemaObjects(client: pg.Client, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     UNION ALL
     SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = $1 AND t.typtype = 'e'
     ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.name);
}

async function readHistory(client: pg.Client): Promise<AppliedMigrationRow[]> {
  const { rows } = await client.query<AppliedMigrationRow>(
    `SELECT id, checksum, migration_name, started_at, finished_at, rolled_back_at, applied_steps_count, logs
       FROM _prisma_migrations ORDER BY started_at, migration_name`,
  );
  return rows;
}

function failedRows(history: AppliedMigrationRow[]): AppliedMigrationRow[] {
  return history.filter((r) => r.finished_at === null && r.rolled_back_at === null);
}

function describeFailure(rows: AppliedMigrationRow[]): string {
  const lines = rows.map((r) => {
    const why = r.logs
      ? `:\n      ${r.logs.trim().split('\n').join('\n      ')}`
      : ' (no log: the process may have died while applying it)';
    return `  - ${r.migration_name}, started ${r.started_at.toISOString()}${why}`;
  });
  return [
    `migrate found failed migrations in the target database; new migrations will not be applied until they are resolved:`,
    ...lines,
    `Each migration runs in a transaction, so a failed one normally left no changes behind (unless its SQL has its own COMMIT).`,
    `Check the database, fix the migration, then mark it rolled back so it is applied again:`,
    `  npx tsx prisma/migrate.ts --rolled-back <name>     (or on a connected machine: npx prisma migrate resolve --rolled-back <name>)`,
  ].join('\n');
}

function sqlErrorText(error: unknown, sql: string): string {
  if (!(error instanceof Error)) return String(error);
  const e = error as Error & { code?: string; position?: string; detail?: string; hint?: string; where?: string };
  const parts = [e.code ? `Database error code: ${e.code}` : null, `Database error:\n${e.message}`];
  if (e.position) {
    const pos = Number(e.position);
    const line = sql.slice(0, pos).split('\n').length;
    parts.push(`Position: line ${line} of migration.sql: ${sql.split('\n')[line - 1]?.trim() ?? ''}`);
  }
  if (e.detail) parts.push(`DETAIL: ${e.detail}`);
  if (e.hint) parts.push(`HINT: ${e.hint}`);
  if (e.where) parts.push(`CONTEXT: ${e.where}`);
  return parts.filter((p): p is string => p !== null).join('\n');
}

async function connectLocked(target: Target, lockTimeoutMs: number): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: target.connectionString, application_name: 'kaoping-migrate' });
  await client.connect();
  try {
    if (target.schema !== 'public') await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target.schema)}`);
    await client.query(`SET search_path TO ${quoteIdent(target.schema)}`);
    await client.query(`SET client_min_messages TO warning`);
    await acquireLock(client, lockTimeoutMs);
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

async function release(client: pg.Client): Promise<void> {
  try {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
  } catch {
    // the session ends below, which releases the lock anyway
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Apply every migration in prisma/migrations that the database has not applied yet.
 * Idempotent: a second call applies nothing. Throws MigrationError on an edited or failed
 * migration (nothing is applied then), or when a migration's SQL fails (its transaction is
 * rolled back and its row records the error, as Prisma does).
 */
export async function applyMigrations(
  databaseUrl: string,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  const log = options.log ?? (() => {});
  const target = parseTarget(databaseUrl);
  const migrations = readMigrations(options.migrationsDir ?? MIGRATIONS_DIR);
  const createdDatabase = options.createDatabase === false ? false : await ensureDatabase(databaseUrl);
  if (createdDatabase) log(`created database ${target.database}`);

  const client = await connectLocked(target, options.lockTimeoutMs ?? 60_000);
  try {
    if (!(await historyTableExists(client, target.schema))) {
      const existing = await schemaObjects(client, target.schema);
      if (existing.length > 0) {
        throw new MigrationError(
          'MIGRATION.SCHEMA_NOT_EMPTY',
          `database ${target.database} (schema ${target.schema}) is not empty but has no _prisma_migrations table (${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', …' : ''}); ` +
            `refusing to apply migrations over tables of unknown origin (Prisma's P3005). Use an empty database, or baseline it.`,
        );
      }
      await client.query(PRISMA_MIGRATIONS_TABLE_DDL);
    }

    const history = await readHistory(client);
    const failed = failedRows(history);
    if (failed.length > 0) {
      throw new MigrationError(
        'MIGRATION.FAILED_EARLIER',
        describeFailure(failed),
        failed.map((r) => r.migration_name),
      );
    }

    const done = history.filter((r) => r.rolled_back_at === null && r.finished_at !== null);
    const files = new Map(migrations.map((m) => [m.name, m]));
    const edited = done.filter((r) => {
      const file = files.get(r.migration_name);
      return file !== undefined && !checksumMatches(r.checksum, file.bytes);
    });
    if (edited.length > 0) {
      const names = edited.map((r) => r.migration_name);
      throw new MigrationError(
        'MIGRATION.EDITED',
        `migration${names.length > 1 ? 's' : ''} ${names.join(', ')} changed after being applied to ${target.database} ` +
          `(the checksum of migration.sql differs from _prisma_migrations). Applied migrations must not be edited: ` +
          `restore the file (git checkout prisma/migrations) and put the change in a new migration.`,
        names,
      );
    }
    for (const r of done) {
      if (!files.has(r.migration_name))
        log(`warning: ${r.migration_name} is applied in the database but not in the migrations directory`);
    }

    const doneNames = new Set(done.map((r) => r.migration_name));
    const alreadyApplied = migrations.filter((m) => doneNames.has(m.name)).map((m) => m.name);
    const applied: string[] = [];
    for (const migration of migrations) {
      if (doneNames.has(migration.name)) continue;
      log(`applying ${migration.name}`);
      const id = randomUUID();
      // Recorded before the script runs and outside its transaction, as Prisma does: if the
      // script fails (or the process dies), the row stays without finished_at = failed.
      await client.query(
        `INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 0)`,
        [id, migration.checksum, migration.name],
      );
      try {
        await client.query('BEGIN');
        // One simple-protocol query: the whole script, multi-statement, inside our transaction.
        // (A script with its own BEGIN/COMMIT — Prisma writes those for some enum changes —
        // commits early; that matches what Prisma's engine does with it.)
        await client.query(migration.sql);
        await client.query(
          `UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp() WHERE id = $1`,
          [id],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        const text = sqlErrorText(error, migration.sql);
        await client.query(`UPDATE _prisma_migrations SET logs = $2 WHERE id = $1`, [id, text]).catch(() => {});
        throw new MigrationError(
          'MIGRATION.APPLY_FAILED',
          `migration ${migration.name} failed and was rolled back:\n${text}\n` +
            `Fix it, then run: npx tsx prisma/migrate.ts --rolled-back ${migration.name}`,
          [migration.name],
        );
      }
      applied.push(migration.name);
    }
    return { applied, alreadyApplied, createdDatabase };
  } finally {
    await release(client);
  }
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  failed: string[];
  edited: string[];
  /** applied in the database, absent from the directory */
  unknown: string[];
}

/** Read-only comparison of the directory and the database (which must exist). */
export async function migrationStatus(
  databaseUrl: string,
  migrationsDir: string = MIGRATIONS_DIR,
): Promise<MigrationStatus> {
  const target = parseTarget(databaseUrl);
  const migrations = readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${quoteIdent(target.schema)}`);
    const history = (await historyTableExists(client, target.schema)) ? await readHistory(client) : [];
    const done = history.filter((r) => r.rolled_back_at === null && r.finished_at !== null);
    const files = new Map(migrations.map((m) => [m.name, m]));
    const doneNames = new Set(done.map((r) => r.migration_name));
    return {
      applied: done.map((r) => r.migration_name),
      pending: migrations.filter((m) => !doneNames.has(m.name)).map((m) => m.name),
      failed: failedRows(history).map((r) => r.migration_name),
      edited: done
        .filter((r) => {
          const f = files.get(r.migration_name);
          return f !== undefined && !checksumMatches(r.checksum, f.bytes);
        })
        .map((r) => r.migration_name),
      unknown: done.filter((r) => !files.has(r.migration_name)).map((r) => r.migration_name),
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/** `prisma migrate resolve --rolled-back <name>`: mark a failed migration so it is applied again. */
export async function markRolledBack(databaseUrl: string, name: string): Promise<void> {
  const target = parseTarget(databaseUrl);
  const client = await connectLocked(target, 60_000);
  try {
    const history = (await historyTableExists(client, target.schema)) ? await readHistory(client) : [];
    const failed = failedRows(history).filter((r) => r.migration_name === name);
    if (failed.length === 0) {
      throw new MigrationError(
        'MIGRATION.NOT_FAILED',
        `migration ${name} is not in a failed state; nothing to mark rolled back`,
        [name],
      );
    }
    await client.query(
      `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`,
      [name],
    );
  } finally {
    await release(client);
  }
}

function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

async function main(argv: string[]): Promise<number> {
  const databaseUrl = settingsOrExit('db:migrate').database.url;
  const where = redact(databaseUrl);
  if (argv[0] === '--status') {
    const s = await migrationStatus(databaseUrl);
    console.log(`migrations for ${where}`);
    for (const [label, names] of Object.entries(s)) if (names.length) console.log(`  ${label}: ${names.join(', ')}`);
    return s.failed.length || s.edited.length ? 1 : 0;
  }
  if (argv[0] === '--rolled-back') {
    const name = argv[1];
    if (!name) {
      console.error('usage: npx tsx prisma/migrate.ts --rolled-back <migration name>');
      return 2;
    }
    await markRolledBack(databaseUrl, name);
    console.log(`marked ${name} as rolled back in ${where}; the next migrate applies it again`);
    return 0;
  }
  if (argv.length > 0) {
    console.error(`unknown argument ${argv[0]}; usage: npx tsx prisma/migrate.ts [--status | --rolled-back <name>]`);
    return 2;
  }
  const result = await applyMigrations(databaseUrl, { log: (line) => console.log(line) });
  console.log(
    result.applied.length
      ? `applied ${result.applied.length} migration(s) to ${where}`
      : `${where} is up to date (${result.alreadyApplied.length} migration(s) applied)`,
  );
  return 0;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof MigrationError ? `migrate: ${error.message}` : error);
      process.exitCode = 1;
    },
  );
}
