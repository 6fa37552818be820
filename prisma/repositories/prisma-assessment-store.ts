import { Prisma, type PrismaClient } from '../generated/client.ts';
import type {
  AppealRecord,
  CaseRecords,
  AssessmentStore,
  ExtensionRecord,
  AuditEntry,
  FilingOutcome,
  FindingKeyed,
  FindingPatch,
  LedgerRow,
  MemberRecord,
  NewFinding,
  PublishedRow,
  RectificationEventRecord,
  StoredFinding,
  StoreTx,
} from '../../core/ports/assessment-store.port.ts';
import type { MemberIdentity, Role } from '../../core/assessment-api.ts';
import type {
  ChannelBinding,
  DirectoryMember,
  RecipientDirectoryPort,
  UnitContact,
} from '../../core/ports/recipient-directory.port.ts';
import { PublicationsRepository, PublicationsTxRepository } from './publications.repository.ts';
import { RecipientDirectoryRepository } from './recipient-directory.repository.ts';
import { readLedgerRows } from './ledger-rows.repository.ts';
import { readLedgerVersion } from './hot-reads.repository.ts';
import { poolOf } from '../client.ts';
import type { ChangeFeed } from '../change-feed.ts';
import { randomUUID } from 'node:crypto';
import { toLocale, type Locale } from '../../core/i18n/locale.ts';

type Tx = Prisma.TransactionClient;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const toDate = (d: string): Date => new Date(`${d}T00:00:00.000Z`);
const fromDate = (d: Date | null): string | null => (d ? d.toISOString().slice(0, 10) : null);

interface FindingRow {
  id: string;
  seq: number;
  rulebook_id: string;
  year: number;
  unit: string;
  clause_id: string;
  date: string;
  count: number;
  value: string | null;
  level: string | null;
  source: string;
  deadline: string | null;
  deadline_is_default: boolean;
  status: StoredFinding['status'];
  rectified_on: string | null;
  evidence_text: string;
  evidence_links: string[];
  filed_by_id: number;
  filed_at: Date;
  channel: string;
  idempotency_key: string;
  notice_ref: string | null;
  withdrawn_at: Date | null;
  withdraw_reason: string | null;
  m_identities: MemberIdentity[];
  m_display_name: string | null;
  change_seq: bigint;
  under_appeal: boolean;
}

// One SELECT shape for every read, so rows map the same way everywhere; dates come back as text.
const SELECT_FINDING = Prisma.sql`
  SELECT f.id::text AS id, f.seq, f.rulebook_id, f.year, u.name AS unit, f.clause_id, f.date::text AS date,
         f.count, f.value::text AS value, f.level, f.source, f.deadline::text AS deadline, f.deadline_is_default,
         f.status::text AS status, f.rectified_on::text AS rectified_on, f.evidence_text, f.evidence_links,
         f.filed_by_id, f.filed_at, f.channel, f.idempotency_key, f.notice_ref, f.withdrawn_at, f.withdraw_reason,
         m.display_name AS m_display_name, f.change_seq,
         COALESCE((SELECT json_agg(json_build_object('platform', i.platform, 'externalId', i.external_id) ORDER BY i.id)
                     FROM member_identity i WHERE i.member_id = f.filed_by_id), '[]'::json) AS m_identities,
         EXISTS (SELECT 1 FROM appeal a WHERE a.finding_id = f.id AND a.state = 'pending') AS under_appeal
  FROM finding f JOIN unit u ON u.id = f.unit_id LEFT JOIN member m ON m.id = f.filed_by_id`;

// One unit's findings and the ledger version in ONE statement, so both come from the same
// snapshot (two statements could see a change commit between them). The version is joined to the
// findings rather than selected beside them so that a unit without findings still gets its row.
// Uses finding(rulebook_id, year, unit_id) through the unit's id.
type UnitFindingRow = FindingRow & { ledger_version: string };
const unitFindingsSql = (rulebookId: string, year: number, unit: string): Prisma.Sql => Prisma.sql`
  SELECT v.ledger_version, f.*
  FROM (SELECT coalesce((SELECT version FROM ledger_version WHERE rulebook_id = ${rulebookId}::text AND year = ${year}::int),
                        0)::text AS ledger_version) v
  LEFT JOIN (${SELECT_FINDING}
             WHERE f.rulebook_id = ${rulebookId}::text AND f.year = ${year}::int
               AND f.unit_id = (SELECT id FROM unit WHERE rulebook_id = ${rulebookId}::text AND name = ${unit}::text)) f
  ON true`;

type PublishedMonth = { month: string; asOf: string; rows: PublishedRow[] };

interface FiledRow {
  prior_id: string | null;
  closed: boolean;
  seq: number | null;
  filed_at: Date | null;
  change_seq: string | null;
  display_name: string | null;
  identities: MemberIdentity[];
}

