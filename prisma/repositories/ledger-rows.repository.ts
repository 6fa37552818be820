import type pg from 'pg';
import type { LedgerRow } from '../../core/ports/assessment-store.port.ts';

// The ledger cache's cold start: every finding of a year, only the columns the engine scores, read
// straight through pg with rows as arrays, days as integers and units as ids. A year of 100k rows
// costs PostgreSQL ~0.1 s; what made the Prisma read take 2.5 s was the client side (row objects,
// two timestamps, the evidence-link arrays), so none of that is read here.

const EPOCH_DAY_MS = 86_400_000;

type Row = [
  id: string,
  seq: number,
  unitId: number,
  clauseId: string,
  day: number,
  count: number,
  value: number | null,
  level: string | null,
  source: string,
  deadlineDay: number | null,
  status: LedgerRow['status'],
  rectifiedDay: number | null,
  changeSeq: string,
];

export async function readLedgerRows(pool: pg.Pool, rulebookId: string, year: number): Promise<LedgerRow[]> {
  const units = await pool.query<{ id: number; name: string }>('SELECT id, name FROM unit WHERE rulebook_id = $1', [
    rulebookId,
  ]);
  const unitName = new Map(units.rows.map((u) => [u.id, u.name] as const));
  const res = await pool.query<Row>({
    text: `SELECT f.id::text, f.seq, f.unit_id, f.clause_id, f.date - DATE '1970-01-01', f.count, f.value::float8,
                  f.level, f.source, f.deadline - DATE '1970-01-01', f.status::text,
                  f.rectified_on - DATE '1970-01-01', f.change_seq::text
           FROM finding f WHERE f.rulebook_id = $1 AND f.year = $2 ORDER BY f.seq`,
    values: [rulebookId, year],
    rowMode: 'array',
  });
  // A year has a few hundred distinct days: each day's string is made once.
  const days = new Map<number, string>();
  const day = (n: number): string => {
    let s = days.get(n);
    if (s === undefined) days.set(n, (s = new Date(n * EPOCH_DAY_MS).toISOString().slice(0, 10)));
    return s;
  };
  const out: LedgerRow[] = new Array(res.rows.length);
  for (let i = 0; i < res.rows.length; i++) {
    const r = res.rows[i]!;
    const unit = unitName.get(r[2]);
    if (unit === undefined) throw new Error(`finding ${r[0]} has unit ${r[2]}, not one of ${rulebookId}`);
    out[i] = {
      id: r[0],
      seq: r[1],
      unit,
      clauseId: r[3],
      date: day(r[4]),
      count: r[5],
      value: r[6],
      level: r[7],
      source: r[8],
      deadline: r[9] === null ? null : day(r[9]),
      status: r[10],
      rectifiedOn: r[11] === null ? null : day(r[11]),
      changeSeq: BigInt(r[12]),
    };
  }
  return out;
}
