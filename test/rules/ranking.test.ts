// Groups, ranks, quotas and ties at the cut (Semantics 7; score-command.md `units`), on the synthetic
// rulebook: groups big (10 units, base 100) and small (5 units, base 20), 20 % of each group's
// assessed units advanced (floor), all units tied at the cut included, disqualified units skipped.
import { describe, expect, it } from 'vitest';
import { codePointCompare, computeStandings } from '../../rules/engine/compute-standings.ts';
import { BIG, SMALL, syntheticRulebook } from '../support/synthetic-rulebook.ts';
import { score, unitOf, type RawFinding } from './support.ts';

// The ten big units in a shuffled order; the engine lists equals in code-point order (BIG).
const TEN = ['big-06', 'big-02', 'big-09', 'big-04', 'big-10', 'big-01', 'big-07', 'big-03', 'big-08', 'big-05'];

let seq = 0;
const BONUS: Record<1 | 2 | 3 | 10, Omit<RawFinding, 'id' | 'unit'>> = {
  1: { clause: 'LX', level: 'city' },
  2: { clause: 'L', level: 'lead' },
  3: { clause: 'LX', level: 'province' },
  10: { clause: 'FB' },
};
const bonus = (unit: string, points: 1 | 2 | 3 | 10): RawFinding => ({
  id: `b${seq++}`,
  unit,
  date: '2017-06-01',
  ...BONUS[points],
});
const excellence = (unit: string): RawFinding => ({ id: `y${seq++}`, unit, clause: 'D', date: '2017-06-01' }); // −1, disqualifies: excellence
const special = (unit: string): RawFinding => ({ id: `s${seq++}`, unit, clause: 'Q', date: '2017-06-01' }); // −3 in S2, disqualifies: special

const ranking = (st: ReturnType<typeof score>, group = 'big') =>
  st.units.filter((u) => u.group === group).map((u) => [u.unit, u.total, u.rank, u.advanced]);

describe('ranks', () => {
  it('with nothing to separate them, all share rank 1 and are listed in code-point order', () => {
    const st = score([], { units: TEN });
    expect(st.units.map((u) => u.unit)).toEqual(BIG);
    expect(st.units.every((u) => u.rank === 1 && u.total === 100)).toBe(true);
  });

  it('equal scores share a rank: 1, 2, 2, 4', () => {
    const st = score(
      [
        bonus('big-10', 2),
        bonus('big-09', 1),
        bonus('big-02', 1),
        special('big-06'),
        special('big-08'),
        special('big-08'),
      ],
      { units: TEN },
    );
    expect(ranking(st)).toEqual([
      ['big-10', 102, 1, true],
      ['big-02', 101, 2, true],
      ['big-09', 101, 2, true],
      ['big-01', 100, 4, false],
      ['big-03', 100, 4, false],
      ['big-04', 100, 4, false],
      ['big-05', 100, 4, false],
      ['big-07', 100, 4, false],
      ['big-06', 97, 9, false],
      ['big-08', 94, 10, false],
    ]);
  });

  it('halves rank like any other score', () => {
    const st = score(
      [
        { id: 'h1', unit: 'big-08', clause: 'L', level: 'support', date: '2017-06-01' }, // +0.5
        { id: 'h2', unit: 'big-05', clause: 'L', level: 'support', date: '2017-06-01' }, // +0.5
        { id: 'h3', unit: 'big-02', clause: 'L', level: 'lead', date: '2017-06-01' }, // +2
      ],
      { units: ['big-08', 'big-05', 'big-02', 'big-04'] },
    );
    expect(ranking(st)).toEqual([
      ['big-02', 102, 1, false],
      ['big-05', 100.5, 2, false],
      ['big-08', 100.5, 2, false],
      ['big-04', 100, 4, false],
    ]);
  });

  it('groups are ranked separately, in the rulebook’s order of groups', () => {
    const st = score([special('small-3'), bonus('big-02', 1)], {
      units: ['small-1', 'small-3', 'big-10', 'big-02'],
    });
    expect(st.units.map((u) => [u.unit, u.group, u.total, u.rank])).toEqual([
      ['big-02', 'big', 101, 1],
      ['big-10', 'big', 100, 2],
      ['small-1', 'small', 20, 1],
      ['small-3', 'small', 17, 2],
    ]);
  });

  it('among equals the order is Unicode code-point order, not UTF-16 order', () => {
    // U+FF21 (Ａ) < U+20000 (𠀀) by code point; as UTF-16 the surrogate 0xD840 sorts first.
    expect(codePointCompare('\uFF21', '\u{20000}')).toBeLessThan(0);
    expect('\u{20000}' < '\uFF21').toBe(true);
    const names = ['单位\u{20000}', '单位\uFF21', '单位B'];
    const rb = syntheticRulebook((d) => {
      d.units = names.map((name) => ({ name, group: 'big', aliases: [] }));
    });
    const st = computeStandings(rb, { year: 2017, asOf: '2017-12-31', units: names, findings: [] });
    expect(st.units.map((u) => u.unit)).toEqual(['单位B', '单位\uFF21', '单位\u{20000}']);
  });
});

