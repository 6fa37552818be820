import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { rulebookSchema, type ClauseData, type RulebookData } from './rulebook.schema.ts';
import { WorkingCalendar } from './calendar.ts';
import { parseIsoDate } from './dates.ts';
import { assertNever } from './exhaustive.ts';
import { isMeasurement } from './clause-kinds.ts';

export type Clause = ClauseData;
export type Section = RulebookData['sections'][number];
export type UnitData = RulebookData['units'][number];
export type Settings = RulebookData['settings'];

export interface Rulebook {
  readonly data: RulebookData;
  readonly id: string;
  readonly settings: Settings;
  readonly clauses: ReadonlyMap<string, Clause>;
  readonly sections: ReadonlyMap<string, Section>;
  readonly units: ReadonlyMap<string, UnitData>;
  readonly groupIds: readonly string[];
  readonly calendar: WorkingCalendar;
  /** canonical name or alias → canonical name, for assessed units */
  resolveUnit(name: string): string | undefined;
  /** canonical name or alias → canonical name, for organisers (not assessed) */
  resolveOrganiser(name: string): string | undefined;
  /** Sum of the full scores of the sections that apply to the group. */
  baseFor(group: string): number;
  sectionsFor(group: string): readonly Section[];
  isDeductionClause(clause: Clause): boolean;
  isBonusClause(clause: Clause): boolean;
  /** Whether a finding under this clause gets a rectification deadline. */
  isRectifiable(clause: Clause): boolean;
}

