// Groups, ranks, quotas and ties at the cut (Semantics 7; score-command.md `units`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRulebook } from '../../rules/rulebook.ts';
import { codePointCompare, computeStandings } from '../../rules/engine/compute-standings.ts';
import { score, unitOf, type RawFinding } from './support.ts';

// Ten with_matters units; in code-point order of their names:
// 市人力社保局 < 市公安局 < 市发改委 < 市司法局 < 市教育局 < 市民政局 < 市民族宗教局 < 市科委 < 市经信委 < 市财政局
const TEN = [
  '市发改委',
  '市经信委',
  '市教育局',
  '市科委',
  '市民族宗教局',
  '市公安局',
  '市民政局',
  '市司法局',
  '市财政局',
  '市人力社保局',
];
const TEN_SORTED = [
  '市人力社保局',
  '市公安局',
  '市发改委',
  '市司法局',
  '市教育局',
  '市民政局',
  '市民族宗教局',
  '市科委',
  '市经信委',
  '市财政局',
];

let seq = 0;
const bonus = (unit: string, points: 1 | 2 | 4 | 5): RawFinding =>
  points === 5
    ? { id: `b${seq++}`, unit, clause: '6.1.1c', date: '2017-06-01' }
    : {
        id: `b${seq++}`,
        unit,
        clause: '6.1.1a',
        level: { 1: 'city', 2: 'province', 4: 'national' }[points],
        date: '2017-06-01',
      };
const yearEnd = (unit: string): RawFinding => ({ id: `y${seq++}`, unit, clause: '1.1.3a', date: '2017-06-01' }); // −2, year_end_excellence
const special = (unit: string): RawFinding => ({ id: `s${seq++}`, unit, clause: '1.2.1a', date: '2017-06-01' }); // −1, special_award

const ranking = (st: ReturnType<typeof score>, group = 'with_matters') =>
  st.units.filter((u) => u.group === group).map((u) => [u.unit, u.total, u.rank, u.advanced]);

describe('ranks', () => {
  it('with nothing to separate them, all share rank 1 and are listed in code-point order', () => {
    const st = score([], { units: TEN });
    expect(st.units.map((u) => u.unit)).toEqual(TEN_SORTED);
    expect(st.units.every((u) => u.rank === 1 && u.total === 100)).toBe(true);
  });

  it('equal scores share a rank: 1, 2, 2, 4', () => {
    const st = score(
      [
        bonus('市财政局', 2),
        bonus('市经信委', 1),
        bonus('市公安局', 1),
        special('市民政局'),
        special('市科委'),
        special('市科委'),
      ],
      { units: TEN },
    );
    expect(ranking(st)).toEqual([
      ['市财政局', 102, 1, true],
      ['市公安局', 101, 2, true],
      ['市经信委', 101, 2, true],
      ['市人力社保局', 100, 4, false],
      ['市发改委', 100, 4, false],
      ['市司法局', 100, 4, false],
      ['市教育局', 100, 4, false],
      ['市民族宗教局', 100, 4, false],
      ['市民政局', 99, 9, false],
      ['市科委', 98, 10, false],
    ]);
  });

  it('halves rank like any other score', () => {
    const st = score(
      [
        { id: 'h1', unit: '市科委', clause: '4.2.1b', level: 'support', date: '2017-06-01' },
        { id: 'h2', unit: '市教育局', clause: '4.2.1b', level: 'support', date: '2017-06-01' },
        { id: 'h3', unit: '市公安局', clause: '4.2.1b', level: 'lead', date: '2017-06-01' },
      ],
      { units: ['市科委', '市教育局', '市公安局', '市司法局'] },
    );
    expect(ranking(st)).toEqual([
      ['市公安局', 101, 1, false],
      ['市教育局', 100.5, 2, false],
      ['市科委', 100.5, 2, false],
      ['市司法局', 100, 4, false],
    ]);
  });

  it('groups are ranked separately, with_matters listed first', () => {
    const st = score([special('市审计局'), bonus('市公安局', 1)], {
      units: ['市统计局', '市审计局', '市财政局', '市公安局'],
    });
    expect(st.units.map((u) => [u.unit, u.group, u.total, u.rank])).toEqual([
      ['市公安局', 'with_matters', 101, 1],
      ['市财政局', 'with_matters', 100, 2],
      ['市统计局', 'without_matters', 20, 1],
      ['市审计局', 'without_matters', 19, 2],
    ]);
  });

  it('among equals the order is Unicode code-point order, not UTF-16 order', () => {
    // U+FF21 (Ａ) < U+20000 (𠀀) by code point; as UTF-16 the surrogate 0xD840 sorts first.
    expect(codePointCompare('\uFF21', '\u{20000}')).toBeLessThan(0);
    expect('\u{20000}' < '\uFF21').toBe(true);
    const raw = JSON.parse(readFileSync(new URL('../../rules/rulebooks/hz-2017.json', import.meta.url), 'utf8'));
    raw.units = [
      { name: '单位\u{20000}', group: 'with_matters', aliases: [] },
      { name: '单位\uFF21', group: 'with_matters', aliases: [] },
      { name: '单位B', group: 'with_matters', aliases: [] },
    ];
    const rb = buildRulebook(raw);
    const st = computeStandings(rb, {
      year: 2017,
      asOf: '2017-12-31',
      units: ['单位\u{20000}', '单位\uFF21', '单位B'],
      findings: [],
    });
    expect(st.units.map((u) => u.unit)).toEqual(['单位B', '单位\uFF21', '单位\u{20000}']);
  });
});

