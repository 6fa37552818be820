// publication and tie_break on PostgreSQL; the rules (frozen versions, reopening, tie-breaks that
// hold only for the tie they decided) are core/ports/publications.port.ts.

import type { Prisma, PrismaClient } from '../generated/client.ts';
import type {
  NewPublication,
  PublicationContent,
  PublicationRecord,
  PublicationsReads,
  PublicationsTx,
  TieBreakMethod,
  TieBreakRecord,
  UnitChange,
} from '../../core/ports/publications.port.ts';

type Db = Pick<PrismaClient, 'publication' | 'tieBreak' | 'extensionRequest' | '$executeRaw'>;
type PublicationRow = Prisma.PublicationGetPayload<object>;
type TieBreakRow = Prisma.TieBreakGetPayload<object>;

const day = (d: Date): string => d.toISOString().slice(0, 10);

function toPublication(r: PublicationRow): PublicationRecord {
  return {
    id: r.id,
    rulebookId: r.rulebookId,
    year: r.year,
    period: r.period,
    version: r.version,
    asOf: day(r.asOf),
    ledgerVersion: r.ledgerVersion,
    content: r.content as unknown as PublicationContent,
    changes: r.changes as unknown as UnitChange[],
    reason: r.reason,
    publishedById: r.publishedById,
    publishedBy: r.publishedBy,
    publishedAt: r.publishedAt,
    reopened:
      r.reopenedAt && r.reopenReason !== null
        ? { at: r.reopenedAt, byId: r.reopenedById, reason: r.reopenReason }
        : null,
  };
}

function toTieBreak(r: TieBreakRow): TieBreakRecord {
  return {
    period: r.period,
    group: r.groupId,
    tied: r.tied,
    advanced: r.advanced,
    method: r.method as TieBreakMethod,
    reason: r.reason,
    decidedById: r.decidedById,
    decidedAt: r.decidedAt,
  };
}

async function latest(db: Db, rulebookId: string, period: string): Promise<PublicationRecord | null> {
  const r = await db.publication.findFirst({ where: { rulebookId, period }, orderBy: { version: 'desc' } });
  return r ? toPublication(r) : null;
}

export class PublicationsTxRepository implements PublicationsTx {
  constructor(private readonly tx: Db) {}

  async lockPeriod(rulebookId: string, period: string): Promise<void> {
    await this.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`publication/${rulebookId}/${period}`}))`;
  }

  latestPublication(rulebookId: string, period: string): Promise<PublicationRecord | null> {
    return latest(this.tx, rulebookId, period);
  }

  async insertPublication(p: NewPublication): Promise<PublicationRecord> {
    const r = await this.tx.publication.create({
      data: {
        rulebookId: p.rulebookId,
        year: p.year,
        period: p.period,
        version: p.version,
        asOf: new Date(`${p.asOf}T00:00:00.000Z`),
        ledgerVersion: p.ledgerVersion,
        content: p.content as unknown as Prisma.InputJsonValue,
        changes: p.changes as unknown as Prisma.InputJsonValue,
        reason: p.reason,
        publishedById: p.publishedById,
        publishedBy: p.publishedBy,
      },
    });
    return toPublication(r);
  }

  async markReopened(id: number, r: { byId: number | null; reason: string }): Promise<PublicationRecord> {
    const row = await this.tx.publication.update({
      where: { id },
      data: { reopenedAt: new Date(), reopenedById: r.byId, reopenReason: r.reason },
    });
    return toPublication(row);
  }

  async saveTieBreak(
    rulebookId: string,
    t: Omit<TieBreakRecord, 'decidedAt'>,
  ): Promise<{ before: TieBreakRecord | null; after: TieBreakRecord }> {
    const key = { rulebookId_period_groupId: { rulebookId, period: t.period, groupId: t.group } };
    const old = await this.tx.tieBreak.findUnique({ where: key });
    const data = {
      tied: t.tied,
      advanced: t.advanced,
      method: t.method,
      reason: t.reason,
      decidedById: t.decidedById,
      decidedAt: new Date(),
    };
    const row = await this.tx.tieBreak.upsert({
      where: key,
      create: { rulebookId, period: t.period, groupId: t.group, ...data },
      update: data,
    });
    return { before: old ? toTieBreak(old) : null, after: toTieBreak(row) };
  }
}

export class PublicationsRepository implements PublicationsReads {
  constructor(private readonly db: Db) {}

  async publication(rulebookId: string, period: string, version?: number): Promise<PublicationRecord | null> {
    if (version === undefined) return latest(this.db, rulebookId, period);
    const r = await this.db.publication.findUnique({
      where: { rulebookId_period_version: { rulebookId, period, version } },
    });
    return r ? toPublication(r) : null;
  }

  async latestPublishedMonthOf(rulebookId: string, year: number): Promise<PublicationRecord | null> {
    const r = await this.db.publication.findFirst({
      where: { rulebookId, year, period: { startsWith: `${year}-` } },
      orderBy: [{ period: 'desc' }, { version: 'desc' }],
    });
    return r ? toPublication(r) : null;
  }

  async tieBreaks(rulebookId: string, period: string): Promise<TieBreakRecord[]> {
    const rows = await this.db.tieBreak.findMany({ where: { rulebookId, period }, orderBy: { groupId: 'asc' } });
    return rows.map(toTieBreak);
  }

  async pendingExtensions(
    rulebookId: string,
    year: number,
  ): Promise<Array<{ findingId: string; requestedDeadline: string }>> {
    const rows = await this.db.extensionRequest.findMany({
      where: { state: 'pending', finding: { rulebookId, year } },
      select: { findingId: true, requestedDeadline: true },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => ({ findingId: r.findingId, requestedDeadline: day(r.requestedDeadline) }));
  }
}
