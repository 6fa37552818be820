import { z } from 'zod';
import { loadRulebook, type Rulebook } from './rulebook.ts';
import { checkFinding } from './finding-check.ts';
import { parseIsoDate, yearOf } from './dates.ts';
import { computeStandings } from './engine/compute-standings.ts';
import type { EngineFinding, Standings } from './engine/types.ts';

// The `score` command's input contract (shared/spec/score-command.md), parsed in two steps:
// the JSON shape with zod, then each finding's domain checks, so every error names its finding.

const idSchema = z.union([z.string().min(1), z.number()]).transform(String);
const optionalDate = z.string().nullish();

export const scenarioFindingSchema = z.object({
  id: idSchema,
  unit: z.string({ error: 'required (a unit name)' }).min(1),
  clause: z.string({ error: 'required (a clause id)' }).min(1),
  date: z.string({ error: 'required (YYYY-MM-DD)' }),
  count: z.number().nullish(),
  value: z.number().nullish(),
  level: z.string().nullish(),
  source: z.string().nullish(),
  deadline: optionalDate,
  rectifiedOn: optionalDate,
  withdrawn: z.boolean().nullish(),
});

export const scenarioSchema = z.object({
  rulebook: z.string().min(1),
  year: z.number().int(),
  asOf: z.string().optional(),
  units: z.array(z.string().min(1)).optional(),
  findings: z.array(z.unknown()).default([]),
});

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ScenarioError';
  }
}

export interface PreparedScenario {
  rulebook: Rulebook;
  year: number;
  asOf: string;
  units: string[];
  findings: EngineFinding[];
}

/** Finds the rulebook a scenario names; the `score` command reads rules/rulebooks/<id>.json. */
export type RulebookResolver = (id: string) => Rulebook;

export function prepareScenario(raw: unknown, resolve: RulebookResolver = loadRulebook): PreparedScenario {
  const top = scenarioSchema.safeParse(raw);
  if (!top.success)
    throw new ScenarioError(top.error.issues.map((i) => `scenario ${i.path.join('.') || '(root)'}: ${i.message}`));
  const sc = top.data;
  const problems: string[] = [];
  let rulebook: Rulebook;
  try {
    rulebook = resolve(sc.rulebook);
  } catch (e) {
    throw new ScenarioError([`scenario rulebook: ${(e as Error).message}`]);
  }
  if (sc.year !== rulebook.data.year)
    problems.push(
      `scenario year: ${sc.year} is not the assessment year of rulebook ${rulebook.id} (${rulebook.data.year})`,
    );
  const asOf = sc.asOf ?? `${sc.year}-12-31`;
  if (parseIsoDate(asOf) === null)
    problems.push(`scenario asOf: ${JSON.stringify(asOf)} is not a YYYY-MM-DD calendar date`);
  else if (yearOf(asOf) !== sc.year) problems.push(`scenario asOf: ${asOf} is outside the year ${sc.year}`);

  let units: string[];
  if (sc.units) {
    units = [];
    for (const [i, name] of sc.units.entries()) {
      const canonical = rulebook.resolveUnit(name);
      if (!canonical)
        problems.push(
          `scenario units[${i}]: ${rulebook.resolveOrganiser(name) ? `${name} is an organiser and is not assessed` : `unknown unit ${JSON.stringify(name)}`}`,
        );
      else if (!units.includes(canonical)) units.push(canonical);
    }
  } else units = [...rulebook.units.keys()];

  const findings: EngineFinding[] = [];
  const seen = new Set<string>();
  sc.findings.forEach((rawFinding, index) => {
    const idGuess =
      typeof rawFinding === 'object' && rawFinding && 'id' in rawFinding
        ? String((rawFinding as { id: unknown }).id)
        : `#${index + 1}`;
    const parsed = scenarioFindingSchema.safeParse(rawFinding);
    if (!parsed.success) {
      for (const i of parsed.error.issues)
        problems.push(`finding ${idGuess}: ${i.path.join('.') || '(finding)'}: ${i.message}`);
      return;
    }
    const f = parsed.data;
    if (seen.has(f.id)) problems.push(`finding ${f.id}: id: used by more than one finding`);
    seen.add(f.id);
    const checked = checkFinding(rulebook, f, { year: sc.year });
    if (!checked.ok) {
      for (const i of checked.issues) problems.push(`finding ${f.id}: ${i.field}: ${i.message}`);
      return;
    }
    const c = checked.finding;
    findings.push({
      id: f.id,
      unit: c.unit,
      clause: c.clause.id,
      date: c.date,
      filedSeq: index,
      count: c.count,
      value: c.value,
      level: c.level,
      source: c.source,
      deadline: c.deadline,
      rectifiedOn: c.rectifiedOn,
      withdrawn: f.withdrawn ?? false,
    });
  });
  if (problems.length) throw new ScenarioError(problems);
  return { rulebook, year: sc.year, asOf, units, findings };
}

export function scoreScenario(raw: unknown, resolve: RulebookResolver = loadRulebook): Standings {
  const p = prepareScenario(raw, resolve);
  return computeStandings(p.rulebook, { year: p.year, asOf: p.asOf, units: p.units, findings: p.findings });
}

/** The output contract of score-command.md, plus each finding's explanation. */
export function standingsToJson(st: Standings): unknown {
  return {
    rulebook: st.rulebook,
    year: st.year,
    asOf: st.asOf,
    units: st.units.map((u) => ({
      unit: u.unit,
      group: u.group,
      base: u.base,
      total: u.total,
      deductions: u.deductions,
      bonuses: u.bonuses,
      overflow: u.overflow,
      sections: Object.fromEntries(u.sections.map((s) => [s.id, s.score])),
      disqualified: u.disqualified,
      rank: u.rank,
      advanced: u.advanced,
      findings: u.findings.map((f) => ({
        id: f.id,
        points: f.points,
        multiplier: f.multiplier,
        status: f.status,
        clause: f.clause,
        date: f.date,
        base: f.base,
        inspectionMultiplier: f.inspectionMultiplier,
        repeatMultiplier: f.repeatMultiplier,
        repeatOf: f.repeatOf,
        ...(f.shortfall !== undefined ? { shortfall: f.shortfall } : {}),
        ...(f.supersededBy !== undefined ? { supersededBy: f.supersededBy } : {}),
        deadline: f.deadline,
        overdue: f.overdue,
      })),
    })),
    groups: Object.fromEntries(
      Object.entries(st.groups).map(([g, r]) => [
        g,
        { quota: r.quota, advanced: r.advanced, tiedAtCut: r.tiedAtCut, assessed: r.assessed, cutScore: r.cutScore },
      ]),
    ),
  };
}