// Filing one finding in one statement (one round trip, autocommit): the key and the month are
// checked, the ledger version taken, the finding inserted and audited together, so the ledger
// row's lock is held only for this statement. Data-modifying CTEs run in dependency order: the
// version only when the key is new and the month open, the finding only with a version, the audit
// entry only with a finding. A twin with the same key racing it waits on the ledger row, then
// inserts nothing (ON CONFLICT); its version bump without a row is harmless.
const FILE_FINDING_SQL = `
WITH prior AS (SELECT id FROM finding WHERE idempotency_key = $17::text),
closed AS (SELECT 1 FROM assessment_month WHERE rulebook_id = $2::text AND month = $18::text AND state = 'closed'),
v AS (
  INSERT INTO ledger_version (rulebook_id, year, version)
  SELECT $2::text, $3::int, 1 WHERE NOT EXISTS (SELECT 1 FROM prior) AND NOT EXISTS (SELECT 1 FROM closed)
  ON CONFLICT (rulebook_id, year) DO UPDATE SET version = ledger_version.version + 1
  RETURNING version),
ins AS (
  INSERT INTO finding (id, rulebook_id, year, unit_id, clause_id, date, count, value, level, source, deadline,
                       deadline_is_default, evidence_text, evidence_links, filed_by_id, channel, idempotency_key,
                       change_seq, updated_at)
  SELECT $1::uuid, $2::text, $3::int, u.id, $5::text, $6::date, $7::int, $8::numeric, $9::text, $10::text, $11::date,
         $12::boolean, $13::text, $14::text[], $15::int, $16::text, $17::text, v.version, now()
  FROM v JOIN unit u ON u.rulebook_id = $2::text AND u.name = $4::text
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING seq, filed_at, change_seq),
audit AS (
  INSERT INTO audit_log (actor_id, actor_label, action, entity, entity_id, after)
  SELECT $19::int, $20::text, 'finding.filed', 'finding', $1::text,
         $21::jsonb || jsonb_build_object('seq', ins.seq,
           'filedAt', to_char(ins.filed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'changeSeq', ins.change_seq::text)
  FROM ins)
SELECT (SELECT id::text FROM prior) AS prior_id, EXISTS (SELECT 1 FROM closed) AS closed,
       ins.seq, ins.filed_at, ins.change_seq::text AS change_seq, m.display_name,
       COALESCE((SELECT json_agg(json_build_object('platform', i.platform, 'externalId', i.external_id) ORDER BY i.id)
                   FROM member_identity i WHERE i.member_id = $15::int), '[]'::json) AS identities
FROM (SELECT 1) one LEFT JOIN ins ON true LEFT JOIN member m ON m.id = $15::int`;

function rowToFinding(r: FindingRow): StoredFinding {
  // the filer as known on the platform the finding was filed on, else by their oldest identity
  const filer = r.m_identities.find((i) => i.platform === r.channel) ?? r.m_identities[0];
  return {
    id: r.id,
    seq: r.seq,
    rulebookId: r.rulebook_id,
    year: r.year,
    unit: r.unit,
    clauseId: r.clause_id,
    date: r.date,
    count: r.count,
    value: r.value === null ? null : Number(r.value),
    level: r.level,
    source: r.source,
    deadline: r.deadline,
    deadlineIsDefault: r.deadline_is_default,
    status: r.status,
    rectifiedOn: r.rectified_on,
    evidenceText: r.evidence_text,
    evidenceLinks: r.evidence_links,
    filedBy: {
      memberId: r.filed_by_id,
      platform: filer?.platform ?? '',
      externalId: filer?.externalId ?? '',
      displayName: r.m_display_name,
      identities: r.m_identities,
    },
    filedAt: r.filed_at,
    channel: r.channel,
    idempotencyKey: r.idempotency_key,
    noticeRef: r.notice_ref,
    withdrawnAt: r.withdrawn_at,
    withdrawReason: r.withdraw_reason,
    underAppeal: r.under_appeal,
    changeSeq: BigInt(r.change_seq),
  };
}

function toAppeal(a: Prisma.AppealGetPayload<object>): AppealRecord {
  return {
    id: a.id,
    findingId: a.findingId,
    filedById: a.filedById,
    reasons: a.reasons,
    evidenceLinks: a.evidenceLinks,
    state: a.state,
    ruling: a.ruling,
    ruledById: a.ruledById,
    ruledFrom: (a.ruledFrom ?? null) as AppealRecord['ruledFrom'],
    filedAt: a.filedAt,
  };
}

function toExtension(e: Prisma.ExtensionRequestGetPayload<object>): ExtensionRecord {
  return {
    id: e.id,
    findingId: e.findingId,
    requestedById: e.requestedById,
    currentDeadline: fromDate(e.currentDeadline)!,
    requestedDeadline: fromDate(e.requestedDeadline)!,
    reason: e.reason,
    state: e.state,
    decidedById: e.decidedById,
    approvedDeadline: fromDate(e.approvedDeadline),
    decisionReason: e.decisionReason,
    createdAt: e.createdAt,
  };
}

const MEMBER_INCLUDE = {
  unit: true,
  identities: { select: { platform: true, externalId: true }, orderBy: { id: 'asc' } },
} as const satisfies Prisma.MemberInclude;
type MemberWithUnit = Prisma.MemberGetPayload<{ include: typeof MEMBER_INCLUDE }>;
function toMember(m: MemberWithUnit): MemberRecord {
  return {
    id: m.id,
    identities: m.identities.map((i) => ({ platform: i.platform, externalId: i.externalId })),
    displayName: m.displayName,
    role: m.role as Role,
    unit: m.unit?.name ?? null,
    locale: m.locale ? toLocale(m.locale) : null,
    active: m.active,
  };
}

async function selectFinding(db: Tx | PrismaClient, where: Prisma.Sql): Promise<StoredFinding | null> {
  const rows = await db.$queryRaw<FindingRow[]>`${SELECT_FINDING} WHERE ${where}`;
  return rows[0] ? rowToFinding(rows[0]) : null;
}

