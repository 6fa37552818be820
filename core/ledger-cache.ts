import type { AssessmentStore, LedgerRow, StoredFinding } from './ports/assessment-store.port.ts';
import type { Rulebook } from '../rules/rulebook.ts';
import { explainFindings, rankStandings, scoreUnit } from '../rules/engine/compute-standings.ts';
import type { EngineFinding, FindingResult, Standings, UnitStanding } from '../rules/engine/types.ts';
import type { FindingView } from './assessment-api.ts';
import { toEngineFinding, toFindingView } from './finding-view.ts';

function addToClause(byClause: Map<string, EngineFinding[]>, e: EngineFinding): void {
  const list = byClause.get(e.clause);
  if (list) list.push(e);
  else byClause.set(e.clause, [e]);
}

const byDateThenSeq = (a: LedgerRow, b: LedgerRow): number =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq;

/**
 * A year's findings and standings kept in memory and refreshed incrementally from the store of
 * record: each refresh reads the ledger version, fetches only rows changed since the cached
 * version, and rescores only the units those rows belong to (a unit's score depends only on its
 * own findings), then re-ranks. PostgreSQL stays the truth; this is a read cache.
 *
 * The cold start reads only the engine's columns (store.ledgerRows); a finding's display fields
 * (evidence, filer, timestamps) are read the first time one of its unit's findings is shown, and
 * kept: every later change arrives as a whole row through findingsChangedSince.
 *
 * A unit contact's first question need not wait for the whole year (at 100k findings its read is
 * most of a cold start): refreshUnit reads that one unit's whole rows at a ledger version of their
 * own while the year loads behind it. Until the year is in, each unit read that way is at its own
 * version (versionOf); when the year lands it replaces them all, and the next refresh catches up.
 */
export class LedgerCache {
  private version = -1n;
  private readonly findings = new Map<string, LedgerRow>();
  private readonly byUnit = new Map<string, Map<string, LedgerRow>>();
  private readonly engineByUnit = new Map<string, EngineFinding[]>();
  /**
   * unit → clause → the unit's engine findings of that clause: what a filing's own result is
   * explained from (resultOf). Made for a unit when one of its findings is first explained, then
   * kept in step by patchEngine (a filing adds one entry) and dropped when the unit's array is
   * rebuilt. Only resultOf reads it, synchronously, so its lists change in place.
   */
  private readonly engineByClause = new Map<string, Map<string, EngineFinding[]>>();
  /** Whole rows of the findings someone has been shown, or that changed since the cold start. */
  private readonly display = new Map<string, StoredFinding>();
  /** unit → its findings by date then filing number, until the unit changes */
  private readonly sortedByUnit = new Map<string, LedgerRow[]>();
  /** unit → its findings' views as of `today`, until the unit changes or the day turns */
  private readonly viewsByUnit = new Map<string, { today: string; views: FindingView[] }>();
  /** asOf → unit → scored (unranked) standing */
  private readonly scored = new Map<string, Map<string, UnitStanding>>();
  private readonly ranked = new Map<string, Standings>();
  /** Rows this process has just written, by the ledger version that is exactly their change. */
  private readonly offered = new Map<bigint, StoredFinding>();
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /**
   * While cold: the ledger version of each unit read on its own (refreshUnit). Its rows, engine
   * array and whole rows are in byUnit, engineByUnit and display like any unit's; `findings` does
   * not hold them (only a whole year answers for every finding).
   */
  private readonly unitVersions = new Map<string, bigint>();
  /** While cold: the unit read running, and the one queued after it, per unit (as refresh's). */
  private readonly unitRunning = new Map<string, Promise<void>>();
  private readonly unitQueued = new Map<string, Promise<void>>();

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

