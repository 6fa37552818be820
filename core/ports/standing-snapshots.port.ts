// Standings snapshots: one row per (rulebook, year, label, unit).
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
// The PostgreSQL implementation is prisma/repositories/standing-snapshots.repository.ts.

import type { Standings } from '../../rules/engine/types.ts';

export const LIVE_LABEL = 'live';
export const monthLabel = (month: string): string => `month:${month}`;

export interface SnapshotWrite {
  rulebookId: string;
  year: number;
  label: string;
  asOf: string;
  /** The ledger version read before the standings were computed. */
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

/** A rulebook year's ledger and the state of its live snapshot (for the reconcile pass). */
export interface LedgerState {
  year: number;
  version: bigint;
  /** The version the live snapshot was last computed from (markComputed). */
  computedVersion: bigint;
  /** as_of of the live snapshot (null when there is none). */
  liveAsOf: string | null;
}

export interface StandingSnapshotsPort {
  /** Write a snapshot; returns how many unit rows were inserted or replaced (0: ours was not newer). */
  write(s: SnapshotWrite): Promise<number>;
  /** A snapshot's rows by unit name, ordered by group and rank; empty when there is none. */
  read(rulebookId: string, year: number, label: string): Promise<SnapshotRow[]>;
  /** Whether a snapshot with this label exists (e.g. a month was closed and published once). */
  has(rulebookId: string, year: number, label: string): Promise<boolean>;
  /** Record that the live snapshot reflects `version` (never moves backwards). */
  markComputed(rulebookId: string, year: number, version: bigint): Promise<void>;
  /** Every ledger of a rulebook with the state of its live snapshot, by year. */
  ledgerStates(rulebookId: string): Promise<LedgerState[]>;
}