async function unitId(db: Tx | PrismaClient, rulebookId: string, name: string): Promise<number> {
  const u = await db.unit.findUnique({ where: { rulebookId_name: { rulebookId, name } }, select: { id: true } });
  if (!u) throw new Error(`unit ${name} of ${rulebookId} is not seeded`);
  return u.id;
}

async function memberByIdentityRow(db: Tx | PrismaClient, identity: MemberIdentity): Promise<MemberWithUnit | null> {
  const row = await db.memberIdentity.findUnique({
    where: { platform_externalId: { platform: identity.platform, externalId: identity.externalId } },
    select: { member: { include: MEMBER_INCLUDE } },
  });
  return row?.member ?? null;
}

async function memberByIdentity(db: Tx | PrismaClient, identity: MemberIdentity): Promise<MemberRecord | null> {
  const m = await memberByIdentityRow(db, identity);
  return m ? toMember(m) : null;
}

/** What a transaction changed that the change feed should know of at once (applied after commit). */
interface TxNotes {
  versions: Array<{ rulebookId: string; year: number; version: bigint }>;
  directory: boolean;
  published: boolean;
}

class PrismaStoreTx implements StoreTx {
  private readonly published: PublicationsTxRepository;

  constructor(
    private readonly tx: Tx,
    readonly notes: TxNotes = { versions: [], directory: false, published: false },
  ) {
    this.published = new PublicationsTxRepository(tx);
  }

  /** A transaction that reaches the publications may publish: the feed's readers drop theirs after it. */
  get publications(): PublicationsTxRepository {
    this.notes.published = true;
    return this.published;
  }

  async lockFinding(id: string): Promise<StoredFinding | null> {
    if (!UUID.test(id)) return null;
    const locked = await this.tx.$queryRaw<
      Array<{ id: string }>
    >`SELECT id::text FROM finding WHERE id = ${id}::uuid FOR UPDATE`;
    if (!locked.length) return null;
    return selectFinding(this.tx, Prisma.sql`f.id = ${id}::uuid`);
  }

  findingByKey(key: string): Promise<StoredFinding | null> {
    return selectFinding(this.tx, Prisma.sql`f.idempotency_key = ${key}`);
  }

  async monthState(rulebookId: string, month: string): Promise<'open' | 'closed' | null> {
    const m = await this.tx.assessmentMonth.findUnique({ where: { rulebookId_month: { rulebookId, month } } });
    return m ? m.state : null;
  }

  async insertFinding(f: NewFinding): Promise<{ finding: StoredFinding; created: boolean }> {
    const { count } = await this.tx.finding.createMany({
      skipDuplicates: true, // ON CONFLICT DO NOTHING: a concurrent twin waits on the unique index, then skips
      data: [
        {
          rulebookId: f.rulebookId,
          year: f.year,
          unitId: await unitId(this.tx, f.rulebookId, f.unit),
          clauseId: f.clauseId,
          date: toDate(f.date),
          count: f.count,
          value: f.value === null ? null : new Prisma.Decimal(f.value),
          level: f.level,
          source: f.source,
          deadline: f.deadline === null ? null : toDate(f.deadline),
          deadlineIsDefault: f.deadlineIsDefault,
          evidenceText: f.evidenceText,
          evidenceLinks: f.evidenceLinks,
          filedById: f.filedById,
          channel: f.channel,
          idempotencyKey: f.idempotencyKey,
          changeSeq: f.changeSeq,
        },
      ],
    });
    const finding = await this.findingByKey(f.idempotencyKey);
    if (!finding) throw new Error(`finding with key ${f.idempotencyKey} vanished`);
    return { finding, created: count === 1 };
  }

  async findingsByKeys(keys: readonly string[]): Promise<Map<string, FindingKeyed>> {
    if (!keys.length) return new Map();
    const rows = await this.tx.$queryRawUnsafe<Array<{ idempotency_key: string; id: string; seq: number }>>(
      'SELECT idempotency_key, id::text AS id, seq FROM finding WHERE idempotency_key = ANY($1::text[])',
      keys,
    );
    return new Map(rows.map((r) => [r.idempotency_key, { idempotencyKey: r.idempotency_key, id: r.id, seq: r.seq }]));
  }

  async monthStates(rulebookId: string, months: readonly string[]): Promise<Map<string, 'open' | 'closed'>> {
    if (!months.length) return new Map();
    const rows = await this.tx.$queryRawUnsafe<Array<{ month: string; state: 'open' | 'closed' }>>(
      'SELECT month, state::text AS state FROM assessment_month WHERE rulebook_id = $1 AND month = ANY($2::text[])',
      rulebookId,
      months,
    );
    return new Map(rows.map((r) => [r.month, r.state]));
  }

