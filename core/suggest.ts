import type { Rulebook } from '../rules/rulebook.ts';

// "Did you mean …": the closest unit names (or aliases) and clause ids to a typo, for every
// platform's refusal. Plain edit distance over code points; names are short, the lists small.

const MAX_SUGGESTIONS = 3;

function distance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

function closest(typed: string, candidates: ReadonlyArray<{ word: string; answer: string }>): string[] {
  const t = typed.trim().toLowerCase();
  if (t === '') return [];
  const budget = Math.max(1, Math.floor([...t].length / 3));
  const scored = new Map<string, number>();
  for (const c of candidates) {
    const w = c.word.toLowerCase();
    const d = w.includes(t) || t.includes(w) ? 0.5 : distance(t, w);
    if (d > budget) continue;
    const prior = scored.get(c.answer);
    if (prior === undefined || d < prior) scored.set(c.answer, d);
  }
  return [...scored.entries()]
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_SUGGESTIONS)
    .map(([answer]) => answer);
}

/** Assessed units whose name or alias is close to what was typed (canonical names). */
export function suggestUnits(rb: Rulebook, typed: string): string[] {
  return closest(
    typed,
    rb.data.units.flatMap((u) => [u.name, ...u.aliases].map((word) => ({ word, answer: u.name }))),
  );
}

/** Clause ids close to what was typed ("2.1.1" → 2.1.1a, 2.1.1b …; "2.11a" → 2.1.1a). */
export function suggestClauses(rb: Rulebook, typed: string): string[] {
  const t = typed.trim().toLowerCase();
  const ids = [...rb.clauses.keys()];
  const prefixed = ids.filter((id) => id.startsWith(t) && t.length >= 3);
  if (prefixed.length > 0) return prefixed.slice(0, MAX_SUGGESTIONS);
  return closest(
    t,
    ids.map((id) => ({ word: id, answer: id })),
  );
}
