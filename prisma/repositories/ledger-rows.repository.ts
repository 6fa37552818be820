import type pg from 'pg';
import type { LedgerRow } from '../../core/ports/assessment-store.port.ts';

// The ledger cache's cold start: every finding of a year, only the columns the engine scores, read
// straight through pg with days as integers and units as ids. A year of 100k rows costs PostgreSQL
// ~0.1 s; what made the Prisma read take 2.5 s was the client side (row objects, two timestamps,
// the evidence-link arrays), so none of that is read. The rows come as one text value (fields and
// rows joined by the ASCII unit and record separators) split here: decoding and parsing 100k
// protocol rows field by field in pg cost twice the CPU of one decode and a split (measured at
// 100k: ~510 ms against ~220 ms on the loaded build machine). None of these columns is free text.
// In no particular order: the cache groups rows by unit and the engine orders each unit's own.

const EPOCH_DAY_MS = 86_400_000;
const FIELD = '\x1f';
const RECORD = '\x1e';

export async function readLedgerRows(pool: pg.Pool, rulebookId: string, year: number): Promise<LedgerRow[]> {
  const units = await pool.query<{ id: number; name: string }>('SELECT id, name FROM unit WHERE rulebook_id = $1', [
    rulebookId,
  ]);
  const unitName = new Map(units.rows.map((u) => [String(u.id), u.name] as const));
  const res = await pool.query<[string | null]>({
    text: `SELECT string_agg(concat_ws(E'\\x1f', f.id, f.seq, f.unit_id, f.clause_id, f.date - DATE '1970-01-01',
                    f.count, coalesce(f.value::float8::text, ''), coalesce(f.level, ''), f.source,
                    coalesce((f.deadline - DATE '1970-01-01')::text, ''), f.status,
                    coalesce((f.rectified_on - DATE '1970-01-01')::text, ''), f.change_seq), E'\\x1e')
           FROM finding f WHERE f.rulebook_id = $1 AND f.year = $2`,
    values: [rulebookId, year],
    rowMode: 'array',
  });
  const all = res.rows[0]?.[0];
  if (!all) return [];
  // A year has a few hundred distinct days: each day's string is made once.
  const days = new Map<string, string>();
  const day = (n: string): string => {
    const kept = days.get(n);
    if (kept !== undefined) return kept;
    const s = new Date(Number(n) * EPOCH_DAY_MS).toISOString().slice(0, 10);
    days.set(n, s);
    return s;
  };
  const records = all.split(RECORD);
  const out: LedgerRow[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!.split(FIELD);
    const unit = unitName.get(r[2]!);
    if (unit === undefined) throw new Error(`finding ${r[0]} has unit ${r[2]}, not one of ${rulebookId}`);
    out[i] = {
      id: r[0]!,
      seq: Number(r[1]),
      unit,
      clauseId: r[3]!,
      date: day(r[4]!),
      count: Number(r[5]),
      value: r[6] === '' ? null : Number(r[6]),
      level: r[7] === '' ? null : r[7]!,
      source: r[8]!,
      deadline: r[9] === '' ? null : day(r[9]!),
      status: r[10] as LedgerRow['status'],
      rectifiedOn: r[11] === '' ? null : day(r[11]!),
      changeSeq: BigInt(r[12]!),
    };
  }
  return out;
}
