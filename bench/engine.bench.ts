import pg from 'pg';
import { loadRulebook } from '../rules/rulebook.ts';
import { computeStandings, rankStandings, scoreUnit } from '../rules/engine/compute-standings.ts';
import type { SettingsFor } from '../adapters/config/settings.schema.ts';
import { syntheticYear } from './synthetic-year.ts';
import { fmt, medianMs } from './timing.ts';

// The engine against one SQL aggregate in PostgreSQL over the same synthetic findings.
// The SQL baseline does per-finding points with inspection doubling, section caps, overflow, totals
// and ranks; it does NOT do repeat escalation, threshold supersession or the quota walk, so it is a
// lower bound for what the database alone would cost.

const SQL_STANDINGS = `
WITH pts AS (
  SELECT f.unit, c.section, c.deduction,
         CASE WHEN f.withdrawn THEN 0
              WHEN c.kind = 'threshold' THEN c.amount * GREATEST(0, floor(c.threshold - f.value))
              WHEN c.kind = 'tiered' THEN f.level_amount * (CASE WHEN c.per_item THEN f.count ELSE 1 END)
              WHEN c.kind = 'per_item' THEN c.amount * f.count
              ELSE c.amount END
         * CASE WHEN c.deduction AND f.source <> 'routine' THEN 2 ELSE 1 END AS points
  FROM bench_finding f JOIN bench_clause c ON c.id = f.clause
), sec AS (
  SELECT p.unit, p.section, s.full_score,
         -SUM(CASE WHEN p.points < 0 THEN p.points ELSE 0 END) AS ded,
         SUM(CASE WHEN p.points > 0 THEN p.points ELSE 0 END) AS bon
  FROM pts p JOIN bench_section s ON s.id = p.section GROUP BY p.unit, p.section, s.full_score
), tot AS (
  SELECT u.name, u.grp, u.base, COALESCE(SUM(sec.ded), 0) AS ded, COALESCE(SUM(sec.bon), 0) AS bon,
         COALESCE(SUM(GREATEST(0, sec.ded - sec.full_score)), 0) AS overflow
  FROM bench_unit u LEFT JOIN sec ON sec.unit = u.name GROUP BY u.name, u.grp, u.base
)
SELECT name, grp, base - ded + bon AS total, ded, bon, overflow,
       RANK() OVER (PARTITION BY grp ORDER BY base - ded + bon DESC) AS rank
FROM tot ORDER BY grp, rank, name`;

async function loadIntoPostgres(
  client: pg.Client,
  rb: ReturnType<typeof loadRulebook>,
  findings: ReturnType<typeof syntheticYear>,
) {
  await client.query(`DROP TABLE IF EXISTS bench_finding, bench_clause, bench_section, bench_unit`);
  await client.query(`CREATE TABLE bench_unit (name text PRIMARY KEY, grp text, base numeric)`);
  await client.query(`CREATE TABLE bench_section (id text PRIMARY KEY, full_score numeric)`);
  await client.query(
    `CREATE TABLE bench_clause (id text PRIMARY KEY, section text, kind text, amount numeric, threshold numeric, per_item boolean, deduction boolean)`,
  );
  await client.query(
    `CREATE TABLE bench_finding (id text, unit text, clause text, count int, value numeric, level_amount numeric, source text, withdrawn boolean)`,
  );
  for (const u of rb.units.values())
    await client.query(`INSERT INTO bench_unit VALUES ($1,$2,$3)`, [u.name, u.group, rb.baseFor(u.group)]);
  for (const s of rb.sections.values()) await client.query(`INSERT INTO bench_section VALUES ($1,$2)`, [s.id, s.full]);
  for (const c of rb.clauses.values()) {
    await client.query(`INSERT INTO bench_clause VALUES ($1,$2,$3,$4,$5,$6,$7)`, [
      c.id,
      c.section,
      c.kind,
      c.kind === 'tiered' ? null : c.amount,
      c.kind === 'threshold' ? c.threshold : null,
      c.kind === 'tiered' ? c.perItem : false,
      rb.isDeductionClause(c),
    ]);
  }
  const batch = 5000;
  for (let i = 0; i < findings.length; i += batch) {
    const part = findings.slice(i, i + batch);
    const cols = 8;
    const values: unknown[] = [];
    const rows = part.map((f, j) => {
      const clause = rb.clauses.get(f.clause)!;
      const levelAmount = clause.kind === 'tiered' ? clause.levels.find((l) => l.id === f.level)!.amount : null;
      values.push(f.id, f.unit, f.clause, f.count, f.value ?? null, levelAmount, f.source, f.withdrawn);
      return `(${Array.from({ length: cols }, (_, k) => `$${j * cols + k + 1}`).join(',')})`;
    });
    await client.query(`INSERT INTO bench_finding VALUES ${rows.join(',')}`, values);
  }
  await client.query(`ANALYZE bench_finding`);
}

