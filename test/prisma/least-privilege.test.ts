import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, adminUrl, type TestDatabase } from '../support/database.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/client.ts';
import { PrismaAssessmentStore } from '../../prisma/repositories/prisma-assessment-store.ts';
import { seedBootstrapOrganiser } from '../../prisma/repositories/bootstrap-organiser.ts';
import { createAssessment } from '../../core/assessment.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import { TestClock } from '../support/core-fixture.ts';

// Issue 4: the bot and the worker connect as a member of the application role "kaoping_app"
// (created by the migrations), not as the owner. Proven here with a login role made for this file:
// it can do what the core does, may INSERT and SELECT the audit log and nothing more on it, and
// cannot disable or drop the append-only triggers. And the seed's bootstrap organiser is audited.

const LOGIN = `kaoping_t_app_${randomBytes(5).toString('hex')}`;
let db: TestDatabase;
let app: pg.Client;
let appPrisma: PrismaClient;

async function asAdmin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function urlAs(user: string): string {
  const u = new URL(db.url);
  u.username = user;
  u.password = '';
  return u.toString();
}

beforeAll(async () => {
  db = await createTestDatabase();
  await asAdmin(`CREATE ROLE "${LOGIN}" LOGIN IN ROLE "kaoping_app"`);
  app = new pg.Client({ connectionString: urlAs(LOGIN) });
  await app.connect();
  appPrisma = createPrismaClient(urlAs(LOGIN));
});

afterAll(async () => {
  await app?.end().catch(() => undefined);
  await appPrisma?.$disconnect().catch(() => undefined);
  await db?.drop();
  await asAdmin(`DROP ROLE IF EXISTS "${LOGIN}"`);
});

const denied = async (sql: string) => {
  const e = await app.query(sql).then(
    () => null,
    (x: { code?: string; message: string }) => x,
  );
  return e;
};

describe('the application role', () => {
  it('is not a superuser and does not own the tables', async () => {
    const { rows } = await app.query(
      `SELECT r.rolsuper, (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log') AS owner FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(rows[0].rolsuper).toBe(false);
    expect(rows[0].owner).not.toBe(LOGIN);
  });

  it('may INSERT and SELECT the audit log, and cannot UPDATE, DELETE, TRUNCATE it or disable or drop its triggers', async () => {
    await app.query(
      `INSERT INTO audit_log (actor_label, action, entity, entity_id) VALUES ('test', 'test.added', 'test', '1')`,
    );
    const { rows } = await app.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.added'`);
    expect(rows[0].n).toBe(1);

    for (const sql of [`UPDATE audit_log SET reason = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`]) {
      const e = await denied(sql);
      expect(e?.code, sql).toBe('42501'); // insufficient_privilege — refused before the trigger
    }
    for (const sql of [
      `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`,
      `ALTER TABLE audit_log DISABLE TRIGGER ALL`,
      `DROP TRIGGER audit_log_no_truncate ON audit_log`,
      `DROP FUNCTION audit_log_append_only() CASCADE`,
      `DROP TABLE audit_log`,
      `SET session_replication_role = replica`,
    ]) {
      const e = await denied(sql);
      expect(e?.code, sql).toBe('42501'); // must be owner / permission denied
    }
    const after = await app.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.added'`);
    expect(after.rows[0].n).toBe(1);
  });

  it('cannot read or change the migration history', async () => {
    expect((await denied(`SELECT * FROM _prisma_migrations`))?.code).toBe('42501');
    expect((await denied(`DELETE FROM _prisma_migrations`))?.code).toBe('42501');
  });

  it('can do what the bot does: register members, file and withdraw findings (audited)', async () => {
    const a = createAssessment({
      rulebook: loadRulebook('hz-2017'),
      store: new PrismaAssessmentStore(appPrisma),
      clock: new TestClock(new Date('2017-06-15T10:00:00+08:00')),
    });
    await db.prisma.member.create({
      data: { role: 'organiser', identities: { create: { platform: 'test', externalId: 'org' } } },
    });
    const org = await a.membership.resolveActor('test', 'org');
    if (!org.ok) throw org.error;
    expect(
      (await a.membership.addMember(org.value, { platform: 'test', externalId: 'insp', role: 'inspector' })).ok,
    ).toBe(true);
    const inspector = await a.membership.resolveActor('test', 'insp');
    if (!inspector.ok) throw inspector.error;
    const filed = await a.findings.file(inspector.value, {
      unit: '市公安局',
      clause: '2.1.1a',
      channel: 'test',
      idempotencyKey: 'lp-1',
    });
    if (!filed.ok) throw filed.error;
    const withdrawn = await a.findings.withdraw(org.value, { findingId: filed.value.finding.id, reason: '测试' });
    expect(withdrawn.ok).toBe(true);
    expect(await db.prisma.auditLog.count({ where: { entityId: filed.value.finding.id } })).toBe(2);
  });
});

describe('the seed', () => {
  it('audits the bootstrap organiser (once; a re-run that changes nothing writes nothing)', async () => {
    const { member } = await seedBootstrapOrganiser(db.prisma, 'slack:U0BOOTSTRAP');
    await seedBootstrapOrganiser(db.prisma, 'slack:U0BOOTSTRAP');
    const rows = await db.prisma.auditLog.findMany({ where: { entity: 'member', entityId: String(member.id) } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'member.added', actorLabel: 'system:seed', actorId: null });
    expect(rows[0]!.after).toMatchObject({
      role: 'organiser',
      active: true,
      identities: [{ platform: 'slack', externalId: 'U0BOOTSTRAP' }],
    });
  });
});
