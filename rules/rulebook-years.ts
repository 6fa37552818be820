import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildRulebook, loadRulebook, RulebookError, type Rulebook } from './rulebook.ts';

// The assessment years one deployment holds side by side (the turn of the year: December is still
// closed and published while the new year's findings are filed). The deployment names one rulebook
// (KAOPING_RULEBOOK); each following year's rulebook is, until the office changes it, a copy of
// the year before with the new year — so it needs that year's official calendar, and it passes the
// same two-pass validation as any rulebook (a year without a calendar has no rulebook, and its
// findings are refused). The office changes a year by putting the whole rulebook for it in
// rules/rulebooks/<id>.years/<year>.json (same id, that year), validated the same way.
// Every year keeps the deployment's rulebook id: it is the store's key for the units, months and
// ledgers the years share; the year tells them apart.

/** The following year's rulebook as a copy of `prev`, or null when there is no calendar for it. */
export function followingYear(prev: Rulebook): Rulebook | null {
  const year = prev.data.year + 1;
  if (!prev.data.calendars[String(year)]) return null;
  return buildRulebook({ ...prev.data, year }, `${prev.id} (${year})`);
}

/**
 * The base year and every following year that has a rulebook: the office's own (`changed`, raw
 * JSON by year) or else a copy of the year before. Consecutive: the first year without one ends it.
 */
export function rulebookYears(base: Rulebook, changed: ReadonlyMap<number, unknown> = new Map()): Rulebook[] {
  const years = [base];
  const unused = new Set(changed.keys());
  for (let prev = base; ; ) {
    const year = prev.data.year + 1;
    const raw = changed.get(year);
    unused.delete(year);
    const next = raw === undefined ? followingYear(prev) : officeRulebook(base, year, raw);
    if (!next) break;
    years.push(next);
    prev = next;
  }
  for (const year of unused)
    if (year <= base.data.year)
      throw new RulebookError(base.id, [`rulebook for ${year} is not after ${base.data.year}`]);
    else throw new RulebookError(base.id, [`rulebook for ${year} follows a year that has none`]);
  return years;
}

function officeRulebook(base: Rulebook, year: number, raw: unknown): Rulebook {
  const rb = buildRulebook(raw, `${base.id} (${year})`);
  const problems: string[] = [];
  if (rb.id !== base.id) problems.push(`the ${year} rulebook declares id ${rb.id}, not ${base.id}`);
  if (rb.data.year !== year) problems.push(`the ${year} rulebook declares year ${rb.data.year}`);
  if (problems.length) throw new RulebookError(base.id, problems);
  return rb;
}

const RULEBOOK_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'rulebooks');

/** The years of the deployment's rulebook `id`, with the office's changed years from rules/rulebooks/<id>.years/. */
export function loadRulebookYears(id: string): Rulebook[] {
  const base = loadRulebook(id);
  const yearsDir = join(RULEBOOK_DIR, `${id}.years`);
  const changed = new Map<number, unknown>();
  if (existsSync(yearsDir))
    for (const file of readdirSync(yearsDir)) {
      const m = /^(\d{4})\.json$/.exec(file);
      if (!m) throw new RulebookError(id, [`${id}.years/${file}: expected <year>.json`]);
      changed.set(Number(m[1]), JSON.parse(readFileSync(join(yearsDir, file), 'utf8')));
    }
  return rulebookYears(base, changed);
}
