// The member_identity migration keeps every existing member reachable: a database migrated up to
// the migration before it, holding members the old way (platform and external_id on member), is
// migrated on; each member then has exactly that identity, under the same member id, and is
// found and addressed as before — so the notification ledger's recipient keys
// (user/<platform>/<external id>) and every member id stored in findings, rectification events
// and the audit log still point at the same people.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from '../../prisma/migrate.ts';
import { createPrismaClient } from '../../prisma/client.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';
import { userRecipient } from '../../core/ports/notification-key.ts';
import { reserveTestDatabase } from '../support/database.ts';

const MIGRATION = '20261203100000_member_identity';
const db = reserveTestDatabase();
const dirs: string[] = [];

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** prisma/migrations up to (not including) the member_identity migration. */
function migrationsBefore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kaoping-before-identity-'));
  dirs.push(dir);
  for (const m of readMigrations()) {
    if (m.name === MIGRATION) break;
    cpSync(join(MIGRATIONS_DIR, m.name), join(dir, m.name), { recursive: true });
  }
  return dir;
}

beforeAll(async () => {
  expect(readMigrations().map((m) => m.name)).toContain(MIGRATION);
  await applyMigrations(db.url, { migrationsDir: migrationsBefore() });
  await sql(`INSERT INTO unit (rulebook_id, name, "group") VALUES ('hz-2017', '市公安局', 'A')`);
  // members as they were stored: one row per platform user (the same person twice, too)
  await sql(`
    INSERT INTO member (id, platform, external_id, display_name, role, unit_id, locale, active, updated_at) VALUES
      (3, 'slack', 'U0ORG', '王组织', 'organiser', NULL, NULL, true, now()),
      (5, 'dingtalk', 'dt-contact', NULL, 'unit_contact', (SELECT id FROM unit WHERE name = '市公安局'), 'en', true, now()),
      (7, 'slack', 'U0CONTACT', NULL, 'unit_contact', (SELECT id FROM unit WHERE name = '市公安局'), NULL, true, now()),
      (8, 'console', 'gone', NULL, 'inspector', NULL, NULL, false, now())`);
  await sql(`SELECT setval('member_id_seq', 8)`);
  await applyMigrations(db.url);
});
afterAll(async () => {
  await db.drop().catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('migration member_identity', () => {
  it('gives every member the identity it had, under the same member id', async () => {
    const rows = await sql<{ member_id: number; platform: string; external_id: string }>(
      'SELECT member_id, platform, external_id FROM member_identity ORDER BY member_id',
    );
    expect(rows).toEqual([
      { member_id: 3, platform: 'slack', external_id: 'U0ORG' },
      { member_id: 5, platform: 'dingtalk', external_id: 'dt-contact' },
      { member_id: 7, platform: 'slack', external_id: 'U0CONTACT' },
      { member_id: 8, platform: 'console', external_id: 'gone' },
    ]);
    const columns = await sql<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'member' ORDER BY column_name`,
    );
    expect(columns.map((c) => c.column_name)).not.toContain('external_id');
  });

  it('finds and addresses the members as before: same roles, units, languages, recipient keys', async () => {
    const prisma = createPrismaClient(db.url);
    try {
      const store = new PrismaAssessmentStore(prisma);
      expect(await store.findMember('slack', 'U0ORG')).toMatchObject({
        id: 3,
        role: 'organiser',
        displayName: '王组织',
        identities: [{ platform: 'slack', externalId: 'U0ORG' }],
      });
      expect(await store.findMember('console', 'gone')).toMatchObject({ id: 8, active: false });
      const contacts = await store.unitContacts({ rulebookId: 'hz-2017', platforms: ['slack', 'dingtalk'] });
      expect(contacts.map((c) => [userRecipient(c.platform, c.externalId), c.locale])).toEqual([
        ['user/dingtalk/dt-contact', 'en'],
        ['user/slack/U0CONTACT', null],
      ]);
      // new members and identities after the copy get fresh ids
      const added = await prisma.member.create({
        data: { role: 'inspector', identities: { create: { platform: 'dingtalk', externalId: 'dt-new' } } },
        include: { identities: true },
      });
      expect(added.id).toBe(9);
      expect(added.identities[0]!.id).toBe(5);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('a platform user is one member, and a member has one identity per platform', async () => {
    await expect(
      sql(`INSERT INTO member_identity (member_id, platform, external_id) VALUES (7, 'dingtalk', 'dt-contact')`),
    ).rejects.toThrow(/member_identity_platform_external_id_key/);
    await expect(
      sql(`INSERT INTO member_identity (member_id, platform, external_id) VALUES (3, 'slack', 'U0ORG2')`),
    ).rejects.toThrow(/member_identity_member_id_platform_key/);
  });
});
