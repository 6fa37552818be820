import { readFileSync } from 'node:fs';
import { ScenarioError, scoreScenario, standingsToJson } from '../scenario.ts';
import { formatStandingsTable } from './format-table.ts';

// npm run --silent score -- path/to/scenario.json [--table]
// JSON standings on stdout; an invalid scenario prints its problems on stderr and exits 2.

function main(argv: string[]): number {
  const table = argv.includes('--table');
  const path = argv.find((a) => !a.startsWith('--'));
  if (!path) {
    process.stderr.write('usage: npm run --silent score -- <scenario.json> [--table]\n');
    return 64;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    process.stderr.write(`cannot read scenario ${path}: ${(e as Error).message}\n`);
    return 66;
  }
  try {
    const standings = scoreScenario(raw);
    process.stdout.write(
      table ? formatStandingsTable(standings) : `${JSON.stringify(standingsToJson(standings), null, 2)}\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ScenarioError) {
      process.stderr.write(`invalid scenario ${path}:\n${e.problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
