// The engine's full recompute alone, in a process of its own: `node --import tsx
// bench/engine-alone.ts <findings> <runs>` prints {"wall":…, "cpu":…} (medians, ms). The engine
// bench runs it once per size beside its own figures, because in its process each size's runs
// also collect what the runs before left (the naive scorer's maps, the old engine's explanations),
// so its growth from 100k to 1M measures that too, not only the engine.
import { computeStandings } from '../rules/engine/compute-standings.ts';
import { loadRulebook } from '../rules/rulebook.ts';
import { syntheticYear } from './synthetic-year.ts';
import { medianWallCpu } from './timing.ts';

const n = Number(process.argv[2]);
const runs = Number(process.argv[3] ?? 5);
if (!Number.isSafeInteger(n) || n < 1 || !Number.isSafeInteger(runs) || runs < 1)
  throw new Error('usage: engine-alone.ts <findings> <runs>');
const rb = loadRulebook('hz-2017');
const input = { year: 2017, asOf: '2017-12-31', units: [...rb.units.keys()], findings: syntheticYear(rb, n) };
process.stdout.write(`${JSON.stringify(medianWallCpu(() => computeStandings(rb, input), runs, 2))}\n`);
