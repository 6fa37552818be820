// standing_snapshot and ledger_version.computed_version on PostgreSQL; the rules (labels, the
// version read before computing, writes never going backwards) are
// core/ports/standing-snapshots.port.ts.

import type { PrismaClient } from '../generated/client.ts';
import {
  LIVE_LABEL,
  type LedgerState,
  type SnapshotFlags,
  type SnapshotRow,
  type SnapshotWrite,
  type StandingSnapshotsPort,
} from '../../core/ports/standing-snapshots.port.ts';

export type SnapshotDb = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;

export class StandingSnapshotsRepository implements StandingSnapshotsPort {
  constructor(private readonly db: SnapshotDb) {}

  /** One statement: units are matched by name, a row is replaced only by a newer one. */
  write(s: SnapshotWrite): Promise<number> {
    const rows = s.standings.units.map((u) => ({
      unit: u.unit,
      total: u.total,
      base: u.base,
      sections: u.sections,
      rank: u.rank,
      advanced: u.advanced,
      flags: {
        group: u.group,
        deductions: u.deductions,
        bonuses: u.bonuses,
        overflow: u.overflow,
        disqualified: u.disqualified,
      } satisfies SnapshotFlags,
    }));
    if (rows.length === 0) return Promise.resolve(0);
    return this.db.$executeRaw`
      INSERT INTO standing_snapshot (rulebook_id, year, label, as_of, unit_id, total, base, sections, rank, advanced, flags, version, computed_at)
      SELECT ${s.rulebookId}, ${s.year}::int, ${s.label}, ${s.asOf}::date, u.id, r.total, r.base, r.sections, r.rank, r.advanced, r.flags, ${s.version}::bigint, now()
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS r(unit text, total double precision, base double precision, sections jsonb, rank int, advanced boolean, flags jsonb)
      JOIN unit u ON u.rulebook_id = ${s.rulebookId} AND u.name = r.unit
      ON CONFLICT (rulebook_id, year, label, unit_id) DO UPDATE SET
        as_of = EXCLUDED.as_of, total = EXCLUDED.total, base = EXCLUDED.base, sections = EXCLUDED.sections,
        rank = EXCLUDED.rank, advanced = EXCLUDED.advanced, flags = EXCLUDED.flags, version = EXCLUDED.version,
        computed_at = EXCLUDED.computed_at
      WHERE standing_snapshot.version < EXCLUDED.version
         OR (standing_snapshot.version = EXCLUDED.version AND standing_snapshot.as_of < EXCLUDED.as_of)`;
  }

  async read(rulebookId: string, year: number, label: string): Promise<SnapshotRow[]> {
    const rows = await this.db.$queryRaw<Array<Omit<SnapshotRow, 'asOf'> & { as_of: string; computed_at: Date }>>`
      SELECT u.name AS unit, s.as_of::text AS as_of, s.total, s.base, s.sections, s.rank, s.advanced, s.flags, s.version, s.computed_at
      FROM standing_snapshot s JOIN unit u ON u.id = s.unit_id
      WHERE s.rulebook_id = ${rulebookId} AND s.year = ${year} AND s.label = ${label}
      ORDER BY s.flags->>'group', s.rank, u.name`;
    return rows.map(({ as_of, computed_at, ...r }) => ({ ...r, asOf: as_of, computedAt: computed_at }));
  }

  async has(rulebookId: string, year: number, label: string): Promise<boolean> {
    const rows = await this.db.$queryRaw<Array<{ one: number }>>`
      SELECT 1 AS one FROM standing_snapshot WHERE rulebook_id = ${rulebookId} AND year = ${year} AND label = ${label} LIMIT 1`;
    return rows.length > 0;
  }

  async markComputed(rulebookId: string, year: number, version: bigint): Promise<void> {
    await this.db.$executeRaw`
      UPDATE ledger_version SET computed_version = ${version}::bigint
      WHERE rulebook_id = ${rulebookId} AND year = ${year} AND computed_version < ${version}::bigint`;
  }

  async ledgerStates(rulebookId: string): Promise<LedgerState[]> {
    const rows = await this.db.$queryRaw<
      Array<{ year: number; version: bigint; computed_version: bigint; live_as_of: string | null }>
    >`
      SELECT lv.year, lv.version, lv.computed_version,
             (SELECT min(s.as_of)::text FROM standing_snapshot s
               WHERE s.rulebook_id = lv.rulebook_id AND s.year = lv.year AND s.label = ${LIVE_LABEL}) AS live_as_of
      FROM ledger_version lv WHERE lv.rulebook_id = ${rulebookId} ORDER BY lv.year`;
    return rows.map((r) => ({
      year: r.year,
      version: r.version,
      computedVersion: r.computed_version,
      liveAsOf: r.live_as_of,
    }));
  }
}
