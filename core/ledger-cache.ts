import type { AssessmentStore, StoredFinding } from './ports/assessment-store.port.ts';
import type { Rulebook } from '../rules/rulebook.ts';
import { rankStandings, scoreUnit } from '../rules/engine/compute-standings.ts';
import type { EngineFinding, Standings, UnitStanding } from '../rules/engine/types.ts';
import { toEngineFinding } from './finding-view.ts';

/**
 * A year's findings and standings kept in memory and refreshed incrementally from the store of
 * record: each refresh reads the ledger version, fetches only rows changed since the cached
 * version, and rescores only the units those rows belong to (a unit's score depends only on its
 * own findings), then re-ranks. PostgreSQL stays the truth; this is a read cache.
 */
export class LedgerCache {
  private version = -1n;
  private readonly findings = new Map<string, StoredFinding>();
  private readonly byUnit = new Map<string, Map<string, StoredFinding>>();
  private readonly engineByUnit = new Map<string, EngineFinding[]>();
  /** asOf → unit → scored (unranked) standing */
  private readonly scored = new Map<string, Map<string, UnitStanding>>();
  private readonly ranked = new Map<string, Standings>();
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(
    private readonly rb: Rulebook,
    private readonly store: AssessmentStore,
    private readonly year: number,
  ) {}

  /**
   * Brings the cache up to the store's current ledger version (one cheap query when unchanged).
   * A caller must see every change committed before it called, so joining a pass that is already
   * running is not enough: it waits for one more pass that starts after the running one.
   */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.doRefresh().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.refresh();
      });
    return this.queued;
  }

  private async doRefresh(): Promise<void> {
    const current = await this.store.ledgerVersion(this.rb.id, this.year);
    if (current === this.version) return;
    const changed =
      this.version < 0n
        ? await this.store.findingsForYear(this.rb.id, this.year)
        : await this.store.findingsChangedSince(this.rb.id, this.year, this.version);
    const dirty = new Set<string>();
    let seen = current;
    for (const f of changed) {
      const old = this.findings.get(f.id);
      if (old && old.unit !== f.unit) {
        this.byUnit.get(old.unit)?.delete(f.id);
        dirty.add(old.unit);
      }
      this.findings.set(f.id, f);
      let unitMap = this.byUnit.get(f.unit);
      if (!unitMap) {
        unitMap = new Map();
        this.byUnit.set(f.unit, unitMap);
      }
      unitMap.set(f.id, f);
      dirty.add(f.unit);
      if (f.changeSeq > seen) seen = f.changeSeq;
    }
    // Writers serialise on the ledger row, so versions commit in order: everything up to `seen` is here.
    this.version = seen;
    if (dirty.size === 0) return;
    for (const unit of dirty)
      this.engineByUnit.set(unit, [...(this.byUnit.get(unit)?.values() ?? [])].map(toEngineFinding));
    for (const perUnit of this.scored.values()) for (const unit of dirty) perUnit.delete(unit);
    this.ranked.clear();
  }

  standings(asOf: string): Standings {
    const hit = this.ranked.get(asOf);
    if (hit) return hit;
    let perUnit = this.scored.get(asOf);
    if (!perUnit) {
      if (this.scored.size >= 8) this.scored.delete(this.scored.keys().next().value!);
      perUnit = new Map();
      this.scored.set(asOf, perUnit);
    }
    const units: UnitStanding[] = [];
    for (const unit of this.rb.units.keys()) {
      let s = perUnit.get(unit);
      if (!s) {
        s = scoreUnit(this.rb, unit, this.engineByUnit.get(unit) ?? [], asOf);
        perUnit.set(unit, s);
      }
      units.push(s);
    }
    // Ranking mutates rank/advanced, so each as-of date keeps its own scored objects.
    const st = rankStandings(this.rb, { year: this.year, asOf, units });
    if (this.ranked.size >= 8) this.ranked.delete(this.ranked.keys().next().value!);
    this.ranked.set(asOf, st);
    return st;
  }

  findingsOf(unit: string): StoredFinding[] {
    return [...(this.byUnit.get(unit)?.values() ?? [])].sort((a, b) =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq,
    );
  }

  /** Findings that still await rectification (filed or submitted, with a deadline). */
  openFindings(): StoredFinding[] {
    const out: StoredFinding[] = [];
    for (const f of this.findings.values())
      if (f.deadline !== null && (f.status === 'filed' || f.status === 'submitted')) out.push(f);
    return out.sort((a, b) => (a.deadline! < b.deadline! ? -1 : a.deadline! > b.deadline! ? 1 : a.seq - b.seq));
  }
}