  /**
   * Brings one unit up to the store's current ledger version: afterwards unitStanding(unit, …) and
   * viewsOf(unit, …) reflect every change committed before the call. Warm, that is refresh().
   * Cold, the whole year starts loading in the background and the unit's own whole rows are read
   * meanwhile (a unit's score depends only on its own findings), so a unit contact's first answer
   * costs one unit, not the year. Callers who need other units, ranks or `findings` use refresh().
   */
  refreshUnit(unit: string): Promise<void> {
    if (this.version >= 0n) return this.refresh();
    this.loadYearBehind();
    const running = this.unitRunning.get(unit);
    if (!running) {
      const read = this.readUnit(unit).finally(() => this.unitRunning.delete(unit));
      this.unitRunning.set(unit, read);
      return read;
    }
    // As in refresh: a read already running may have taken its snapshot before this call's change.
    let queued = this.unitQueued.get(unit);
    if (!queued) {
      queued = running
        .catch(() => undefined)
        .then(() => {
          this.unitQueued.delete(unit);
          return this.refreshUnit(unit);
        });
      this.unitQueued.set(unit, queued);
    }
    return queued;
  }

  /**
   * The ledger version a unit's findings in the cache are at: its own read's while the cache is
   * cold, else the cache's. What is built from a unit's findings is current while this is unchanged.
   */
  versionOf(unit: string): bigint {
    return this.version >= 0n ? this.version : (this.unitVersions.get(unit) ?? -1n);
  }

  /** The cold whole-year load, started unless one is running; its failure is the next refresh's to see. */
  private loadYearBehind(): void {
    if (!this.running) this.refresh().catch(() => undefined);
  }

  private async readUnit(unit: string): Promise<void> {
    const { version, findings } = await this.store.unitFindings(this.rb.id, this.year, unit);
    // The year landed first: it is the state now, and it may be older than this read, so catch up
    // rather than put one unit ahead of the version the cache says it is at.
    if (this.version >= 0n) return this.refresh();
    const rows = new Map<string, LedgerRow>();
    for (const f of findings) {
      rows.set(f.id, f);
      this.keepDisplay(f);
    }
    this.byUnit.set(unit, rows);
    this.rebuildEngine(unit);
    this.forgetBuilt([unit]);
    this.unitVersions.set(unit, version);
  }

  /**
   * Before the year's rows are installed: units read on their own may be at newer versions than
   * the year's snapshot, so they are dropped rather than mixed in (the year is then one version
   * throughout; the next refresh brings it up through findingsChangedSince). Whole rows in
   * `display` stay: keepDisplay never lets an older row replace a newer one.
   */
  private dropUnitReads(): void {
    this.byUnit.clear();
    this.engineByUnit.clear();
    this.engineByClause.clear();
    this.sortedByUnit.clear();
    this.viewsByUnit.clear();
    this.scored.clear();
    this.ranked.clear();
    this.unitVersions.clear();
  }

  private async doRefresh(): Promise<void> {
    const current = await this.store.ledgerVersion(this.rb.id, this.year);
    if (current === this.version) return;
    const cold = this.version < 0n;
    // Every version since ours is a row this process just wrote and offered: nothing to read back.
    const own = cold ? undefined : this.offeredUpTo(current);
    const changed: readonly LedgerRow[] = cold
      ? await this.store.ledgerRows(this.rb.id, this.year)
      : (own ?? (await this.store.findingsChangedSince(this.rb.id, this.year, this.version)));
    const dirty = new Set<string>();
    /** units whose engine arrays are rebuilt whole (the cold start, a finding moved between units) */
    const rebuild = new Set<string>();
    /** units whose engine arrays this refresh has already copied (copy on write: readers keep theirs) */
    const copied = new Map<string, EngineFinding[]>();
    let seen = current;
    if (cold) this.dropUnitReads();
    for (const f of changed) {
      const old = this.findings.get(f.id);
      if (old && old.unit !== f.unit) {
        this.byUnit.get(old.unit)?.delete(f.id);
        dirty.add(old.unit);
        rebuild.add(old.unit);
        rebuild.add(f.unit);
      }
      this.findings.set(f.id, f);
      if (!cold) this.keepDisplay(f as StoredFinding);
      let unitMap = this.byUnit.get(f.unit);
      if (!unitMap) {
        unitMap = new Map();
        this.byUnit.set(f.unit, unitMap);
      }
      unitMap.set(f.id, f);
      dirty.add(f.unit);
      if (!cold && !rebuild.has(f.unit)) this.patchEngine(f, old === undefined, copied);
      if (f.changeSeq > seen) seen = f.changeSeq;
    }
    // Writers serialise on the ledger row, so versions commit in order: everything up to `seen` is here.
    this.version = seen;
    for (const v of this.offered.keys()) if (v <= seen) this.offered.delete(v);
    if (dirty.size === 0) return;
    // At the cold start every row is converted once; later a change patches its unit's array (one
    // conversion and a copy), and only a finding moved to another unit rebuilds the two units' arrays.
    for (const unit of cold ? dirty : rebuild) this.rebuildEngine(unit);
    this.forgetBuilt(dirty);
  }

