import type pg from 'pg';

// The read every request makes (the ledger version the cache compares with its own), straight
// through pg: one round trip without Prisma's query planning and row mapping, which cost more than
// PostgreSQL's work on this one-row lookup (~1.3 ms through Prisma).

export async function readLedgerVersion(pool: pg.Pool, rulebookId: string, year: number): Promise<bigint> {
  const res = await pool.query<{ version: string }>({
    name: 'kaoping-read-ledger-version',
    text: 'SELECT version::text AS version FROM ledger_version WHERE rulebook_id = $1 AND year = $2',
    values: [rulebookId, year],
  });
  return res.rows[0] ? BigInt(res.rows[0].version) : 0n;
}
