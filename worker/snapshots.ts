// Standings snapshots: one row per (rulebook, year, label, unit) in standing_snapshot.
//   label 'live'           the standings as of today, refreshed by every recompute (/myscore and
//                          reports read them instead of recomputing)
//   label 'month:YYYY-MM'  the standings published when that month closed (as of its last day):
//                          what the office announced, kept for later reproduction
//
// Each row carries the ledger version it was computed from, read BEFORE computing: if a change
// commits while we compute, the row is labelled with the older version (never a newer one) and
// the next recompute replaces it. Writes never go backwards: a row is replaced only by one of a
// newer version, or of the same version as of a later day (live standings change with the date —
// deadlines pass — without any change to the ledger).

import type { PrismaClient } from '../prisma/client.ts';
import type { Standings } from '../rules/engine/types.ts';

export const LIVE_LABEL = 'live';
export const monthLabel = (month: string): string => `month:${month}`;

export type SnapshotDb = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;

export interface SnapshotWrite {
  rulebookId: string;
  year: number;
  label: string;
  asOf: string;
  /** LedgerVersion.version read before the standings were computed. */
  version: bigint;
  standings: Standings;
}

export interface SnapshotFlags {
  group: string;
  deductions: number;
  bonuses: number;
  overflow: number;
  disqualified: string[];
}

export interface SnapshotRow {
  unit: string;
  asOf: string;
  total: number;
  base: number;
  sections: Standings['units'][number]['sections'];
  rank: number;
  advanced: boolean;
  flags: SnapshotFlags;
  version: bigint;
  computedAt: Date;
}

/** Write a snapshot; returns how many unit rows were inserted or replaced (0: ours was not newer). */
export async function writeSnapshot(db: SnapshotDb, s: SnapshotWrite): Promise<number> {
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
  if (rows.length === 0) return 0;
  return db.$executeRaw`
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

/** A snapshot's rows by unit name, ordered by group and rank; empty when there is none. */
export async function readSnapshot(
  db: SnapshotDb,
  rulebookId: string,
  year: number,
  label: string,
): Promise<SnapshotRow[]> {
  const rows = await db.$queryRaw<Array<Omit<SnapshotRow, 'asOf'> & { as_of: string; computed_at: Date }>>`
    SELECT u.name AS unit, s.as_of::text AS as_of, s.total, s.base, s.sections, s.rank, s.advanced, s.flags, s.version, s.computed_at
    FROM standing_snapshot s JOIN unit u ON u.id = s.unit_id
    WHERE s.rulebook_id = ${rulebookId} AND s.year = ${year} AND s.label = ${label}
    ORDER BY s.flags->>'group', s.rank, u.name`;
  return rows.map(({ as_of, computed_at, ...r }) => ({ ...r, asOf: as_of, computedAt: computed_at }));
}

/** Whether a snapshot with this label exists (e.g. a month was closed and published once). */
export async function hasSnapshot(db: SnapshotDb, rulebookId: string, year: number, label: string): Promise<boolean> {
  const rows = await db.$queryRaw<Array<{ one: number }>>`
    SELECT 1 AS one FROM standing_snapshot WHERE rulebook_id = ${rulebookId} AND year = ${year} AND label = ${label} LIMIT 1`;
  return rows.length > 0;
}

/** LedgerVersion.version (0 when the year has no row yet). */
export async function ledgerVersion(db: SnapshotDb, rulebookId: string, year: number): Promise<bigint> {
  const rows = await db.$queryRaw<
    Array<{ version: bigint }>
  >`SELECT version FROM ledger_version WHERE rulebook_id = ${rulebookId} AND year = ${year}`;
  return rows[0]?.version ?? 0n;
}

/** Record that the live snapshot reflects `version` (never moves backwards). */
export async function markComputed(db: SnapshotDb, rulebookId: string, year: number, version: bigint): Promise<void> {
  await db.$executeRaw`
    UPDATE ledger_version SET computed_version = ${version}::bigint
    WHERE rulebook_id = ${rulebookId} AND year = ${year} AND computed_version < ${version}::bigint`;
}

export interface LedgerState {
  year: number;
  version: bigint;
  computedVersion: bigint;
  /** as_of of the live snapshot (null when there is none). */
  liveAsOf: string | null;
}

/** Every ledger of a rulebook with the state of its live snapshot (for the reconcile pass). */
export async function ledgerStates(db: SnapshotDb, rulebookId: string): Promise<LedgerState[]> {
  const rows = await db.$queryRaw<
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