  async insertFindings(rows: readonly NewFinding[]): Promise<FindingKeyed[]> {
    if (!rows.length) return [];
    // One statement for the whole batch: the rows travel as one JSON array (a parameter per value
    // would hit the protocol's 65,535 limit at ~4,000 rows) and are inserted in their order, so
    // filing numbers follow it. A key filed meanwhile by a concurrent twin is skipped.
    const json = JSON.stringify(
      rows.map((f, ord) => ({
        ord,
        rulebook_id: f.rulebookId,
        year: f.year,
        unit: f.unit,
        clause_id: f.clauseId,
        date: f.date,
        count: f.count,
        value: f.value,
        level: f.level,
        source: f.source,
        deadline: f.deadline,
        deadline_is_default: f.deadlineIsDefault,
        evidence_text: f.evidenceText,
        evidence_links: f.evidenceLinks,
        filed_by_id: f.filedById,
        channel: f.channel,
        idempotency_key: f.idempotencyKey,
        change_seq: String(f.changeSeq),
        rectified_on: f.rectifiedOn ?? null,
      })),
    );
    const written = await this.tx.$queryRawUnsafe<Array<{ idempotency_key: string; id: string; seq: number }>>(
      `INSERT INTO finding (id, rulebook_id, year, unit_id, clause_id, date, count, value, level, source, deadline,
                            deadline_is_default, evidence_text, evidence_links, filed_by_id, channel, idempotency_key,
                            change_seq, rectified_on, status, updated_at)
       SELECT gen_random_uuid(), x.rulebook_id, x.year, u.id, x.clause_id, x.date, x.count, x.value, x.level, x.source, x.deadline,
              x.deadline_is_default, x.evidence_text, x.evidence_links, x.filed_by_id, x.channel, x.idempotency_key,
              x.change_seq, x.rectified_on,
              (CASE WHEN x.rectified_on IS NULL THEN 'filed' ELSE 'verified' END)::"FindingStatus", now()
       FROM jsonb_to_recordset($1::jsonb) AS x(ord int, rulebook_id text, year int, unit text, clause_id text, date date,
              count int, value numeric, level text, source text, deadline date, deadline_is_default boolean,
              evidence_text text, evidence_links text[], filed_by_id int, channel text, idempotency_key text,
              change_seq bigint, rectified_on date)
       JOIN unit u ON u.rulebook_id = x.rulebook_id AND u.name = x.unit
       ORDER BY x.ord
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING idempotency_key, id::text AS id, seq`,
      json,
    );
    return written.map((r) => ({ idempotencyKey: r.idempotency_key, id: r.id, seq: r.seq }));
  }

  async updateFinding(id: string, p: FindingPatch): Promise<StoredFinding> {
    await this.tx.finding.update({
      where: { id },
      data: {
        changeSeq: p.changeSeq,
        ...(p.status !== undefined ? { status: p.status } : {}),
        ...(p.rectifiedOn !== undefined ? { rectifiedOn: p.rectifiedOn === null ? null : toDate(p.rectifiedOn) } : {}),
        ...(p.deadline !== undefined ? { deadline: p.deadline === null ? null : toDate(p.deadline) } : {}),
        ...(p.deadlineIsDefault !== undefined ? { deadlineIsDefault: p.deadlineIsDefault } : {}),
        ...(p.withdrawnAt !== undefined ? { withdrawnAt: p.withdrawnAt } : {}),
        ...(p.withdrawnById !== undefined ? { withdrawnById: p.withdrawnById } : {}),
        ...(p.withdrawReason !== undefined ? { withdrawReason: p.withdrawReason } : {}),
        ...(p.count !== undefined ? { count: p.count } : {}),
        ...(p.value !== undefined ? { value: p.value === null ? null : new Prisma.Decimal(p.value) } : {}),
        ...(p.level !== undefined ? { level: p.level } : {}),
      },
    });
    return (await selectFinding(this.tx, Prisma.sql`f.id = ${id}::uuid`))!;
  }

  async insertRectificationEvent(e: Parameters<StoreTx['insertRectificationEvent']>[0]): Promise<boolean> {
    const { count } = await this.tx.rectificationEvent.createMany({
      skipDuplicates: true,
      data: [
        {
          findingId: e.findingId,
          kind: e.kind,
          actorId: e.actorId,
          submittedOn: e.submittedOn ? toDate(e.submittedOn) : null,
          evidenceText: e.evidenceText ?? null,
          evidenceLinks: e.evidenceLinks ?? [],
          reason: e.reason ?? null,
          idempotencyKey: e.idempotencyKey ?? null,
        },
      ],
    });
    return count === 1;
  }

  async latestSubmission(findingId: string): Promise<RectificationEventRecord | null> {
    const e = await this.tx.rectificationEvent.findFirst({
      where: { findingId, kind: 'submitted' },
      orderBy: { id: 'desc' },
    });
    return e ? toEvent(e) : null;
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    await this.tx.auditLog.create({
      data: {
        actorId: e.actorId,
        actorLabel: e.actorLabel,
        action: e.action,
        entity: e.entity,
        entityId: e.entityId,
        before: toJson(e.before),
        after: toJson(e.after),
        reason: e.reason ?? null,
      },
    });
  }

  async lockAppeal(findingId: string): Promise<AppealRecord | null> {
    const rows = await this.tx.$queryRaw<Array<{ id: number }>>`
      SELECT id FROM appeal WHERE finding_id = ${findingId}::uuid FOR UPDATE`;
    if (!rows[0]) return null;
    return toAppeal(await this.tx.appeal.findUniqueOrThrow({ where: { id: rows[0].id } }));
  }

  async insertAppeal(a: Parameters<StoreTx['insertAppeal']>[0]): Promise<AppealRecord> {
    return toAppeal(await this.tx.appeal.create({ data: a }));
  }

  async updateAppeal(id: number, p: Parameters<StoreTx['updateAppeal']>[1]): Promise<AppealRecord> {
    const { ruledFrom, ...rest } = p;
    return toAppeal(
      await this.tx.appeal.update({
        where: { id },
        data: { ...rest, ...(ruledFrom !== undefined ? { ruledFrom: ruledFrom ?? Prisma.DbNull } : {}) },
      }),
    );
  }

