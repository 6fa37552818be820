import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Files share their worker's modules instead of importing everything again per file: the suite
    // spent ~300 of its ~490 s importing (Prisma's client, Bolt, the rulebook) once per file, and
    // with Node 26's run beside it CI came within a minute of its 10. Tests keep no state in
    // modules (each makes its own database, queue prefix, clock and clients; no vi.mock), and a
    // source module may still be evaluated once per file, so process-wide set-up must be
    // idempotent (adapters/reports/chart-png.renderer.ts).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests each create their own PostgreSQL database and Redis key prefix,
    // so files may run in parallel.
  },
});
