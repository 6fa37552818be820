// npm run bench — every benchmark of the project, each printing ratios against a baseline measured
// in the same run (never absolute targets in tests). Sections can be chosen:
//   npm run bench -- engine | equivalence | bot | intake | worker | load | reports | charts
// The BENCH_* knobs (README "Configuration") are parsed here, once, and handed to each bench.
import { settingsOrExit } from '../adapters/config/load-settings.ts';
import type { SettingsFor } from '../adapters/config/settings.schema.ts';
import { benchEngine } from './engine.bench.ts';
import { benchBot } from './bot.bench.ts';
import { checkScoreEquivalence } from './score-equivalence.ts';

const settings = settingsOrExit('bench');
const all: Record<string, (settings: SettingsFor<'bench'>) => Promise<void>> = {
  engine: benchEngine,
  equivalence: checkScoreEquivalence,
  bot: benchBot,
  intake: async (s) => (await import('./intake.bench.ts')).benchIntake(s),
  worker: async (s) => (await import('./worker.bench.ts')).benchWorker(s),
  load: async (s) => (await import('./load.bench.ts')).benchLoad(s),
  reports: async (s) => (await import('./reports.bench.ts')).benchReports(s),
  charts: async () => (await import('./charts.bench.ts')).benchCharts(),
};
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of chosen)
  if (!(name in all)) {
    console.error(`unknown bench section ${name} (have: ${Object.keys(all).join(', ')})`);
    process.exit(64);
  }
let failed = false;
for (const [name, fn] of Object.entries(all)) {
  if (chosen.length && !chosen.includes(name)) continue;
  console.log(`\n## ${name}`);
  try {
    await fn(settings);
  } catch (e) {
    failed = true;
    console.error(`bench section ${name} failed:`, e);
  }
}
process.exit(failed ? 1 : 0);
