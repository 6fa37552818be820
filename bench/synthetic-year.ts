import type { Rulebook } from '../rules/rulebook.ts';
import type { EngineFinding } from '../rules/engine/types.ts';
import { isoFromDay, dayNumber } from '../rules/dates.ts';

/** A deterministic pseudo-random generator (mulberry32), so every run scores the same year. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n valid findings spread over the year and all 59 units, with every clause kind represented. */
export function syntheticYear(rb: Rulebook, n: number, seed = 2017): EngineFinding[] {
  const r = rng(seed);
  const units = [...rb.units.values()];
  const first = dayNumber(`${rb.data.year}-01-03`),
    span = 350;
  const bySection = new Map<string, string[]>();
  for (const c of rb.clauses.values()) bySection.set(c.section, [...(bySection.get(c.section) ?? []), c.id]);
  const out: EngineFinding[] = [];
  for (let i = 0; i < n; i++) {
    const unit = units[Math.floor(r() * units.length)]!;
    const sections = rb.sectionsFor(unit.group);
    const section = sections[Math.floor(r() * sections.length)]!;
    const ids = bySection.get(section.id)!;
    const clause = rb.clauses.get(ids[Math.floor(r() * ids.length)]!)!;
    const date = isoFromDay(first + Math.floor(r() * span));
    const rectifiable = rb.isRectifiable(clause);
    const deadline = rectifiable ? isoFromDay(dayNumber(date) + 14) : null;
    const roll = r();
    out.push({
      id: `s${i}`,
      unit: unit.name,
      clause: clause.id,
      date,
      filedSeq: i,
      count: clause.kind === 'per_item' || (clause.kind === 'tiered' && clause.perItem) ? 1 + Math.floor(r() * 3) : 1,
      value: clause.kind === 'threshold' ? Math.round((80 + r() * 20) * 10) / 10 : null,
      level: clause.kind === 'tiered' ? clause.levels[Math.floor(r() * clause.levels.length)]!.id : null,
      source: roll < 0.1 ? 'provincial_inspection' : roll < 0.2 ? 'municipal_inspection' : 'routine',
      deadline,
      rectifiedOn: deadline && r() < 0.97 ? isoFromDay(dayNumber(date) + Math.floor(r() * 16)) : null,
      withdrawn: r() < 0.02,
    });
  }
  return out;
}
