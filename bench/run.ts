// npm run bench — every benchmark of the project, each printing ratios against a baseline measured
// in the same run (never absolute targets in tests). Sections can be chosen: npm run bench -- engine
import { benchEngine } from './engine.bench.ts';
import { benchBot } from './bot.bench.ts';

const all: Record<string, () => Promise<void>> = {
  engine: benchEngine,
  bot: benchBot,
  worker: async () => (await import('./worker.bench.ts')).benchWorker(),
};
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const [name, fn] of Object.entries(all)) {
  if (chosen.length && !chosen.includes(name)) continue;
  console.log(`\n## ${name}`);
  await fn();
}
process.exit(0);