/** How fast this machine is at plain JS work, so readers can scale the numbers to theirs. */
async function calibration(): Promise<number> {
  const xs = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_003);
  return medianMs(() => {
    const objs = xs.map((x, i) => ({ id: `c${i}`, x }));
    objs.sort((a, b) => a.x - b.x);
    return objs.length;
  }, 7);
}

export async function benchEngine(settings: SettingsFor<'bench'>): Promise<void> {
  const rb = loadRulebook('hz-2017');
  const calib = await calibration();
  const url = settings.bench.serverUrl;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS kaoping_bench WITH (FORCE)`);
  await admin.query(`CREATE DATABASE kaoping_bench`);
  const dbUrl = new URL(url);
  dbUrl.pathname = '/kaoping_bench';
  const client = new pg.Client({ connectionString: dbUrl.toString() });
  await client.connect();
  const units = [...rb.units.keys()];
  const rows: Array<{ n: number; engine: number; sql: number; incremental: number }> = [];
  try {
    for (const n of [10_000, 100_000, 1_000_000]) {
      const findings = syntheticYear(rb, n);
      const engine = await medianMs(
        () => computeStandings(rb, { year: 2017, asOf: '2017-12-31', units, findings }),
        n >= 1_000_000 ? 3 : 7,
      );
      // What the bot and worker do after one change: rescore the changed unit, re-rank all 59.
      const byUnit = new Map<string, typeof findings>();
      for (const f of findings) byUnit.set(f.unit, [...(byUnit.get(f.unit) ?? []), f]);
      const scored = units.map((u) => scoreUnit(rb, u, byUnit.get(u) ?? [], '2017-12-31'));
      const changed = units[7]!;
      const incremental = await medianMs(() => {
        scored[7] = scoreUnit(rb, changed, byUnit.get(changed) ?? [], '2017-12-31');
        return rankStandings(rb, { year: 2017, asOf: '2017-12-31', units: scored });
      }, 9);
      await loadIntoPostgres(client, rb, findings);
      const sql = await medianMs(() => client.query(SQL_STANDINGS), n >= 1_000_000 ? 3 : 7);
      rows.push({ n, engine, sql, incremental });
    }
  } finally {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS kaoping_bench WITH (FORCE)`);
    await admin.end();
  }
  console.log('standings of all 59 units for a synthetic 2017 (median ms)');
  console.log(
    'findings   engine ms   per 1k    SQL aggregate ms   engine/SQL   one-unit rescore ms   growth vs previous (engine)',
  );
  rows.forEach((r, i) => {
    const growth =
      i === 0
        ? '—'
        : `×${(r.engine / rows[i - 1]!.engine).toFixed(1)} for ×${(r.n / rows[i - 1]!.n).toFixed(0)} findings`;
    console.log(
      `${String(r.n).padStart(9)}  ${fmt(r.engine).padStart(9)}  ${(r.engine / (r.n / 1000)).toFixed(3).padStart(7)}  ${fmt(r.sql).padStart(17)}  ${(r.engine / r.sql).toFixed(2).padStart(10)}   ${fmt(r.incremental).padStart(19)}   ${growth}`,
    );
  });
  console.log(
    `calibration: allocating and sorting 100k small objects takes ${fmt(calib)} ms on this machine; engine at 100k = ${(rows[1]!.engine / calib).toFixed(1)}× that`,
  );
  const hundredK = rows.find((r) => r.n === 100_000)!;
  console.log(
    `target: 100k findings under 100 ms → full recompute ${fmt(hundredK.engine)} ms (${hundredK.engine < 100 ? 'met' : 'NOT met'}), after one change ${fmt(hundredK.incremental)} ms (${hundredK.incremental < 100 ? 'met' : 'NOT met'})`,
  );
}