describe('quota = floor(20% × assessed units in the group)', () => {
  it('all 59 seeded units when `units` is absent: 43 → 8, 16 → 3', () => {
    const st = score([]);
    expect(st.units.length).toBe(59);
    expect(st.groups.with_matters).toMatchObject({ assessed: 43, quota: 8 });
    expect(st.groups.without_matters).toMatchObject({ assessed: 16, quota: 3 });
  });

  const WITHOUT = [
    '团市委',
    '市信访局',
    '市妇联',
    '市委宣传部',
    '市委组织部',
    '市审管办',
    '市审计局',
    '市总工会',
    '市政府办公厅',
    '市数据资源管理局',
    '市法制办',
    '市直机关工委',
    '市统计局',
    '市编委办',
    '杭州文广集团',
    '杭报集团',
  ];
  it.each([
    [1, 0],
    [4, 0],
    [5, 1],
    [9, 1],
    [10, 2],
    [14, 2],
    [15, 3],
    [16, 3],
  ])('%i assessed without_matters units → quota %i', (n, quota) => {
    const st = score([], { units: WITHOUT.slice(0, n) });
    expect(st.groups.without_matters).toMatchObject({ assessed: n, quota });
    expect(st.groups.with_matters).toMatchObject({ assessed: 0, quota: 0, advanced: [], tiedAtCut: false });
  });

  it('a 10-unit subset → quota 2, findings of other units validated and ignored', () => {
    const st = score([bonus('市财政局', 2), bonus('市公安局', 1), bonus('市城投集团', 5)], { units: TEN });
    expect(st.units.length).toBe(10);
    expect(st.units.some((u) => u.unit === '市城投集团')).toBe(false);
    expect(st.groups.with_matters).toMatchObject({
      assessed: 10,
      quota: 2,
      advanced: ['市财政局', '市公安局'],
      tiedAtCut: false,
      cutScore: 101,
    });
  });

  it('quota 0: nobody is advanced, no tie', () => {
    const st = score([bonus('市审计局', 5)], { units: ['市审计局', '市统计局', '市妇联', '团市委'] });
    expect(st.groups.without_matters).toMatchObject({ quota: 0, advanced: [], tiedAtCut: false, cutScore: null });
  });
});

