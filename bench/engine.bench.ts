import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { loadRulebook } from '../rules/rulebook.ts';
import { computeStandings, rankStandings, scoreUnit } from '../rules/engine/compute-standings.ts';
import type { EngineFinding } from '../rules/engine/types.ts';
import { quoteIdent } from '../prisma/migrate.ts';
import type { SettingsFor } from '../adapters/config/settings.schema.ts';
import { benchDatabaseName, databaseUrl } from './bench-database.ts';
import { naiveTotals } from './naive-scorer.ts';
import { computeStandings as referenceStandings } from '../test/support/reference-engine.ts';
import { syntheticYear } from './synthetic-year.ts';
import { fmt, medianMs, medianWallCpu } from './timing.ts';

// The engine's full recompute of all 59 units against two baselines measured in the same run on
// the same findings:
//   before the engine this one replaced (the frozen copy in test/support/reference-engine.ts);
//   naive  bench/naive-scorer.ts — the arithmetic alone, written the obvious way (totals only);
//   SQL    one aggregate in PostgreSQL (points, inspection doubling, section caps, overflow,
//          totals and ranks; no repeat escalation, supersession or quota walk).
// Engine and naive runs alternate, so a change in the machine's load hits both alike. Times are
// medians of wall-clock time; CPU time (steadier on a shared machine) is printed beside.

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

type Rb = ReturnType<typeof loadRulebook>;

async function loadIntoPostgres(client: pg.Client, rb: Rb, findings: readonly EngineFinding[]) {
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

/** Medians of `fns` run in turn (a, b, a, b, …) after one warm-up round. */
function alternating(fns: ReadonlyArray<() => unknown>, runs: number): Array<{ wall: number; cpu: number }> {
  for (const fn of fns) fn();
  const samples = fns.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let r = 0; r < runs; r++)
    fns.forEach((fn, k) => {
      const t = medianWallCpu(fn, 1, 0);
      samples[k]!.wall.push(t.wall);
      samples[k]!.cpu.push(t.cpu);
    });
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return samples.map((s) => ({ wall: mid(s.wall), cpu: mid(s.cpu) }));
}

/** The engine alone on `n` findings, in a process of its own (bench/engine-alone.ts). */
function engineAlone(n: number, runs: number): { wall: number; cpu: number } {
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=8192', '--import', 'tsx', 'bench/engine-alone.ts', String(n), String(runs)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as { wall: number; cpu: number };
}

interface Row {
  n: number;
  /** the engine alone, in a process of its own (median wall and CPU) */
  alone: { wall: number; cpu: number };
  engine: { wall: number; cpu: number };
  naive: { wall: number; cpu: number };
  explainOne: number;
  explainAll: number;
  before: number;
  incremental: number;
  sql: number;
}

