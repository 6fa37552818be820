import type { Rulebook } from '../rules/rulebook.ts';
import type { EngineFinding } from '../rules/engine/types.ts';

/**
 * The engine bench's yardstick: what scoring would cost if it were only the arithmetic, written
 * the obvious way. Findings grouped by unit and clause in a Map with string keys; each chain's
 * overdue deadlines (not rectified on time) sorted; each finding's earlier overdue count found by
 * binary search; amount × count × inspection × base^k summed per unit. Totals only: no sorting by
 * date, supersession, thresholds' shortfalls, sections, caps, ranks, quota or explanations.
 */
export function naiveTotals(rb: Rulebook, findings: readonly EngineFinding[], asOf: string): Map<string, number> {
  const chains = new Map<string, EngineFinding[]>();
  for (const f of findings) {
    if (f.date > asOf) continue;
    const key = `${f.unit}\u0000${f.clause}`;
    const chain = chains.get(key);
    if (chain) chain.push(f);
    else chains.set(key, [f]);
  }
  const s = rb.settings;
  const inspection = new Set(s.inspection.sources);
  const totals = new Map<string, number>();
  for (const chain of chains.values()) {
    const clause = rb.clauses.get(chain[0]!.clause)!;
    const overdue: string[] = [];
    for (const f of chain)
      if (!f.withdrawn && f.deadline !== null && !(f.rectifiedOn !== null && f.rectifiedOn <= f.deadline))
        overdue.push(f.deadline);
    overdue.sort();
    let sum = 0;
    for (const f of chain) {
      if (f.withdrawn) continue;
      let lo = 0,
        hi = overdue.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (overdue[mid]! < f.date) lo = mid + 1;
        else hi = mid;
      }
      const amount = clause.kind === 'tiered' ? levelAmount(clause.levels, f.level) : clause.amount;
      sum +=
        amount * f.count * (inspection.has(f.source) ? s.inspection.multiplier : 1) * s.repeatEscalation.base ** lo;
    }
    const unit = chain[0]!.unit;
    totals.set(unit, (totals.get(unit) ?? 0) + sum);
  }
  return totals;
}

function levelAmount(levels: ReadonlyArray<{ id: string; amount: number }>, id: string | null | undefined): number {
  for (const l of levels) if (l.id === id) return l.amount;
  return 0;
}
