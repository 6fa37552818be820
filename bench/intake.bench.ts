import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { SettingsFor } from '../adapters/config/settings.schema.ts';
import type { Actor, FileBatchCommand } from '../core/assessment-api.ts';
import { createAssessment } from '../core/assessment.ts';
import { PrismaAssessmentStore } from '../prisma/repositories/prisma-assessment-store.ts';
import { prepareYearDatabase } from './bot.bench.ts';
import { syntheticYear } from './synthetic-year.ts';
import { fmt } from './timing.ts';

// Bulk intake (findings.fileBatch) beside its baseline from the same run: the same kind of rows
// filed one by one through the chat filing use case (findings.file). BENCH_INTAKE_ROWS rows are
// filed in calls of BENCH_INTAKE_BATCH rows into an empty year (each call checks every row,
// writes them in one transaction, audits the batch and refreshes the ledger cache), then the same
// batches again (idempotent: nothing is written). Counts are checked: every row once, none twice.

const NOW = new Date('2017-12-31T10:00:00+08:00');
const CHAT_BASELINE_ROWS = 300;

export async function benchIntake(settings: SettingsFor<'bench'>): Promise<void> {
  const { rows: N, batch: B } = settings.bench.intake;
  const year = await prepareYearDatabase(settings, 'intake', 0);
  const { rb, prisma } = year;
  try {
    const store = new PrismaAssessmentStore(prisma);
    const assessment = createAssessment({ rulebook: rb, store, clock: { now: () => NOW } });
    const actor = async (id: string): Promise<Actor> => {
      const r = await assessment.membership.resolveActor('slack', id);
      if (!r.ok) throw r.error;
      return r.value;
    };
    const organiser = await actor('UBENCHORG');
    const inspector = await actor('UBENCHINSP');
    const rowsOf = (prefix: string, n: number, seed: number): FileBatchCommand['rows'] =>
      syntheticYear(rb, n, seed).map((f, i) => ({
        unit: f.unit,
        clause: f.clause,
        date: f.date,
        count: f.count,
        ...(f.value !== null ? { value: f.value } : {}),
        ...(f.level !== null ? { level: f.level } : {}),
        source: f.source,
        evidenceText: 'bench',
        idempotencyKey: `${prefix}:${i}`,
      }));
    await assessment.queries.standingsAsOf(organiser, '2017-12-31'); // the cache is warm, as in a running bot

    // baseline: one chat filing per row, same process, same database
    const chatRows = rowsOf('chat', CHAT_BASELINE_ROWS, 7);
    let t0 = performance.now();
    for (const row of chatRows) {
      const r = await assessment.findings.file(inspector, { ...row, channel: 'bench' });
      if (!r.ok) throw r.error;
    }
    const chatMs = performance.now() - t0;

    const rows = rowsOf('bulk', N, 2017);
    const batches: FileBatchCommand[] = [];
    for (let i = 0; i < N; i += B) batches.push({ channel: 'import', label: `bench ${i}`, rows: rows.slice(i, i + B) });
    const pass = async (): Promise<{ ms: number; created: number; perCall: number[] }> => {
      const perCall: number[] = [];
      let created = 0;
      const start = performance.now();
      for (const b of batches) {
        const t = performance.now();
        const r = await assessment.findings.fileBatch(organiser, b);
        if (!r.ok) throw r.error;
        created += r.value.created;
        perCall.push(performance.now() - t);
      }
      return { ms: performance.now() - start, created, perCall };
    };
    const c0 = process.cpuUsage();
    const first = await pass();
    const c = process.cpuUsage(c0);
    const again = await pass();
    t0 = performance.now();
    const stored = await prisma.finding.count({ where: { channel: 'import' } });
    const distinct = await prisma.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(DISTINCT idempotency_key) AS n FROM finding WHERE channel = 'import'`;

    const chatRate = CHAT_BASELINE_ROWS / (chatMs / 1000);
    const bulkRate = N / (first.ms / 1000);
    const againRate = N / (again.ms / 1000);
    console.log(
      `bulk intake (findings.fileBatch), ${N.toLocaleString('en')} rows in calls of ${B.toLocaleString('en')}, into an empty year, ledger cache warm`,
    );
    console.log(
      `machine: ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `baseline, same run: ${CHAT_BASELINE_ROWS} chat filings one by one (findings.file): ${fmt(chatMs)} ms, ${chatRate.toFixed(0)} findings/s`,
    );
    console.log(
      `bulk intake, new rows: ${fmt(first.ms)} ms (CPU of this process ${fmt((c.user + c.system) / 1000)} ms), ${bulkRate.toFixed(0)} findings/s — ${(bulkRate / chatRate).toFixed(1)}× the chat filings; per call ${first.perCall.map((x) => fmt(x)).join(', ')} ms`,
    );
    console.log(
      `bulk intake, the same batches again (idempotent): ${fmt(again.ms)} ms, ${againRate.toFixed(0)} rows/s, created ${again.created}`,
    );
    console.log(
      `counted: ${first.created} created by the first pass, ${stored} stored, ${distinct[0]!.n} distinct keys (of ${N}) → ${first.created === N && stored === N && Number(distinct[0]!.n) === N && again.created === 0 ? 'none lost, none twice' : 'MISMATCH'}; target ≥ 5,000 findings/s → ${bulkRate >= 5000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await prisma.$disconnect().catch(() => undefined);
    await year.drop();
  }
}