describe('quota = floor(20% × assessed units in the group)', () => {
  it('every unit of the rulebook when `units` is absent: 10 → 2, 5 → 1', () => {
    const st = score([]);
    expect(st.units.length).toBe(15);
    expect(st.groups.big).toMatchObject({ assessed: 10, quota: 2 });
    expect(st.groups.small).toMatchObject({ assessed: 5, quota: 1 });
  });

  it.each([
    [1, 0],
    [4, 0],
    [5, 1],
    [9, 1],
    [10, 2],
  ])('%i assessed big units → quota %i', (n, quota) => {
    const st = score([], { units: BIG.slice(0, n) });
    expect(st.groups.big).toMatchObject({ assessed: n, quota });
    expect(st.groups.small).toMatchObject({ assessed: 0, quota: 0, advanced: [], tiedAtCut: false });
  });

  it('a subset of five → quota 1, findings of other units validated and ignored', () => {
    const st = score([bonus('big-05', 2), bonus('big-02', 1), bonus('big-07', 10)], {
      units: ['big-05', 'big-01', 'big-03', 'big-02', 'big-04'],
    });
    expect(st.units.length).toBe(5);
    expect(st.units.some((u) => u.unit === 'big-07')).toBe(false);
    expect(st.groups.big).toMatchObject({
      assessed: 5,
      quota: 1,
      advanced: ['big-05'],
      tiedAtCut: false,
      cutScore: 102,
    });
  });

  it('quota 0: nobody is advanced, no tie', () => {
    const st = score([bonus('small-1', 10)], { units: SMALL.slice(0, 4) });
    expect(st.groups.small).toMatchObject({ quota: 0, advanced: [], tiedAtCut: false, cutScore: null });
  });
});

