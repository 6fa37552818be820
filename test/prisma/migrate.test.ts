// prisma/migrate.ts (the offline stand-in for `prisma migrate deploy`), the audit_log trigger,
// the seed, and the test-database helper — against the real PostgreSQL.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  applyMigrations,
  markRolledBack,
  migrationStatus,
  MIGRATIONS_DIR,
  MigrationError,
  readMigrations,
} from '../../prisma/migrate.ts';
import { isUniqueViolation } from '../../prisma/client.ts';
import { monthsOf, parseBootstrapOrganiser, seedBootstrapOrganiser, seedRulebook } from '../../prisma/seed.ts';
import { adminUrl, createTestDatabase, reserveTestDatabase, type TestDatabase } from '../support/database.ts';

const INIT = readMigrations().map((m) => m.name);

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

interface HistoryRow {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}
const history = (url: string) =>
  query<HistoryRow>(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name');

async function rejection(p: Promise<unknown>): Promise<MigrationError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof MigrationError) return error;
    throw error;
  }
  throw new Error('expected a MigrationError, but the call succeeded');
}

/** A copy of prisma/migrations that a test may edit. */
function migrationsCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kaoping-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function reserve() {
  const db = reserveTestDatabase();
  cleanups.push(db.drop);
  return db;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

describe('applyMigrations', () => {
  it('creates the database, applies every migration, and a second run is a no-op', async () => {
    const db = reserve();
    const first = await applyMigrations(db.url);
    expect(first).toEqual({ applied: INIT, alreadyApplied: [], createdDatabase: true });
    const rowsAfterFirst = await history(db.url);

    const second = await applyMigrations(db.url);
    expect(second).toEqual({ applied: [], alreadyApplied: INIT, createdDatabase: false });
    expect(await history(db.url)).toEqual(rowsAfterFirst);
    expect(await migrationStatus(db.url)).toEqual({ applied: INIT, pending: [], failed: [], edited: [], unknown: [] });
  });

  it('records each migration in _prisma_migrations exactly as Prisma does', async () => {
    const db = reserve();
    await applyMigrations(db.url);
    const rows = await history(db.url);
    expect(rows.map((r) => r.migration_name)).toEqual(INIT);
    for (const row of rows) {
      const file = readFileSync(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
    // Prisma's own table definition (schema engine, PostgreSQL flavour)
    const columns = await query<{
      column_name: string;
      type: string;
      is_nullable: string;
      column_default: string | null;
    }>(
      db.url,
      `SELECT column_name, format_type(a.atttypid, a.atttypmod) AS type, is_nullable, column_default
         FROM information_schema.columns c JOIN pg_attribute a ON a.attrelid = '_prisma_migrations'::regclass AND a.attname = c.column_name
        WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(
      columns.map(
        (c) =>
          `${c.column_name} ${c.type}${c.is_nullable === 'NO' ? ' NOT NULL' : ''}${c.column_default ? ` DEFAULT ${c.column_default}` : ''}`,
      ),
    ).toEqual([
      'id character varying(36) NOT NULL',
      'checksum character varying(64) NOT NULL',
      'finished_at timestamp with time zone',
      'migration_name character varying(255) NOT NULL',
      'logs text',
      'rolled_back_at timestamp with time zone',
      'started_at timestamp with time zone NOT NULL DEFAULT now()',
      'applied_steps_count integer NOT NULL DEFAULT 0',
    ]);
  });

  it('refuses a migration edited after it was applied, and applies nothing', async () => {
    const db = reserve();
    const dir = migrationsCopy();
    await applyMigrations(db.url, { migrationsDir: dir });
    const file = join(dir, INIT[0]!, 'migration.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nCREATE TABLE sneaky (id int);\n`);
    mkdirSync(join(dir, '29990101000000_next'));
    writeFileSync(join(dir, '29990101000000_next', 'migration.sql'), 'CREATE TABLE next_one (id int);\n');

    const error = await rejection(applyMigrations(db.url, { migrationsDir: dir }));
    expect(error.code).toBe('MIGRATION.EDITED');
    expect(error.migrations).toEqual([INIT[0]]);
    expect(error.message).toContain('changed after being applied');
    const tables = await query<{ n: string }>(
      db.url,
      `SELECT count(*)::text AS n FROM pg_tables WHERE tablename IN ('sneaky', 'next_one')`,
    );
    expect(tables[0]!.n).toBe('0');
    expect((await migrationStatus(db.url, dir)).edited).toEqual([INIT[0]]);
  });

  it('does not count a line-ending conversion (git autocrlf) as an edit', async () => {
    const db = reserve();
    const dir = migrationsCopy();
    await applyMigrations(db.url, { migrationsDir: dir });
    const file = join(dir, INIT[0]!, 'migration.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    expect((await applyMigrations(db.url, { migrationsDir: dir })).applied).toEqual([]);
  });

  it('rolls back a failing migration, records the failure, and refuses to go on until it is resolved', async () => {
    const db = reserve();
    const dir = migrationsCopy();
    await applyMigrations(db.url, { migrationsDir: dir });
    const next = join(dir, '29990101000000_broken', 'migration.sql');
    mkdirSync(join(dir, '29990101000000_broken'));
    writeFileSync(
      next,
      'CREATE TABLE half_done (id int);\nCREATE TABLE oops (id int REFERENCES no_such_table (id));\n',
    );

    const failed = await rejection(applyMigrations(db.url, { migrationsDir: dir }));
    expect(failed.code).toBe('MIGRATION.APPLY_FAILED');
    expect(failed.message).toContain('no_such_table');
    expect(await query(db.url, `SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`)).toEqual([]);
    const row = (await history(db.url)).find((r) => r.migration_name === '29990101000000_broken')!;
    expect(row.finished_at).toBeNull();
    expect(row.applied_steps_count).toBe(0);
    expect(row.logs).toContain('42P01'); // undefined_table
    expect(row.logs).toContain('no_such_table');

    // Fixing the file is not enough: the failure must be resolved first, as with Prisma (P3009).
    writeFileSync(next, 'CREATE TABLE half_done (id int);\n');
    const blocked = await rejection(applyMigrations(db.url, { migrationsDir: dir }));
    expect(blocked.code).toBe('MIGRATION.FAILED_EARLIER');
    expect(blocked.migrations).toEqual(['29990101000000_broken']);
    expect(blocked.message).toContain('--rolled-back');
    expect((await migrationStatus(db.url, dir)).failed).toEqual(['29990101000000_broken']);

    await markRolledBack(db.url, '29990101000000_broken');
    expect((await applyMigrations(db.url, { migrationsDir: dir })).applied).toEqual(['29990101000000_broken']);
    const rows = (await history(db.url)).filter((r) => r.migration_name === '29990101000000_broken');
    expect(rows.map((r) => [r.rolled_back_at !== null, r.finished_at !== null])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(await query(db.url, `SELECT 1 AS ok FROM pg_tables WHERE tablename = 'half_done'`)).toEqual([{ ok: 1 }]);
    expect((await rejection(markRolledBack(db.url, INIT[0]!))).code).toBe('MIGRATION.NOT_FAILED');
  });

  it('points at the line of a syntax error', async () => {
    const db = reserve();
    const dir = mkdtempSync(join(tmpdir(), 'kaoping-bad-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, '20000101000000_typo'));
    writeFileSync(
      join(dir, '20000101000000_typo', 'migration.sql'),
      '-- CreateTable\nCREATE TABLE ok (id int);\n\nCREATE TABEL typo (id int);\n',
    );
    const error = await rejection(applyMigrations(db.url, { migrationsDir: dir }));
    expect(error.code).toBe('MIGRATION.APPLY_FAILED');
    expect(error.message).toContain('42601');
    expect(error.message).toContain('line 4 of migration.sql: CREATE TABEL typo (id int);');
  });

  it('refuses a non-empty database that has no migration history', async () => {
    const db = reserve();
    await applyMigrations(db.url, { migrationsDir: mkdtempSync(join(tmpdir(), 'kaoping-empty-')) }); // creates the db
    await query(db.url, 'DROP TABLE _prisma_migrations; CREATE TABLE legacy (id int)');
    const error = await rejection(applyMigrations(db.url));
    expect(error.code).toBe('MIGRATION.SCHEMA_NOT_EMPTY');
    expect(error.message).toContain('legacy');
  });

  it('serialises concurrent runs with the advisory lock: one applies, the other finds it done', async () => {
    const db = reserve();
    await applyMigrations(db.url, { migrationsDir: mkdtempSync(join(tmpdir(), 'kaoping-empty-')) });
    const results = await Promise.all([applyMigrations(db.url), applyMigrations(db.url), applyMigrations(db.url)]);
    expect(results.flatMap((r) => r.applied)).toEqual(INIT);
    expect((await history(db.url)).length).toBe(INIT.length);
  });
});

describe('the store of record', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('keeps audit_log append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const row = await db.prisma.auditLog.create({
      data: { actorLabel: 'test', action: 'finding.filed', entity: 'finding', entityId: 'x', after: { a: 1 } },
    });
    await expect(
      db.prisma.auditLog.update({ where: { id: row.id }, data: { reason: 'rewrite history' } }),
    ).rejects.toThrow(/audit_log is append-only: UPDATE is not allowed/);
    await expect(db.prisma.auditLog.delete({ where: { id: row.id } })).rejects.toThrow(
      /audit_log is append-only: DELETE is not allowed/,
    );
    await expect(db.prisma.auditLog.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe('TRUNCATE audit_log')).rejects.toThrow(
      /audit_log is append-only: TRUNCATE is not allowed/,
    );
    await expect(query(db.url, 'UPDATE audit_log SET reason = $1', ['x'])).rejects.toMatchObject({ code: 'P0001' });
    expect(await db.prisma.auditLog.findUnique({ where: { id: row.id } })).toMatchObject({
      reason: null,
      after: { a: 1 },
    });
    await db.prisma.auditLog.create({
      data: { actorLabel: 'test', action: 'finding.withdrawn', entity: 'finding', entityId: 'x' },
    });
    expect(await db.prisma.auditLog.count()).toBe(2);
  });

  it('seeds the hz-2017 units, aliases, and the months and ledger version of 2017 and 2018 (the next year, from its calendar)', async () => {
    expect(await db.prisma.unit.count({ where: { rulebookId: 'hz-2017' } })).toBe(59);
    expect(await db.prisma.unitAlias.count({ where: { rulebookId: 'hz-2017' } })).toBe(28);
    const alias = await db.prisma.unitAlias.findUnique({
      where: { rulebookId_alias: { rulebookId: 'hz-2017', alias: '市地震局' } },
      include: { unit: true },
    });
    expect(alias?.unit.name).toBe('市科委');
    expect(alias?.unit.group).toBe('with_matters');
    const months = await db.prisma.assessmentMonth.findMany({
      where: { rulebookId: 'hz-2017' },
      orderBy: { month: 'asc' },
    });
    expect(months.map((m) => [m.month, m.state])).toEqual(
      [...monthsOf(2017), ...monthsOf(2018)].map((m) => [m, 'open']),
    );
    expect(await db.prisma.ledgerVersion.findMany({ orderBy: { year: 'asc' } })).toEqual([
      { rulebookId: 'hz-2017', year: 2017, version: 0n, computedVersion: 0n },
      { rulebookId: 'hz-2017', year: 2018, version: 0n, computedVersion: 0n },
    ]);
    // organisers are not assessed units
    expect(await db.prisma.unit.findFirst({ where: { name: '市考评办' } })).toBeNull();
  });

  it('seeding again changes nothing, and never reopens a closed month or resets the ledger', async () => {
    await db.prisma.assessmentMonth.update({
      where: { rulebookId_month: { rulebookId: 'hz-2017', month: '2017-01' } },
      data: { state: 'closed', closedAt: new Date('2017-02-05T02:00:00Z') },
    });
    await db.prisma.ledgerVersion.update({
      where: { rulebookId_year: { rulebookId: 'hz-2017', year: 2017 } },
      data: { version: 7n },
    });
    const snapshot = async () => ({
      units: await db.prisma.unit.findMany({ orderBy: { id: 'asc' } }),
      aliases: await db.prisma.unitAlias.findMany({ orderBy: { id: 'asc' } }),
      months: await db.prisma.assessmentMonth.findMany({ orderBy: { month: 'asc' } }),
      ledger: await db.prisma.ledgerVersion.findMany({ orderBy: { year: 'asc' } }),
    });
    const before = await snapshot();
    const summary = await seedRulebook(db.prisma, 'hz-2017');
    expect(summary).toMatchObject({
      units: { created: 0, updated: 0, unchanged: 59, total: 59 },
      aliases: { created: 0, updated: 0, removed: 0, total: 28 },
      months: { created: 0 },
      ledgerVersionCreated: false,
      orphanUnits: [],
    });
    expect(await snapshot()).toEqual(before);
    expect(before.months[0]!.state).toBe('closed');
    expect(before.ledger[0]!.version).toBe(7n);
  });

  it('seeding repairs drifted reference data: a moved alias, a stray alias, a changed group', async () => {
    const kw = await db.prisma.unit.findUniqueOrThrow({
      where: { rulebookId_name: { rulebookId: 'hz-2017', name: '市科委' } },
    });
    const other = await db.prisma.unit.findFirstOrThrow({ where: { rulebookId: 'hz-2017', NOT: { id: kw.id } } });
    await db.prisma.unitAlias.update({
      where: { rulebookId_alias: { rulebookId: 'hz-2017', alias: '市地震局' } },
      data: { unitId: other.id },
    });
    await db.prisma.unitAlias.create({ data: { rulebookId: 'hz-2017', alias: '不存在的别名', unitId: other.id } });
    await db.prisma.unit.update({ where: { id: kw.id }, data: { group: 'elsewhere' } });
    const summary = await seedRulebook(db.prisma, 'hz-2017');
    expect(summary.units.updated).toBe(1);
    expect(summary.aliases).toMatchObject({ updated: 1, removed: 1, created: 0 });
    const alias = await db.prisma.unitAlias.findUniqueOrThrow({
      where: { rulebookId_alias: { rulebookId: 'hz-2017', alias: '市地震局' } },
    });
    expect(alias.unitId).toBe(kw.id);
    expect((await db.prisma.unit.findUniqueOrThrow({ where: { id: kw.id } })).group).toBe('with_matters');
    expect(await db.prisma.unitAlias.count()).toBe(28);
  });

  it('concurrent seeds of the same rulebook do not collide', async () => {
    const results = await Promise.all([seedRulebook(db.prisma, 'hz-2017'), seedRulebook(db.prisma, 'hz-2017')]);
    expect(results.map((r) => r.units.created)).toEqual([0, 0]);
    expect(await db.prisma.unit.count()).toBe(59);
  });

  it('bootstraps an organiser from "platform:externalId", idempotently', async () => {
    expect(parseBootstrapOrganiser('slack:U123')).toEqual({ platform: 'slack', externalId: 'U123' });
    expect(parseBootstrapOrganiser('dingtalk:abc:def')).toEqual({ platform: 'dingtalk', externalId: 'abc:def' });
    expect(() => parseBootstrapOrganiser('U123')).toThrow(/platform:externalId/);
    expect(() => parseBootstrapOrganiser('slack:')).toThrow(/platform:externalId/);

    const first = await seedBootstrapOrganiser(db.prisma, 'slack:U123');
    expect(first.created).toBe(true);
    await db.prisma.member.update({ where: { id: first.member.id }, data: { active: false, role: 'inspector' } });
    const second = await seedBootstrapOrganiser(db.prisma, 'slack:U123');
    expect(second).toMatchObject({
      created: false,
      member: { id: first.member.id, role: 'organiser', active: true, unitId: null },
    });
    expect(
      await db.prisma.member.count({ where: { identities: { some: { platform: 'slack', externalId: 'U123' } } } }),
    ).toBe(1);
  });

  it('reports unique violations through isUniqueViolation', async () => {
    const error = await db.prisma.unit
      .create({ data: { rulebookId: 'hz-2017', name: '市科委', group: 'x' } })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(new Error('other'))).toBe(false);
  });
});

describe('test databases', () => {
  it('drop() removes the database even with connections open, and is idempotent', async () => {
    const db = await createTestDatabase({ rulebooks: [] });
    const held = new pg.Client({ connectionString: db.url });
    await held.connect();
    held.on('error', () => {});
    await db.drop();
    await db.drop();
    await held.end().catch(() => {});
    expect(await query(adminUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [db.name])).toEqual([]);
  });

  it('never drops a database it did not create, however old its name says it is', async () => {
    const admin = adminUrl();
    // Another checkout's database, by the name pattern two hours old (the server is shared).
    const theirs = `kaoping_t_${(Date.now() - 2 * 3600_000).toString(36)}_deadbeef0001`;
    await query(admin, `CREATE DATABASE "${theirs}"`);
    cleanups.push(() => query(admin, `DROP DATABASE IF EXISTS "${theirs}" WITH (FORCE)`).then(() => {}));
    // A fresh copy of the helper, as in a new test process (an earlier version swept old names there).
    vi.resetModules();
    const fresh = await import('../support/database.ts');
    const ours = await fresh.createTestDatabase({ rulebooks: [] });
    await ours.drop();
    const left = await query<{ datname: string }>(admin, 'SELECT datname FROM pg_database WHERE datname = ANY($1)', [
      [theirs, ours.name],
    ]);
    expect(left.map((r) => r.datname)).toEqual([theirs]);
  });
});