export async function benchEngine(settings: SettingsFor<'bench'>): Promise<void> {
  const { serverUrl, databasePrefix } = settings.bench;
  const rb = loadRulebook('hz-2017');
  const name = benchDatabaseName(databasePrefix, 'engine');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, name) });
  const units = [...rb.units.keys()];
  const asOf = '2017-12-31';
  const rows: Row[] = [];
  try {
    await client.connect();
    for (const n of settings.bench.engine.sizes) {
      const findings = syntheticYear(rb, n);
      const input = { year: 2017, asOf, units, findings };
      const runs = n >= 1_000_000 ? 5 : n >= 100_000 ? 11 : 21;
      const alone = engineAlone(n, runs);
      const [engine, naive] = alternating(
        [() => computeStandings(rb, input), () => naiveTotals(rb, findings, asOf)],
        runs,
      );
      // What someone is shown: one unit's findings with their explanations (built on first read),
      // and — what every full recompute used to pay — every unit's.
      const explainOne = await medianMs(() => computeStandings(rb, input).units[0]!.findings.length, runs);
      const explainAll = await medianMs(
        () => computeStandings(rb, input).units.reduce((a, u) => a + u.findings.length, 0),
        Math.min(runs, 5),
      );
      // The engine this one replaced (test/support/reference-engine.ts), eager explanations and all.
      const before = await medianMs(() => referenceStandings(rb, input), Math.min(runs, 3));
      // What the bot and worker do after one change: rescore the changed unit, re-rank all 59.
      const byUnit = new Map<string, EngineFinding[]>(units.map((u) => [u, []]));
      for (const f of findings) byUnit.get(f.unit)!.push(f);
      const scored = units.map((u) => scoreUnit(rb, u, byUnit.get(u)!, asOf));
      const changed = units[7]!;
      const incremental = await medianMs(() => {
        scored[7] = scoreUnit(rb, changed, byUnit.get(changed)!, asOf);
        return rankStandings(rb, { year: 2017, asOf, units: scored });
      }, 9);
      await loadIntoPostgres(client, rb, findings);
      const sql = await medianMs(() => client.query(SQL_STANDINGS), n >= 1_000_000 ? 3 : 7);
      rows.push({ n, alone, engine: engine!, naive: naive!, explainOne, explainAll, before, incremental, sql });
    }
  } finally {
    await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.end();
  }
  console.log('standings of all 59 units for a synthetic 2017 (median ms, wall clock; CPU ms in brackets)');
  console.log(
    'findings     engine full recompute      naive one-pass   engine/naive   same + 1 unit explained   same + all explained   engine before   SQL aggregate   engine/SQL   one unit rescored',
  );
  for (const r of rows)
    console.log(
      [
        String(r.n).padStart(8),
        `${fmt(r.engine.wall)} (${fmt(r.engine.cpu)})`.padStart(24),
        `${fmt(r.naive.wall)} (${fmt(r.naive.cpu)})`.padStart(19),
        `${(r.engine.wall / r.naive.wall).toFixed(2)} (${(r.engine.cpu / r.naive.cpu).toFixed(2)})`.padStart(14),
        fmt(r.explainOne).padStart(25),
        fmt(r.explainAll).padStart(22),
        fmt(r.before).padStart(15),
        fmt(r.sql).padStart(15),
        (r.engine.wall / r.sql).toFixed(2).padStart(12),
        fmt(r.incremental).padStart(19),
      ].join(' '),
    );
  rows.forEach((r, i) => {
    if (i === 0) return;
    const p = rows[i - 1]!;
    const k = r.n / p.n;
    console.log(
      `growth ${p.n} → ${r.n} (×${k}): engine ×${(r.engine.wall / p.engine.wall).toFixed(1)} (CPU ×${(r.engine.cpu / p.engine.cpu).toFixed(1)}), naive ×${(r.naive.wall / p.naive.wall).toFixed(1)}, both in this process; the engine alone in a process of its own ×${(r.alone.wall / p.alone.wall).toFixed(1)} (CPU ×${(r.alone.cpu / p.alone.cpu).toFixed(1)}; ${fmt(p.alone.wall)} → ${fmt(r.alone.wall)} ms) — linear is ×${k}`,
    );
  });
  const at = (n: number) => rows.find((r) => r.n === n);
  const [k100, m1] = [at(100_000), at(1_000_000)];
  const verdict = (x: number, limit: number) => `${x.toFixed(2)} (${x <= limit ? 'met' : 'NOT met'})`;
  if (k100)
    console.log(
      `target: full recompute at 100k ≤ 1.0× the naive one-pass scorer → wall ${verdict(k100.engine.wall / k100.naive.wall, 1)}, CPU ${verdict(k100.engine.cpu / k100.naive.cpu, 1)}`,
    );
  if (k100 && m1)
    console.log(
      `target: 1M / 100k ≤ 11 (linear) → the engine alone, a process per size: wall ${verdict(m1.alone.wall / k100.alone.wall, 11)}, CPU ${verdict(m1.alone.cpu / k100.alone.cpu, 11)}; in this process, alternating with the naive scorer: wall ${verdict(m1.engine.wall / k100.engine.wall, 11)}, CPU ${verdict(m1.engine.cpu / k100.engine.cpu, 11)}`,
    );
}
