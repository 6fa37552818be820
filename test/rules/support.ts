// Shared helpers for the rules tests. Expectations are never computed here: these helpers only
// run the engine (through the `score` command's own code path) and pick numbers out of its output.
// The engine's table tests run on the synthetic rulebook (test/support/synthetic-rulebook.ts), with
// numbers of their own; tests of the 2017 rulebook's data pass `rulebook: hz`.
import { loadRulebook, type Rulebook } from '../../rules/rulebook.ts';
import { ScenarioError, scoreScenario, standingsToJson, type RulebookResolver } from '../../rules/scenario.ts';
import { syntheticRulebook } from '../support/synthetic-rulebook.ts';

export const hz = loadRulebook('hz-2017');
export const synthetic = syntheticRulebook();

export interface FindingJson {
  id: string;
  points: number;
  multiplier: number;
  status: 'counted' | 'withdrawn' | 'superseded';
  clause: string;
  date: string;
  inspectionMultiplier: number;
  repeatMultiplier: number;
  repeatOf: string[];
  shortfall?: number;
  supersededBy?: string;
  deadline: string | null;
  overdue: boolean;
}

export interface UnitJson {
  unit: string;
  group: string;
  base: number;
  total: number;
  deductions: number;
  bonuses: number;
  overflow: number;
  sections: Record<string, number>;
  disqualified: string[];
  rank: number;
  advanced: boolean;
  findings: FindingJson[];
}

export interface GroupJson {
  quota: number;
  advanced: string[];
  tiedAtCut: boolean;
  assessed: number;
  cutScore: number | null;
}

export interface StandingsJson {
  rulebook: string;
  year: number;
  asOf: string;
  units: UnitJson[];
  groups: Record<string, GroupJson>;
}

export type RawFinding = Record<string, unknown>;

export interface ScenarioOptions {
  units?: readonly string[];
  asOf?: string;
  year?: number;
  /** default: the synthetic rulebook */
  rulebook?: Rulebook;
}

/** The scenario's rulebook by id: the one given (or the synthetic one), else a data file. */
const resolver =
  (opts: ScenarioOptions): RulebookResolver =>
  (id) => {
    const rb = opts.rulebook ?? synthetic;
    return id === rb.id ? rb : loadRulebook(id);
  };

export function scenario(findings: RawFinding[], opts: ScenarioOptions = {}): Record<string, unknown> {
  return {
    rulebook: (opts.rulebook ?? synthetic).id,
    year: opts.year ?? 2017,
    ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
    ...(opts.units !== undefined ? { units: opts.units } : {}),
    findings,
  };
}

/** Scores a scenario through the same code as `npm run score` and returns its JSON output. */
export function score(findings: RawFinding[], opts: ScenarioOptions = {}): StandingsJson {
  return standingsToJson(scoreScenario(scenario(findings, opts), resolver(opts))) as StandingsJson;
}

/** Scores findings of a single unit (only that unit is assessed) and returns its standing. */
export function scoreUnit(unit: string, findings: RawFinding[], opts: Omit<ScenarioOptions, 'units'> = {}): UnitJson {
  const st = score(
    findings.map((f) => ({ unit, ...f })),
    { ...opts, units: [unit] },
  );
  return unitOf(st, unit);
}

export function unitOf(st: StandingsJson, name: string): UnitJson {
  const u = st.units.find((x) => x.unit === name);
  if (!u) throw new Error(`unit ${name} is not in the standings`);
  return u;
}

export function findingOf(u: UnitJson, id: string): FindingJson {
  const f = u.findings.find((x) => x.id === id);
  if (!f) throw new Error(`finding ${id} is not in the standing of ${u.unit}`);
  return f;
}

/** The problems of a refused scenario; fails when the scenario is accepted. */
export function refusal(findings: RawFinding[], opts: ScenarioOptions = {}): string[] {
  try {
    scoreScenario(scenario(findings, opts), resolver(opts));
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  throw new Error('the scenario was accepted');
}

/** [points, multiplier] of each listed finding, for compact assertions. */
export function pm(u: UnitJson, ...ids: string[]): Array<[number, number]> {
  return ids.map((id) => {
    const f = findingOf(u, id);
    return [f.points, f.multiplier];
  });
}