describe('ties at the cut (10 units, quota 2)', () => {
  const adv = (st: ReturnType<typeof score>) => st.groups.big!;

  it('nothing separates the units: all ten are chosen and tiedAtCut is set', () => {
    const g = adv(score([], { units: TEN }));
    expect(g.advanced).toEqual(BIG);
    expect([g.quota, g.tiedAtCut, g.cutScore]).toEqual([2, true, 100]);
  });

  it('a tie at the second place adds a third unit', () => {
    const g = adv(score([bonus('big-10', 2), bonus('big-09', 1), bonus('big-02', 1)], { units: TEN }));
    expect(g.advanced).toEqual(['big-10', 'big-02', 'big-09']);
    expect(g.tiedAtCut).toBe(true);
  });

  it('with tiesAtCut exclude_all_tied, the tied units at the cut are all left out', () => {
    const rulebook = syntheticRulebook((d) => {
      d.settings.advanced.tiesAtCut = 'exclude_all_tied';
    });
    const g = adv(score([bonus('big-10', 2), bonus('big-09', 1), bonus('big-02', 1)], { units: TEN, rulebook }));
    expect(g.advanced).toEqual(['big-10']);
    expect([g.tiedAtCut, g.cutScore]).toEqual([true, 102]);
  });

  it('one clear leader, then a tie of nine: all ten', () => {
    const g = adv(score([bonus('big-10', 1)], { units: TEN }));
    expect(g.advanced).toEqual(['big-10', ...BIG.filter((u) => u !== 'big-10')]);
    expect(g.tiedAtCut).toBe(true);
  });

  it('a tie inside the quota adds nobody: tiedAtCut is false', () => {
    const g = adv(score([bonus('big-10', 1), bonus('big-02', 1)], { units: TEN }));
    expect(g.advanced).toEqual(['big-02', 'big-10']);
    expect(g.tiedAtCut).toBe(false);
  });

  it('exactly the quota: tiedAtCut is false', () => {
    const g = adv(score([bonus('big-10', 2), bonus('big-02', 1)], { units: TEN }));
    expect(g.advanced).toEqual(['big-10', 'big-02']);
    expect(g.tiedAtCut).toBe(false);
  });

  it('disqualified units are skipped while walking, and keep their rank', () => {
    const st = score(
      [bonus('big-03', 10), excellence('big-03'), bonus('big-10', 2), bonus('big-02', 1), bonus('big-09', 1)],
      { units: TEN },
    );
    expect(ranking(st).slice(0, 5)).toEqual([
      ['big-03', 109, 1, false],
      ['big-10', 102, 2, true],
      ['big-02', 101, 3, true],
      ['big-09', 101, 3, true],
      ['big-01', 100, 5, false],
    ]);
    expect(adv(st)).toMatchObject({ advanced: ['big-10', 'big-02', 'big-09'], tiedAtCut: true, cutScore: 101 });
  });

  it('a disqualified unit tied at the cut is not chosen and causes no tie', () => {
    const st = score([bonus('big-10', 2), bonus('big-02', 1), bonus('big-09', 2), excellence('big-09')], {
      units: TEN,
    });
    expect(unitOf(st, 'big-09')).toMatchObject({ total: 101, rank: 2, advanced: false, disqualified: ['excellence'] });
    expect(adv(st)).toMatchObject({ advanced: ['big-10', 'big-02'], tiedAtCut: false });
  });

  it('a disqualified unit inside a tie block is skipped and the walk goes on', () => {
    const st = score([bonus('big-02', 2), excellence('big-02'), bonus('big-09', 1), bonus('big-10', 1)], {
      units: TEN,
    });
    expect(ranking(st).slice(0, 3)).toEqual([
      ['big-02', 101, 1, false],
      ['big-09', 101, 1, true],
      ['big-10', 101, 1, true],
    ]);
    expect(adv(st)).toMatchObject({ advanced: ['big-09', 'big-10'], tiedAtCut: false });
  });

  it('fewer eligible units than the quota: all eligible ones, no tie', () => {
    const five = TEN.slice(0, 5); // quota 1
    const st = score(five.slice(0, 4).map(excellence), { units: five }); // only big-10 stays eligible
    expect(st.groups.big).toMatchObject({ quota: 1, advanced: ['big-10'], tiedAtCut: false });
    const none = score(five.map(special), { units: five });
    expect(none.groups.big).toMatchObject({ quota: 1, advanced: [], tiedAtCut: false, cutScore: null });
  });
});

describe('units and aliases', () => {
  it('aliases in `units` and in findings resolve to the canonical unit', () => {
    const st = score([{ id: 'f2', unit: 'first-big', clause: 'T', value: 87.4, date: '2017-09-30' }], {
      units: ['first-big', 'big-02'],
    });
    expect(st.units.map((u) => u.unit)).toEqual(['big-02', 'big-01']);
    expect(unitOf(st, 'big-01')).toMatchObject({ total: 98, rank: 2 });
  });

  it('a unit named twice (by name and alias) is assessed once', () => {
    const st = score([], { units: ['big-01', 'first-big'] });
    expect(st.units.map((u) => u.unit)).toEqual(['big-01']);
  });
});