describe('ties at the cut (10 units, quota 2)', () => {
  const adv = (st: ReturnType<typeof score>) => st.groups.with_matters!;

  it('nothing separates the units: all ten are chosen and tiedAtCut is set', () => {
    const g = adv(score([], { units: TEN }));
    expect(g.advanced).toEqual(TEN_SORTED);
    expect([g.quota, g.tiedAtCut, g.cutScore]).toEqual([2, true, 100]);
  });

  it('a tie at the second place adds a third unit', () => {
    const g = adv(score([bonus('市财政局', 2), bonus('市经信委', 1), bonus('市公安局', 1)], { units: TEN }));
    expect(g.advanced).toEqual(['市财政局', '市公安局', '市经信委']);
    expect(g.tiedAtCut).toBe(true);
  });

  it('one clear leader, then a tie of nine: all ten', () => {
    const g = adv(score([bonus('市财政局', 1)], { units: TEN }));
    expect(g.advanced).toEqual(['市财政局', ...TEN_SORTED.filter((u) => u !== '市财政局')]);
    expect(g.tiedAtCut).toBe(true);
  });

  it('a tie inside the quota adds nobody: tiedAtCut is false', () => {
    const g = adv(score([bonus('市财政局', 1), bonus('市公安局', 1)], { units: TEN }));
    expect(g.advanced).toEqual(['市公安局', '市财政局']);
    expect(g.tiedAtCut).toBe(false);
  });

  it('exactly the quota: tiedAtCut is false', () => {
    const g = adv(score([bonus('市财政局', 2), bonus('市公安局', 1)], { units: TEN }));
    expect(g.advanced).toEqual(['市财政局', '市公安局']);
    expect(g.tiedAtCut).toBe(false);
  });

  it('disqualified units are skipped while walking, and keep their rank', () => {
    const st = score(
      [bonus('市发改委', 5), yearEnd('市发改委'), bonus('市财政局', 2), bonus('市公安局', 1), bonus('市经信委', 1)],
      { units: TEN },
    );
    expect(ranking(st).slice(0, 5)).toEqual([
      ['市发改委', 103, 1, false],
      ['市财政局', 102, 2, true],
      ['市公安局', 101, 3, true],
      ['市经信委', 101, 3, true],
      ['市人力社保局', 100, 5, false],
    ]);
    expect(adv(st)).toMatchObject({ advanced: ['市财政局', '市公安局', '市经信委'], tiedAtCut: true, cutScore: 101 });
  });

  it('a disqualified unit tied at the cut is not chosen and causes no tie', () => {
    const st = score([bonus('市财政局', 2), bonus('市公安局', 1), bonus('市经信委', 2), special('市经信委')], {
      units: TEN,
    });
    expect(unitOf(st, '市经信委')).toMatchObject({
      total: 101,
      rank: 2,
      advanced: false,
      disqualified: ['special_award'],
    });
    expect(adv(st)).toMatchObject({ advanced: ['市财政局', '市公安局'], tiedAtCut: false });
  });

  it('a disqualified unit inside a tie block is skipped and the walk goes on', () => {
    const st = score([bonus('市公安局', 2), special('市公安局'), bonus('市经信委', 1), bonus('市财政局', 1)], {
      units: TEN,
    });
    expect(ranking(st).slice(0, 3)).toEqual([
      ['市公安局', 101, 1, false],
      ['市经信委', 101, 1, true],
      ['市财政局', 101, 1, true],
    ]);
    expect(adv(st)).toMatchObject({ advanced: ['市经信委', '市财政局'], tiedAtCut: false });
  });

  it('fewer eligible units than the quota: all eligible ones, no tie', () => {
    const five = TEN.slice(0, 5);
    const st = score(five.map(yearEnd).slice(0, 4), { units: five }); // quota 1; only 市民族宗教局 is eligible
    expect(st.groups.with_matters).toMatchObject({ quota: 1, advanced: ['市民族宗教局'], tiedAtCut: false });
    const none = score(five.map(special), { units: five });
    expect(none.groups.with_matters).toMatchObject({ quota: 1, advanced: [], tiedAtCut: false, cutScore: null });
  });
});

describe('units and aliases', () => {
  it('aliases in `units` and in findings resolve to the canonical unit', () => {
    const st = score([{ id: 'f2', unit: '市地震局', clause: '1.1.1a', value: 82.4, date: '2017-09-30' }], {
      units: ['市知识产权局', '市老龄工办'],
    });
    expect(st.units.map((u) => u.unit)).toEqual(['市民政局', '市科委']);
    expect(unitOf(st, '市科委')).toMatchObject({ total: 98, rank: 2 });
  });

  it('a unit named twice (by name and alias) is assessed once', () => {
    const st = score([], { units: ['市科委', '市地震局', '市知识产权局'] });
    expect(st.units.map((u) => u.unit)).toEqual(['市科委']);
  });
});
