import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadRulebook } from '../rules/rulebook.ts';
import { prepareScenario, ScenarioError, standingsToJson } from '../rules/scenario.ts';
import { computeStandings as referenceStandings } from '../test/support/reference-engine.ts';
import type { SettingsFor } from '../adapters/config/settings.schema.ts';
import { syntheticYear } from './synthetic-year.ts';

// The `score` command's output, byte for byte, against what the engine it replaced printed
// (test/support/reference-engine.ts, the frozen copy): for the acceptance scenarios and for
// generated years. The command runs as users run it (`npm run --silent score -- file`); the
// reference output is the same formatting of the reference engine's standings.

interface Output {
  code: number;
  stdout: string;
}

function referenceOutput(raw: unknown): Output {
  try {
    const p = prepareScenario(raw);
    const st = referenceStandings(p.rulebook, { year: p.year, asOf: p.asOf, units: p.units, findings: p.findings });
    return { code: 0, stdout: `${JSON.stringify(standingsToJson(st), null, 2)}\n` };
  } catch (e) {
    if (e instanceof ScenarioError) return { code: 2, stdout: '' };
    throw e;
  }
}

function scoreCommand(path: string): Output {
  const p = spawnSync('npm', ['run', '--silent', 'score', '--', path], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (p.error) throw p.error;
  return { code: p.status ?? -1, stdout: p.stdout };
}

/** A generated year as a `score` scenario (the shape of shared/spec/score-command.md). */
function generatedScenario(n: number, asOf: string | undefined): unknown {
  const rb = loadRulebook('hz-2017');
  return {
    rulebook: rb.id,
    year: rb.data.year,
    ...(asOf ? { asOf } : {}),
    findings: syntheticYear(rb, n, 41 + n).map((f) => ({
      id: f.id,
      unit: f.unit,
      clause: f.clause,
      date: f.date,
      count: f.count,
      ...(f.value != null ? { value: f.value } : {}),
      ...(f.level != null ? { level: f.level } : {}),
      source: f.source,
      ...(f.deadline !== null ? { deadline: f.deadline } : {}),
      ...(f.rectifiedOn !== null ? { rectifiedOn: f.rectifiedOn } : {}),
      withdrawn: f.withdrawn,
    })),
  };
}

function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

export async function checkScoreEquivalence(settings: SettingsFor<'bench'>): Promise<void> {
  const { sizes, acceptanceDirs } = settings.bench.equivalence;
  const work = mkdtempSync(join(tmpdir(), 'kaoping-score-equivalence-'));
  const cases: Array<{ name: string; path: string }> = [];
  try {
    for (const dir of acceptanceDirs) {
      const abs = resolve(dir);
      if (!existsSync(abs)) {
        console.log(`(no scenarios at ${dir})`);
        continue;
      }
      for (const f of readdirSync(abs).sort())
        if (f.endsWith('.scenario.json')) cases.push({ name: `${dir}/${f}`, path: join(abs, f) });
    }
    sizes.forEach((n, i) => {
      const asOf = i % 2 === 1 ? '2017-08-31' : undefined; // every other year scored mid-year
      const path = join(work, `generated-${n}.scenario.json`);
      writeFileSync(path, JSON.stringify(generatedScenario(n, asOf)));
      cases.push({ name: `generated year of ${n} findings${asOf ? `, as of ${asOf}` : ''}`, path });
    });
    let different = 0;
    for (const c of cases) {
      const want = referenceOutput(JSON.parse(readFileSync(c.path, 'utf8')));
      const got = scoreCommand(c.path);
      const same = got.code === want.code && got.stdout === want.stdout;
      if (!same) different++;
      const what =
        want.code !== 0
          ? `refused (exit ${got.code}, reference ${want.code})`
          : `${Buffer.byteLength(got.stdout).toLocaleString('en')} bytes`;
      console.log(
        `${same ? 'identical' : 'DIFFERENT'}  ${c.name}: ${what}${same ? '' : `, first difference at character ${firstDifference(got.stdout, want.stdout)}`}`,
      );
    }
    console.log(
      `score output against the reference engine: ${cases.length - different} identical, ${different} different`,
    );
    if (different) throw new Error(`${different} scenario(s) score differently from the reference engine`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