  /** What was built from these units' findings (sorted lists, views, scores) and every ranking. */
  private forgetBuilt(units: Iterable<string>): void {
    for (const unit of units) {
      this.sortedByUnit.delete(unit);
      this.viewsByUnit.delete(unit);
      for (const perUnit of this.scored.values()) perUnit.delete(unit);
    }
    this.ranked.clear();
  }

  /**
   * The rows offered for every version after the cache's up to `current`, in version order, or
   * undefined when one of them was not written here (or not yet offered): then they are read.
   */
  private offeredUpTo(current: bigint): LedgerRow[] | undefined {
    if (current <= this.version || current - this.version > 64n) return undefined;
    const rows: LedgerRow[] = [];
    for (let v = this.version + 1n; v <= current; v++) {
      const row = this.offered.get(v);
      if (!row) return undefined;
      rows.push(row);
    }
    return rows;
  }

  private rebuildEngine(unit: string): void {
    const rows = [...(this.byUnit.get(unit)?.values() ?? [])];
    const engine = new Array<EngineFinding>(rows.length);
    for (let i = 0; i < rows.length; i++) engine[i] = toEngineFinding(rows[i]!);
    this.engineByUnit.set(unit, engine);
    this.engineByClause.delete(unit);
  }

  /**
   * One changed row into its unit's engine array, in the same order as the unit's rows: a new
   * finding at the end, a changed one in its place (found by a scan of its unit's findings; changes
   * to existing findings are the rarer kind, and no index of a whole year is kept for them).
   */
  private patchEngine(f: LedgerRow, isNew: boolean, copied: Map<string, EngineFinding[]>): void {
    let engine = copied.get(f.unit);
    if (!engine) {
      engine = (this.engineByUnit.get(f.unit) ?? []).slice();
      copied.set(f.unit, engine);
      this.engineByUnit.set(f.unit, engine);
    }
    const e = toEngineFinding(f);
    const at = isNew ? -1 : engine.findIndex((x) => x.id === f.id);
    if (at >= 0) engine[at] = e;
    else engine.push(e);
    const byClause = this.engineByClause.get(f.unit);
    if (!byClause) return;
    // a changed finding may have changed clause: it leaves whichever list holds it
    if (!isNew)
      for (const list of byClause.values()) {
        const k = list.findIndex((x) => x.id === f.id);
        if (k >= 0) {
          list.splice(k, 1);
          break;
        }
      }
    addToClause(byClause, e);
  }

  /** The unit's engine findings of one clause (see engineByClause). */
  private clauseFindings(unit: string, clause: string): readonly EngineFinding[] {
    let byClause = this.engineByClause.get(unit);
    if (!byClause) {
      byClause = new Map();
      for (const e of this.engineByUnit.get(unit) ?? []) addToClause(byClause, e);
      this.engineByClause.set(unit, byClause);
    }
    return byClause.get(clause) ?? [];
  }

  /** The ledger version the cache holds (after a refresh: at least every change committed before it). */
  get currentVersion(): bigint {
    return this.version;
  }

  /**
   * A finding this process has just filed, whose ledger version is exactly this one change (a
   * single filing's version covers no other row): the next refresh that moves to that version
   * takes it as it is instead of reading it back.
   */
  offer(f: StoredFinding): void {
    if (this.version >= 0n && f.changeSeq > this.version) this.offered.set(f.changeSeq, f);
  }