  async extensionRequests(findingId: string): Promise<ExtensionRecord[]> {
    const rows = await this.tx.extensionRequest.findMany({ where: { findingId }, orderBy: { id: 'asc' } });
    return rows.map(toExtension);
  }

  async insertExtensionRequest(e: Parameters<StoreTx['insertExtensionRequest']>[0]): Promise<ExtensionRecord> {
    return toExtension(
      await this.tx.extensionRequest.create({
        data: {
          findingId: e.findingId,
          requestedById: e.requestedById,
          currentDeadline: toDate(e.currentDeadline),
          requestedDeadline: toDate(e.requestedDeadline),
          reason: e.reason,
        },
      }),
    );
  }

  async updateExtensionRequest(
    id: number,
    p: Parameters<StoreTx['updateExtensionRequest']>[1],
  ): Promise<ExtensionRecord> {
    return toExtension(
      await this.tx.extensionRequest.update({
        where: { id },
        data: { ...p, approvedDeadline: p.approvedDeadline === null ? null : toDate(p.approvedDeadline) },
      }),
    );
  }

  async bumpLedger(rulebookId: string, year: number): Promise<bigint> {
    const rows = await this.tx.$queryRaw<Array<{ version: bigint }>>`
      INSERT INTO ledger_version (rulebook_id, year, version) VALUES (${rulebookId}, ${year}, 1)
      ON CONFLICT (rulebook_id, year) DO UPDATE SET version = ledger_version.version + 1
      RETURNING version`;
    this.notes.versions.push({ rulebookId, year, version: rows[0]!.version });
    return rows[0]!.version;
  }

  async memberByIdentity(identity: MemberIdentity): Promise<MemberRecord | null> {
    return memberByIdentity(this.tx, identity);
  }

  async attachIdentity(
    memberId: number,
    identity: MemberIdentity,
  ): Promise<{ member: MemberRecord; before: MemberRecord; replaced: MemberIdentity | null }> {
    this.notes.directory = true;
    const prior = await this.tx.member.findUniqueOrThrow({ where: { id: memberId }, include: MEMBER_INCLUDE });
    const own = prior.identities.find((i) => i.platform === identity.platform) ?? null;
    const replaced = own && own.externalId !== identity.externalId ? own : null;
    if (replaced)
      await this.tx.memberIdentity.delete({
        where: { memberId_platform: { memberId, platform: identity.platform } },
      });
    // taken over from the (inactive) member that held it, or new
    await this.tx.memberIdentity.upsert({
      where: { platform_externalId: { platform: identity.platform, externalId: identity.externalId } },
      create: { memberId, platform: identity.platform, externalId: identity.externalId },
      update: { memberId },
    });
    const saved = await this.tx.member.update({
      where: { id: memberId },
      data: { updatedAt: new Date() },
      include: MEMBER_INCLUDE,
    });
    return {
      member: toMember(saved),
      before: toMember(prior),
      replaced: replaced ? { platform: replaced.platform, externalId: replaced.externalId } : null,
    };
  }

  async upsertMember(
    m: Parameters<StoreTx['upsertMember']>[0],
  ): Promise<{ member: MemberRecord; before: MemberRecord | null }> {
    this.notes.directory = true;
    const identity = { platform: m.platform, externalId: m.externalId };
    const prior = await memberByIdentityRow(this.tx, identity);
    const uid = m.unit ? await unitId(this.tx, m.rulebookId, m.unit) : null;
    const data = {
      role: m.role,
      unitId: uid,
      active: true,
      ...(m.displayName ? { displayName: m.displayName } : {}),
      ...(m.locale ? { locale: m.locale } : {}),
    };
    const saved = prior
      ? await this.tx.member.update({ where: { id: prior.id }, data, include: MEMBER_INCLUDE })
      : await this.tx.member.create({ data: { ...data, identities: { create: identity } }, include: MEMBER_INCLUDE });
    return { member: toMember(saved), before: prior ? toMember(prior) : null };
  }

  async setMemberLocale(memberId: number, locale: Locale): Promise<void> {
    this.notes.directory = true;
    await this.tx.member.update({ where: { id: memberId }, data: { locale } });
  }

  async lockActiveOrganisers(): Promise<number[]> {
    const rows = await this.tx.$queryRaw<Array<{ id: number }>>`
      SELECT id FROM member WHERE role = 'organiser' AND active ORDER BY id FOR UPDATE`;
    return rows.map((r) => r.id);
  }

  async deactivateMember(
    platform: string,
    externalId: string,
  ): Promise<{ member: MemberRecord; before: MemberRecord } | null> {
    this.notes.directory = true;
    const prior = await memberByIdentityRow(this.tx, { platform, externalId });
    if (!prior?.active) return null;
    const saved = await this.tx.member.update({
      where: { id: prior.id },
      data: { active: false },
      include: MEMBER_INCLUDE,
    });
    return { member: toMember(saved), before: toMember(prior) };
  }

  async bindChannel(platform: string, scope: string, channelId: string): Promise<{ before: string | null }> {
    this.notes.directory = true;
    const prior = await this.tx.channelBinding.findUnique({ where: { platform_scope: { platform, scope } } });
    await this.tx.channelBinding.upsert({
      where: { platform_scope: { platform, scope } },
      create: { platform, scope, channelId },
      update: { channelId },
    });
    return { before: prior?.channelId ?? null };
  }

