// Who is advanced, said honestly. With ties at the cut the engine marks every tied unit advanced
// (the rulebook's include_all_tied), so a group with 8 places can show 28 "advanced" units. What
// people are told separates the units clearly inside the quota from those tied at the cut, which
// the office must resolve; lists are in the /standings order (rank, then name in code-point order).

export interface RankedUnit {
  unit: string;
  total: number;
  rank: number;
  advanced: boolean;
}

export interface AdvancedSplit {
  /** Advanced without doubt: scoring above the cut. All advanced units when there is no tie. */
  settled: string[];
  /** Tied at the cut for the `remaining` places; empty without a tie. */
  tied: string[];
  remaining: number;
  cut: number | null;
}

/** The /standings order: rank, then name by code point. */
export function byRankThenName(a: RankedUnit, b: RankedUnit): number {
  return a.rank - b.rank || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0);
}

export function splitAdvanced(units: readonly RankedUnit[], quota: number): AdvancedSplit {
  const advanced = units.filter((u) => u.advanced).sort(byRankThenName);
  if (advanced.length <= quota)
    return { settled: advanced.map((u) => u.unit), tied: [], remaining: 0, cut: advanced.at(-1)?.total ?? null };
  const cut = Math.min(...advanced.map((u) => u.total));
  const settled = advanced.filter((u) => u.total > cut).map((u) => u.unit);
  return {
    settled,
    tied: advanced.filter((u) => u.total === cut).map((u) => u.unit),
    remaining: quota - settled.length,
    cut,
  };
}