  /**
   * One finding's result as of a day, explained from its own clause's findings only: repeat
   * chains and supersession never cross clauses, so this equals its result in the unit's standing
   * without explaining the unit's whole year. Undefined when the cache does not hold it.
   */
  resultOf(f: Pick<LedgerRow, 'id' | 'unit' | 'clauseId'>, asOf: string): FindingResult | undefined {
    return explainFindings(this.rb, f.unit, this.clauseFindings(f.unit, f.clauseId), asOf, f.id)[0];
  }

  /** The held ledger rows of these findings, in the order asked (those not held are left out). */
  rowsOf(ids: readonly string[]): LedgerRow[] {
    const out: LedgerRow[] = [];
    for (const id of ids) {
      const row = this.findings.get(id);
      if (row) out.push(row);
    }
    return out;
  }

  /** Keeps a whole row unless a newer one of the same finding is already kept (reads may race refreshes). */
  private keepDisplay(f: StoredFinding): void {
    const kept = this.display.get(f.id);
    if (!kept || kept.changeSeq <= f.changeSeq) this.display.set(f.id, f);
  }

  /** Whole rows for these cached findings, reading the display fields of those not yet kept. */
  private async wholeRows(rows: readonly LedgerRow[]): Promise<StoredFinding[]> {
    const missing = rows.filter((r) => !this.display.has(r.id)).map((r) => r.id);
    if (missing.length) for (const f of await this.store.findingsByIds(missing)) this.keepDisplay(f);
    return rows.map((r) => {
      const f = this.display.get(r.id);
      if (!f) throw new Error(`finding ${r.id} is in the ledger cache but not in the store`);
      return f;
    });
  }

  private sortedOf(unit: string): LedgerRow[] {
    const kept = this.sortedByUnit.get(unit);
    if (kept) return kept;
    const sorted = [...(this.byUnit.get(unit)?.values() ?? [])].sort(byDateThenSeq);
    this.sortedByUnit.set(unit, sorted);
    return sorted;
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

  /**
   * One unit's standing as of a day, scored alone: no other unit is scored and nothing is
   * ranked, so its `rank` and `advanced` mean nothing (a unit contact's breakdown shows neither).
   * Kept with the day's other scored units until the unit changes.
   */
  unitStanding(unit: string, asOf: string): UnitStanding {
    let perUnit = this.scored.get(asOf);
    if (!perUnit) {
      if (this.scored.size >= 8) this.scored.delete(this.scored.keys().next().value!);
      perUnit = new Map();
      this.scored.set(asOf, perUnit);
    }
    let s = perUnit.get(unit);
    if (!s) {
      s = scoreUnit(this.rb, unit, this.engineByUnit.get(unit) ?? [], asOf);
      perUnit.set(unit, s);
    }
    return s;
  }

  /** A unit's findings by date, then filing number. */
  findingsOf(unit: string): Promise<StoredFinding[]> {
    return this.wholeRows(this.sortedOf(unit));
  }

  /**
   * A unit's findings as views seen on `today`, by date then filing number; kept until the unit
   * changes or the day turns, so callers must not change them.
   */
  async viewsOf(unit: string, today: string): Promise<readonly FindingView[]> {
    const hit = this.viewsByUnit.get(unit);
    if (hit?.today === today) return hit.views;
    const sorted = this.sortedOf(unit);
    const views = (await this.wholeRows(sorted)).map((f) => toFindingView(this.rb, f, today));
    // A refresh while the display fields were read may have changed the unit: keep only a current list.
    if (this.sortedByUnit.get(unit) === sorted) this.viewsByUnit.set(unit, { today, views });
    return views;
  }

  /** Findings that still await rectification (filed or submitted, with a deadline); `keep` picks among them. */
  openFindings(keep: (f: LedgerRow) => boolean = () => true): Promise<StoredFinding[]> {
    const out: LedgerRow[] = [];
    for (const f of this.findings.values())
      if (f.deadline !== null && (f.status === 'filed' || f.status === 'submitted') && keep(f)) out.push(f);
    out.sort((a, b) => (a.deadline! < b.deadline! ? -1 : a.deadline! > b.deadline! ? 1 : a.seq - b.seq));
    return this.wholeRows(out);
  }
}