  async setMonthState(
    rulebookId: string,
    month: string,
    state: 'open' | 'closed',
    actorId: number,
  ): Promise<{ before: 'open' | 'closed' | null }> {
    this.notes.published = true;
    const key = { rulebookId_month: { rulebookId, month } };
    const prior = await this.tx.assessmentMonth.findUnique({ where: key });
    const closed =
      state === 'closed' ? { closedAt: new Date(), closedBy: actorId } : { closedAt: null, closedBy: null };
    await this.tx.assessmentMonth.upsert({
      where: key,
      create: { rulebookId, month, state, ...closed },
      update: { state, ...closed },
    });
    return { before: prior?.state ?? null };
  }
}

function toEvent(e: Prisma.RectificationEventGetPayload<object>): RectificationEventRecord {
  return {
    kind: e.kind,
    actorId: e.actorId,
    submittedOn: fromDate(e.submittedOn),
    evidenceText: e.evidenceText,
    evidenceLinks: e.evidenceLinks,
    reason: e.reason,
    createdAt: e.createdAt,
  };
}

function toJson(v: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  if (v === undefined || v === null) return Prisma.JsonNull;
  return JSON.parse(
    JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)),
  ) as Prisma.InputJsonValue;
}

export interface PrismaAssessmentStoreOptions {
  /**
   * The change feed (prisma/change-feed.ts). With it, the ledger version, members, the directory
   * and the latest published month are answered from memory while the feed is live, and asked of
   * the database when it is not; without it, every read asks the database.
   */
  feed?: ChangeFeed;
}

/** The store of record on PostgreSQL. Transactions are READ COMMITTED with row locks on findings. */
export class PrismaAssessmentStore implements AssessmentStore {
  private readonly directory: RecipientDirectoryRepository;
  readonly publications: PublicationsRepository;
  private readonly feed: ChangeFeed | undefined;
  /** Reads kept while the feed is live, each with the epoch it was read in. */
  private readonly members = new Map<string, { epoch: number; member: MemberRecord | null }>();
  private readonly lookups = new Map<string, { epoch: number; value: Promise<unknown> }>();
  private readonly publishedMonths = new Map<string, { epoch: number; value: Promise<PublishedMonth | null> }>();

  constructor(
    private readonly prisma: PrismaClient,
    opts: PrismaAssessmentStoreOptions = {},
  ) {
    this.directory = new RecipientDirectoryRepository(prisma);
    this.publications = new PublicationsRepository(prisma);
    this.feed = opts.feed;
  }

  /** A directory read, kept until the directory changes (only while the feed is live). */
  private cachedLookup<T>(kind: string, q: unknown, read: () => Promise<T>): Promise<T> {
    const feed = this.feed;
    if (!feed?.live) return read();
    const key = `${kind}:${JSON.stringify(q)}`;
    const epoch = feed.directoryEpoch;
    const kept = this.lookups.get(key);
    if (kept?.epoch === epoch) return kept.value as Promise<T>;
    if (this.lookups.size > 1_000) this.lookups.clear();
    const value = read();
    this.lookups.set(key, { epoch, value });
    value.catch(() => this.lookups.delete(key));
    return value;
  }

  channelBindings(q: Parameters<RecipientDirectoryPort['channelBindings']>[0]): Promise<ChannelBinding[]> {
    return this.cachedLookup('bindings', q, () => this.directory.channelBindings(q));
  }

  unitContacts(q: Parameters<RecipientDirectoryPort['unitContacts']>[0]): Promise<UnitContact[]> {
    return this.cachedLookup('contacts', q, () => this.directory.unitContacts(q));
  }

  inspectors(q: Parameters<RecipientDirectoryPort['inspectors']>[0]): Promise<DirectoryMember[]> {
    return this.cachedLookup('inspectors', q, () => this.directory.inspectors(q));
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>, opts: { timeoutMs?: number } = {}): Promise<T> {
    let notes: TxNotes | undefined;
    const out = await this.prisma.$transaction(
      (tx) => {
        const stx = new PrismaStoreTx(tx);
        notes = stx.notes;
        return fn(stx);
      },
      { maxWait: 10_000, timeout: opts.timeoutMs ?? 20_000 },
    );
    // Committed: this process knows its own changes before their notifications arrive.
    if (notes && this.feed) {
      for (const v of notes.versions) this.feed.noteLedgerVersion(v.rulebookId, v.year, v.version);
      if (notes.directory) this.feed.touchDirectory();
      if (notes.published) this.feed.touchPublished();
    }
    return out;
  }

