import type { Standings } from '../engine/types.ts';

const pad = (s: string, n: number) =>
  s + ' '.repeat(Math.max(0, n - [...s].reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1), 0)));

/** A terminal table of the standings, one group after another, for the quick-start demo. */
export function formatStandingsTable(st: Standings): string {
  const lines: string[] = [`${st.rulebook} · ${st.year} · as of ${st.asOf}`];
  for (const [group, g] of Object.entries(st.groups)) {
    lines.push(
      '',
      `${group}: ${g.assessed} units, quota ${g.quota}, advanced: ${g.advanced.join('、') || '—'}${g.tiedAtCut ? ' (tie at the cut)' : ''}`,
    );
    lines.push(`  ${pad('rank', 5)} ${pad('unit', 26)} ${pad('total', 7)} ${pad('−', 6)} ${pad('+', 5)} flags`);
    for (const u of st.units.filter((x) => x.group === group)) {
      const flags = [u.advanced ? 'advanced' : '', ...u.disqualified].filter(Boolean).join(' ');
      lines.push(
        `  ${pad(String(u.rank), 5)} ${pad(u.unit, 26)} ${pad(String(u.total), 7)} ${pad(String(u.deductions), 6)} ${pad(String(u.bonuses), 5)} ${flags}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