export class RulebookError extends Error {
  constructor(
    readonly rulebookId: string,
    readonly problems: readonly string[],
  ) {
    super(`rulebook ${rulebookId} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RulebookError';
  }
}

/** Pass two: every reference points at something that exists, and nothing is claimed twice. */
function crossReferenceProblems(d: RulebookData): string[] {
  const problems: string[] = [];
  const dup = (kind: string, ids: string[]) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`duplicate ${kind} id ${JSON.stringify(id)}`);
      seen.add(id);
    }
    return seen;
  };
  const groups = dup(
    'group',
    d.groups.map((g) => g.id),
  );
  const disq = dup(
    'disqualification',
    d.disqualifications.map((x) => x.id),
  );
  const cats = dup(
    'category',
    d.categories.map((c) => c.id),
  );
  const secs = dup(
    'section',
    d.sections.map((s) => s.id),
  );
  dup(
    'clause',
    d.clauses.map((c) => c.id),
  );

  if (!d.settings.sources.includes(d.settings.defaultSource))
    problems.push(`settings.defaultSource ${d.settings.defaultSource} is not one of settings.sources`);
  for (const s of d.settings.inspection.sources)
    if (!d.settings.sources.includes(s)) problems.push(`settings.inspection.sources: unknown source ${s}`);
  if (d.settings.count.min > d.settings.count.max) problems.push('settings.count: min is above max');
  if (d.settings.valueRange.min > d.settings.valueRange.max) problems.push('settings.valueRange: min is above max');

  for (const s of d.sections) {
    if (!cats.has(s.category)) problems.push(`section ${s.id} is in unknown category ${s.category}`);
    for (const g of s.appliesTo) if (!groups.has(g)) problems.push(`section ${s.id} applies to unknown group ${g}`);
    if (s.deductionDisqualifies && !disq.has(s.deductionDisqualifies))
      problems.push(`section ${s.id} disqualifies with unknown ${s.deductionDisqualifies}`);
  }
  for (const c of d.categories) {
    const sum = d.sections.filter((s) => s.category === c.id).reduce((a, s) => a + s.full, 0);
    if (sum !== c.points) problems.push(`category ${c.id} has ${c.points} points but its sections sum to ${sum}`);
  }
  for (const c of d.clauses) {
    if (!secs.has(c.section)) problems.push(`clause ${c.id} is in unknown section ${c.section}`);
    if (c.disqualifies && !disq.has(c.disqualifies))
      problems.push(`clause ${c.id} disqualifies with unknown ${c.disqualifies}`);
    if (c.kind === 'tiered') {
      const ids = new Set<string>();
      for (const l of c.levels) {
        if (ids.has(l.id)) problems.push(`clause ${c.id} has level ${l.id} twice`);
        ids.add(l.id);
      }
      const signs = new Set(c.levels.map((l) => Math.sign(l.amount)));
      if (signs.size !== 1 || signs.has(0))
        problems.push(`clause ${c.id}: tiered levels must all be bonuses or all deductions, none 0`);
    }
    const section = d.sections.find((s) => s.id === c.section);
    if (section && section.full === 0 && isDeduction(c))
      problems.push(`clause ${c.id} deducts from section ${c.section}, which has no points`);
  }
  for (const [year, cal] of Object.entries(d.calendars)) {
    for (const date of [...cal.daysOff.flat(), ...cal.makeUpWorkdays]) {
      if (parseIsoDate(date) === null) problems.push(`calendar ${year}: ${date} is not a date`);
      else if (!date.startsWith(year)) problems.push(`calendar ${year}: ${date} is in another year`);
    }
    for (const [from, to] of cal.daysOff)
      if (from > to) problems.push(`calendar ${year}: range ${from}..${to} is reversed`);
  }
  if (!d.calendars[String(d.year)]) problems.push(`no calendar for the assessment year ${d.year}`);

  const names = new Map<string, string>();
  const claim = (name: string, owner: string) => {
    const prior = names.get(name);
    if (prior !== undefined)
      problems.push(`unit name or alias ${JSON.stringify(name)} is claimed by both ${prior} and ${owner}`);
    else names.set(name, owner);
  };
  for (const u of [...d.units, ...d.organisers]) {
    claim(u.name, u.name);
    for (const a of u.aliases) claim(a, u.name);
  }
  for (const u of d.units) if (!groups.has(u.group)) problems.push(`unit ${u.name} is in unknown group ${u.group}`);
  return problems;
}

function isDeduction(c: Clause): boolean {
  switch (c.kind) {
    case 'per_item':
    case 'flat':
    case 'threshold':
      return c.amount < 0;
    case 'tiered':
      return c.levels.every((l) => l.amount < 0);
    default:
      return assertNever(c, 'clause kind');
  }
}

/** A schema issue's path, naming the list item by its id or name: `clauses[45] (6.1.1a).levels`. */
function issuePath(raw: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  const [list, index, ...rest] = path;
  if (typeof index === 'number' && typeof list === 'string' && raw && typeof raw === 'object') {
    const item = (raw as Record<string, unknown>)[list];
    const entry = Array.isArray(item) ? (item[index] as unknown) : undefined;
    const label =
      entry && typeof entry === 'object'
        ? ((entry as { id?: unknown; name?: unknown }).id ?? (entry as { name?: unknown }).name)
        : undefined;
    const head = `${list}[${index}]${typeof label === 'string' && label !== '' ? ` (${label})` : ''}`;
    return [head, ...rest.map(String)].join('.');
  }
  return path.map(String).join('.');
}

export function buildRulebook(raw: unknown, origin = 'rulebook'): Rulebook {
  const parsed = rulebookSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw && 'id' in raw ? String((raw as { id: unknown }).id) : origin;
    throw new RulebookError(
      id,
      parsed.error.issues.map((i) => `${issuePath(raw, i.path)}: ${i.message}`),
    );
  }
  const d = parsed.data;
  const problems = crossReferenceProblems(d);
  if (problems.length) throw new RulebookError(d.id, problems);

  const clauses = new Map(d.clauses.map((c) => [c.id, c]));
  const sections = new Map(d.sections.map((s) => [s.id, s]));
  const units = new Map(d.units.map((u) => [u.name, u]));
  const unitNames = new Map<string, string>();
  for (const u of d.units) for (const n of [u.name, ...u.aliases]) unitNames.set(n, u.name);
  const organiserNames = new Map<string, string>();
  for (const o of d.organisers) for (const n of [o.name, ...o.aliases]) organiserNames.set(n, o.name);
  const sectionsByGroup = new Map(d.groups.map((g) => [g.id, d.sections.filter((s) => s.appliesTo.includes(g.id))]));
  const calendar = new WorkingCalendar(d.calendars);

  return {
    data: d,
    id: d.id,
    settings: d.settings,
    clauses,
    sections,
    units,
    groupIds: d.groups.map((g) => g.id),
    calendar,
    resolveUnit: (name) => unitNames.get(name.trim()),
    resolveOrganiser: (name) => organiserNames.get(name.trim()),
    baseFor: (group) => (sectionsByGroup.get(group) ?? []).reduce((a, s) => a + s.full, 0),
    sectionsFor: (group) => sectionsByGroup.get(group) ?? [],
    isDeductionClause: isDeduction,
    isBonusClause: (c) => !isDeduction(c),
    isRectifiable: (c) => isDeduction(c) && (!isMeasurement(c) || d.settings.threshold.rectifiable),
  };
}

const RULEBOOK_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'rulebooks');
const cache = new Map<string, Rulebook>();

/** Rulebooks are data files in rules/rulebooks/<id>.json; adding one needs no code. */
export function availableRulebooks(): string[] {
  return readdirSync(RULEBOOK_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function loadRulebook(id: string): Rulebook {
  const hit = cache.get(id);
  if (hit) return hit;
  if (!availableRulebooks().includes(id))
    throw new RulebookError(id, [`no rulebook named ${id} (have: ${availableRulebooks().join(', ')})`]);
  const raw: unknown = JSON.parse(readFileSync(join(RULEBOOK_DIR, `${id}.json`), 'utf8'));
  const rb = buildRulebook(raw, id);
  if (rb.id !== id) throw new RulebookError(id, [`file ${id}.json declares id ${rb.id}`]);
  cache.set(id, rb);
  return rb;
}