  async fileFinding(
    f: Omit<NewFinding, 'changeSeq'>,
    by: { actorId: number | null; actorLabel: string },
  ): Promise<FilingOutcome> {
    const id = randomUUID();
    // What the audit entry says: the stored finding (its seq, filedAt and changeSeq are added by the statement).
    const after: Omit<StoredFinding, 'seq' | 'filedAt' | 'changeSeq' | 'filedBy'> & { filedBy: { memberId: number } } =
      {
        id,
        rulebookId: f.rulebookId,
        year: f.year,
        unit: f.unit,
        clauseId: f.clauseId,
        date: f.date,
        count: f.count,
        value: f.value,
        level: f.level,
        source: f.source,
        deadline: f.deadline,
        deadlineIsDefault: f.deadlineIsDefault,
        status: 'filed',
        rectifiedOn: null,
        evidenceText: f.evidenceText,
        evidenceLinks: f.evidenceLinks,
        filedBy: { memberId: f.filedById },
        channel: f.channel,
        idempotencyKey: f.idempotencyKey,
        noticeRef: null,
        withdrawnAt: null,
        withdrawReason: null,
        underAppeal: false,
      };
    const values = [
      id,
      f.rulebookId,
      f.year,
      f.unit,
      f.clauseId,
      f.date,
      f.count,
      f.value === null ? null : String(f.value),
      f.level,
      f.source,
      f.deadline,
      f.deadlineIsDefault,
      f.evidenceText,
      f.evidenceLinks,
      f.filedById,
      f.channel,
      f.idempotencyKey,
      f.date.slice(0, 7),
      by.actorId,
      by.actorLabel,
      JSON.stringify(after),
    ];
    const pool = poolOf(this.prisma);
    const rows = pool
      ? (await pool.query<FiledRow>({ name: 'kaoping-file-finding', text: FILE_FINDING_SQL, values })).rows
      : await this.prisma.$queryRawUnsafe<FiledRow[]>(FILE_FINDING_SQL, ...values);
    const r = rows[0]!;
    if (r.prior_id) return { kind: 'existing', finding: (await this.getFinding(r.prior_id))! };
    if (r.closed) return { kind: 'month_closed' };
    if (r.seq === null) {
      // A twin with the same key committed after this statement began: it is the finding.
      const twin = await selectFinding(this.prisma, Prisma.sql`f.idempotency_key = ${f.idempotencyKey}`);
      if (!twin) throw new Error(`finding with key ${f.idempotencyKey} was neither written nor found`);
      return { kind: 'existing', finding: twin };
    }
    const changeSeq = BigInt(r.change_seq!);
    this.feed?.noteLedgerVersion(f.rulebookId, f.year, changeSeq);
    const filer = r.identities.find((i) => i.platform === f.channel) ?? r.identities[0];
    return {
      kind: 'created',
      finding: {
        ...after,
        seq: r.seq,
        filedAt: r.filed_at!,
        changeSeq,
        filedBy: {
          memberId: f.filedById,
          platform: filer?.platform ?? '',
          externalId: filer?.externalId ?? '',
          displayName: r.display_name,
          identities: r.identities,
        },
      },
    };
  }

  async findMember(platform: string, externalId: string): Promise<MemberRecord | null> {
    const feed = this.feed;
    if (!feed?.live) return memberByIdentity(this.prisma, { platform, externalId });
    const key = `${platform}\u0000${externalId}`;
    const epoch = feed.directoryEpoch;
    const kept = this.members.get(key);
    if (kept?.epoch === epoch) return kept.member;
    const member = await memberByIdentity(this.prisma, { platform, externalId });
    // kept only if nothing changed while it was read
    if (feed.live && feed.directoryEpoch === epoch) {
      if (this.members.size > 10_000) this.members.clear();
      this.members.set(key, { epoch, member });
    }
    return member;
  }

  getFinding(id: string): Promise<StoredFinding | null> {
    if (!UUID.test(id)) return Promise.resolve(null);
    return selectFinding(this.prisma, Prisma.sql`f.id = ${id}::uuid`);
  }

  getFindingBySeq(seq: number): Promise<StoredFinding | null> {
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > 2_147_483_647) return Promise.resolve(null);
    return selectFinding(this.prisma, Prisma.sql`f.seq = ${seq}`);
  }

  async findingsForYear(rulebookId: string, year: number): Promise<StoredFinding[]> {
    const rows = await this.prisma.$queryRaw<
      FindingRow[]
    >`${SELECT_FINDING} WHERE f.rulebook_id = ${rulebookId} AND f.year = ${year} ORDER BY f.seq`;
    return rows.map(rowToFinding);
  }

  ledgerRows(rulebookId: string, year: number): Promise<LedgerRow[]> {
    const pool = poolOf(this.prisma);
    // A client not made by createPrismaClient has no pool of ours: the whole rows serve too.
    return pool ? readLedgerRows(pool, rulebookId, year) : this.findingsForYear(rulebookId, year);
  }

  async unitFindings(
    rulebookId: string,
    year: number,
    unit: string,
  ): Promise<{ version: bigint; findings: StoredFinding[] }> {
    const pool = poolOf(this.prisma);
    const sql = unitFindingsSql(rulebookId, year, unit);
    // Straight through pg when we can (as findingsByIds): a unit's ~1,700 whole rows.
    const rows = pool
      ? (await pool.query<UnitFindingRow>(sql.text, sql.values)).rows
      : await this.prisma.$queryRaw<UnitFindingRow[]>(sql);
    return {
      version: BigInt(rows[0]?.ledger_version ?? 0),
      findings: rows.filter((r) => r.id !== null).map(rowToFinding),
    };
  }

  async findingsByIds(ids: readonly string[]): Promise<StoredFinding[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return [];
    const pool = poolOf(this.prisma);
    // Straight through pg when we can: a unit's first view reads ~1,700 whole rows, and Prisma's
    // mapping of them cost more than the query. pg yields the same shapes (timestamps as Date, text[]).
    if (pool)
      return (await pool.query<FindingRow>(`${SELECT_FINDING.text} WHERE f.id = ANY($1::uuid[])`, [valid])).rows.map(
        rowToFinding,
      );
    const rows = await this.prisma.$queryRaw<FindingRow[]>`${SELECT_FINDING} WHERE f.id = ANY(${valid}::uuid[])`;
    return rows.map(rowToFinding);
  }

  async findingsChangedSince(rulebookId: string, year: number, since: bigint): Promise<StoredFinding[]> {
    const pool = poolOf(this.prisma);
    // Straight through pg when we can (as findingsByIds): after an import this is thousands of
    // whole rows, and Prisma's mapping of them cost more than the query.
    if (pool)
      return (
        await pool.query<FindingRow>(
          `${SELECT_FINDING.text} WHERE f.rulebook_id = $1 AND f.year = $2 AND f.change_seq > $3 ORDER BY f.seq`,
          [rulebookId, year, String(since)],
        )
      ).rows.map(rowToFinding);
    const rows = await this.prisma.$queryRaw<
      FindingRow[]
    >`${SELECT_FINDING} WHERE f.rulebook_id = ${rulebookId} AND f.year = ${year} AND f.change_seq > ${since} ORDER BY f.seq`;
    return rows.map(rowToFinding);
  }

  async ledgerVersion(rulebookId: string, year: number): Promise<bigint> {
    const known = this.feed?.ledgerVersion(rulebookId, year);
    if (known !== undefined) return known;
    const generation = this.feed?.currentGeneration ?? 0;
    const pool = poolOf(this.prisma);
    const v = pool
      ? await readLedgerVersion(pool, rulebookId, year)
      : ((
          await this.prisma.ledgerVersion.findUnique({
            where: { rulebookId_year: { rulebookId, year } },
            select: { version: true },
          })
        )?.version ?? 0n);
    this.feed?.primeLedgerVersion(rulebookId, year, v, generation);
    return v;
  }

  async rectificationEvents(findingId: string): Promise<RectificationEventRecord[]> {
    if (!UUID.test(findingId)) return [];
    const rows = await this.prisma.rectificationEvent.findMany({ where: { findingId }, orderBy: { id: 'asc' } });
    return rows.map(toEvent);
  }

  async rectificationSubmitter(findingId: string): Promise<MemberIdentity[] | null> {
    if (!UUID.test(findingId)) return null;
    const rows = await this.prisma.$queryRaw<Array<{ platform: string | null; external_id: string | null }>>`
      SELECT i.platform, i.external_id
      FROM (SELECT actor_id FROM rectification_event
            WHERE finding_id = ${findingId}::uuid AND kind = 'submitted' ORDER BY id DESC LIMIT 1) e
      LEFT JOIN member_identity i ON i.member_id = e.actor_id
      ORDER BY i.id`;
    if (rows.length === 0) return null;
    return rows.flatMap((r) =>
      r.platform && r.external_id ? [{ platform: r.platform, externalId: r.external_id }] : [],
    );
  }

  async caseRecords(rulebookId: string, year: number): Promise<CaseRecords> {
    const ofYear = { finding: { rulebookId, year } };
    const [events, appeals, extensions] = await Promise.all([
      this.prisma.rectificationEvent.findMany({ where: ofYear, orderBy: { id: 'asc' } }),
      this.prisma.appeal.findMany({ where: ofYear, orderBy: { id: 'asc' } }),
      this.prisma.extensionRequest.findMany({ where: ofYear, orderBy: { id: 'asc' } }),
    ]);
    const ids = new Set<number>();
    for (const e of events) ids.add(e.actorId);
    for (const a of appeals) for (const id of [a.filedById, a.ruledById]) if (id !== null) ids.add(id);
    for (const x of extensions) for (const id of [x.requestedById, x.decidedById]) if (id !== null) ids.add(id);
    const members = await this.prisma.member.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, displayName: true, identities: { select: { externalId: true }, orderBy: { id: 'asc' } } },
    });
    return {
      rectifications: events.map((e) => ({ ...toEvent(e), findingId: e.findingId })),
      appeals: appeals.map(toAppeal),
      extensions: extensions.map(toExtension),
      memberNames: new Map(members.map((m) => [m.id, m.displayName ?? m.identities[0]?.externalId ?? `#${m.id}`])),
    };
  }

  async setNoticeRef(findingId: string, ref: string, rulebookId: string): Promise<boolean> {
    if (!UUID.test(findingId)) return false;
    const sql = 'UPDATE finding SET notice_ref = $2, updated_at = now() WHERE id = $1::uuid AND rulebook_id = $3';
    const pool = poolOf(this.prisma);
    const n = pool
      ? ((await pool.query({ name: 'kaoping-set-notice-ref', text: sql, values: [findingId, ref, rulebookId] }))
          .rowCount ?? 0)
      : await this.prisma.$executeRawUnsafe(sql, findingId, ref, rulebookId);
    return n > 0;
  }

  latestPublishedMonth(rulebookId: string, year: number): Promise<PublishedMonth | null> {
    const feed = this.feed;
    if (!feed?.live) return this.readLatestPublishedMonth(rulebookId, year);
    const key = `${rulebookId}/${year}`;
    const epoch = feed.publicationEpoch;
    const kept = this.publishedMonths.get(key);
    if (kept?.epoch === epoch) return kept.value;
    const value = this.readLatestPublishedMonth(rulebookId, year);
    this.publishedMonths.set(key, { epoch, value });
    value.catch(() => this.publishedMonths.delete(key));
    return value;
  }

  private async readLatestPublishedMonth(rulebookId: string, year: number): Promise<PublishedMonth | null> {
    // What the office announced: the latest version of the latest published month. A month the
    // office reopened keeps its last published version until it is republished.
    const p = await this.publications.latestPublishedMonthOf(rulebookId, year);
    if (!p) return null;
    return {
      month: p.period,
      asOf: p.asOf,
      rows: p.content.units.map((u) => ({
        unit: u.unit,
        group: u.group,
        total: u.total,
        rank: u.rank,
        advanced: u.advanced,
      })),
    };
  }
}
