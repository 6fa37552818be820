// Table tests for every clause kind, inspection and bonuses (rulebook.md: Clauses; Semantics 2, 3,
// 11, 12), on the synthetic rulebook (test/support/synthetic-rulebook.ts). Every expected number
// is worked out by hand from the clause amounts quoted beside it.
import { describe, expect, it } from 'vitest';
import { syntheticRulebook } from '../support/synthetic-rulebook.ts';
import { findingOf, pm, scoreUnit } from './support.ts';

const U = 'big-01'; // group big, base 100: S1 50, S2 10, S3 30, S4 10, S0 0

describe('per_item: amount × count', () => {
  it.each([
    // clause (amount), count, points, section, section score
    ['P', 1, -2, 'S1', 48], // P: −2 per item
    ['P', 3, -6, 'S1', 44],
    ['P2', 7, -7, 'S1', 43], // P2: −1 per item
    ['D', 5, -5, 'S1', 45], // D: −1 per item
  ] as const)('%s × %i → %d', (clause, count, points, section, sectionScore) => {
    const u = scoreUnit(U, [{ id: 'f', clause, count, date: '2017-05-04' }]);
    expect(findingOf(u, 'f').points).toBe(points);
    expect(findingOf(u, 'f').multiplier).toBe(1);
    expect(u.sections[section]).toBe(sectionScore);
    expect(u.deductions).toBe(0 - points);
    expect(u.total).toBe(100 + points);
  });

  it('count defaults to 1', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: 'P2', date: '2017-05-04' }]);
    expect(pm(u, 'f')).toEqual([[-1, 1]]);
  });
});

describe('flat: the amount once per finding', () => {
  it.each([
    ['F', -5, 'S3', 25], // F: flat −5 in S3 (full 30)
    ['Q', -3, 'S2', 7], // Q: flat −3 in S2 (full 10)
  ] as const)('%s → %d', (clause, points, section, sectionScore) => {
    const u = scoreUnit(U, [{ id: 'f', clause, date: '2017-05-04' }]);
    expect(pm(u, 'f')).toEqual([[points, 1]]);
    expect(u.sections[section]).toBe(sectionScore);
    expect(u.total).toBe(100 + points);
  });

  it('explicit count 1 is accepted', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: 'F', count: 1, date: '2017-05-04' }]);
    expect(u.total).toBe(95);
  });
});

describe('threshold: amount × floor(threshold − value)', () => {
  it.each([
    // T: −1 per full point below 90
    ['T', 90, 0],
    ['T', 89.999, 0],
    ['T', 89, -1],
    ['T', 89.5, 0],
    ['T', 88.99, -1],
    ['T', 87.4, -2],
    ['T', 87, -3],
    ['T', 100, 0],
    ['T', 0, -90],
    ['T', 0.5, -89],
    // T2: −2 per full point below 80
    ['T2', 80, 0],
    ['T2', 79.0, -2], // 80 − 79.0 is exactly 1
    ['T2', 79.01, 0], // 0.99 below
    ['T2', 78.99, -2], // 1.01 below
    ['T2', 78.3, -2], // 80 − 78.3 = 1.7000000000000028 in binary floating point: 1 full point
    ['T2', 76.2, -6], // 3.8 below
    // decimals beyond the sixth place still count exactly as written
    ['T', 89.0000001, 0], // 0.9999999 below: not a full point
    ['T', 88.9999999, -1], // 1.0000001 below
    ['T2', 79.00000000001, 0],
    ['T2', 78.99999999999, -2],
  ] as const)('%s value %d → %d', (clause, value, points) => {
    const u = scoreUnit(U, [{ id: 'm', clause, value, date: '2017-05-31' }]);
    expect(findingOf(u, 'm').points).toBe(points);
    expect(findingOf(u, 'm').multiplier).toBe(1);
    expect(findingOf(u, 'm').status).toBe('counted');
    expect(u.deductions).toBe(0 - points);
    expect(u.total).toBe(100 + points);
  });

  it('a deduction larger than the section is capped in the section and overflows into the total', () => {
    const u = scoreUnit(U, [{ id: 'm', clause: 'T', value: 0, date: '2017-05-31' }]); // −90 in S4 (full 10)
    expect(u.sections.S4).toBe(0);
    expect(u.deductions).toBe(90);
    expect(u.overflow).toBe(80);
    expect(u.total).toBe(10);
  });

  it('threshold findings get no rectification deadline and are never overdue', () => {
    const u = scoreUnit(U, [{ id: 'm', clause: 'T', value: 80, date: '2017-01-03', deadline: '2017-01-05' }], {
      asOf: '2017-12-31',
    });
    expect(findingOf(u, 'm').deadline).toBeNull();
    expect(findingOf(u, 'm').overdue).toBe(false);
  });
});

describe('tiered: the level’s amount', () => {
  it.each([
    // clause, level, count, points, total — L: lead +2 / support +0.5 per item; LX: city +1 / province +3
    ['L', 'lead', 1, 2, 102],
    ['L', 'support', 1, 0.5, 100.5],
    ['L', 'support', 3, 1.5, 101.5], // per item: 0.5 × 3
    ['L', 'lead', 4, 8, 108],
    ['L', 'support', 7, 3.5, 103.5],
    ['LX', 'city', 1, 1, 101],
    ['LX', 'province', 1, 3, 103],
  ] as const)('%s %s × %i → +%d', (clause, level, count, points, total) => {
    const u = scoreUnit(U, [{ id: 't', clause, level, count, date: '2017-06-20' }]);
    expect(pm(u, 't')).toEqual([[points, 1]]);
    expect(u.bonuses).toBe(points);
    expect(u.deductions).toBe(0);
    expect(u.total).toBe(total);
  });

  it('halves stay plain numbers and add up exactly', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: 'L', level: 'support', count: 1, date: '2017-06-20' }, // +0.5
      { id: 'b', clause: 'L', level: 'support', count: 3, date: '2017-06-21' }, // +1.5
      { id: 'c', clause: 'P2', count: 1, date: '2017-06-22' }, // −1
    ]);
    expect(u.bonuses).toBe(2);
    expect(u.total).toBe(101);
    expect(JSON.stringify(findingOf(u, 'a').points)).toBe('0.5');
  });
});

describe('bonuses', () => {
  it.each([
    ['B', 1, 1], // B: +1 per item
    ['B', 3, 3],
  ] as const)('per_item bonus %s × %i → +%d', (clause, count, points) => {
    const u = scoreUnit(U, [{ id: 'b', clause, count, date: '2017-06-20' }]);
    expect(pm(u, 'b')).toEqual([[points, 1]]);
    expect(u.bonuses).toBe(points);
    expect(u.total).toBe(100 + points);
  });

  it('flat bonus FB → +10', () => {
    const u = scoreUnit(U, [{ id: 'b', clause: 'FB', date: '2017-06-20' }]);
    expect(pm(u, 'b')).toEqual([[10, 1]]);
    expect(u.total).toBe(110);
  });

  it('bonuses get no deadline', () => {
    const u = scoreUnit(U, [{ id: 'b', clause: 'B', date: '2017-06-20' }]);
    expect(findingOf(u, 'b').deadline).toBeNull();
    expect(findingOf(u, 'b').overdue).toBe(false);
  });

  const many = [
    { id: 'a', clause: 'FB', date: '2017-03-01' }, // +10
    { id: 'b', clause: 'FB', date: '2017-04-01' }, // +10
    { id: 'c', clause: 'LX', level: 'province', date: '2017-05-02' }, // +3
    { id: 'd', clause: 'L', level: 'lead', count: 2, date: '2017-06-01' }, // +4
    { id: 'e', clause: 'B', count: 10, date: '2017-07-03' }, // +10
  ];

  it('bonuses are uncapped when the rulebook sets no bonus cap', () => {
    const u = scoreUnit(U, many);
    expect(u.bonuses).toBe(37);
    expect(u.total).toBe(137);
  });

  it('a bonus cap limits what the bonuses add to the total, not what is listed', () => {
    const u = scoreUnit(U, many, {
      rulebook: syntheticRulebook((d) => {
        d.settings.bonusCap = 15;
      }),
    });
    expect(u.bonuses).toBe(37);
    expect(u.total).toBe(115);
  });
});

describe('inspection multiplier (deductions only; ×3 here)', () => {
  it.each([
    ['routine', -2, 1],
    ['inspection', -6, 3],
    ['audit', -6, 3],
  ] as const)('per_item deduction P (−2), source %s → %d (×%i)', (source, points, multiplier) => {
    const u = scoreUnit(U, [{ id: 'f', clause: 'P', source, date: '2017-06-02' }]);
    expect(pm(u, 'f')).toEqual([[points, multiplier]]);
  });

  it('source defaults to the rulebook’s default source (routine)', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: 'P', count: 2, date: '2017-06-02' }]);
    expect(pm(u, 'f')).toEqual([[-4, 1]]);
  });

  it('multiplies amount × count, flat deductions, and threshold deductions', () => {
    const u = scoreUnit(U, [
      { id: 'p', clause: 'P', count: 8, source: 'audit', date: '2017-06-02' }, // −2 × 8 × 3
      { id: 'f', clause: 'F', source: 'inspection', date: '2017-06-02' }, // −5 × 3
      { id: 't', clause: 'T2', value: 77.4, source: 'inspection', date: '2017-06-30' }, // −2 × 2 × 3
      { id: 's', clause: 'T', value: 88, source: 'audit', date: '2017-06-30' }, // −1 × 2 × 3
    ]);
    expect(pm(u, 'p', 'f', 't', 's')).toEqual([
      [-48, 3],
      [-15, 3],
      [-12, 3],
      [-6, 3],
    ]);
    expect(u.deductions).toBe(81);
    expect(u.sections.S1).toBe(0); // 50 − 48 − 12 = −10 → 0
    expect(u.overflow).toBe(10);
    expect(u.total).toBe(19);
  });

  it('a threshold at or above its threshold stays 0 under inspection', () => {
    const u = scoreUnit(U, [{ id: 't', clause: 'T', value: 95, source: 'audit', date: '2017-06-30' }]);
    expect(findingOf(u, 't').points).toBe(0);
    expect(u.total).toBe(100);
  });

  it.each([
    ['B', undefined, 1],
    ['L', 'support', 0.5],
    ['LX', 'province', 3],
    ['FB', undefined, 10],
  ] as const)('bonus %s from an audit is not multiplied', (clause, level, points) => {
    const u = scoreUnit(U, [{ id: 'b', clause, ...(level ? { level } : {}), source: 'audit', date: '2017-06-20' }]);
    expect(pm(u, 'b')).toEqual([[points, 1]]);
    expect(u.total).toBe(100 + points);
  });
});

describe('totals (Semantics 1 and 12)', () => {
  it('a worked example by hand', () => {
    const u = scoreUnit(U, [
      { id: 'e1a', clause: 'P', count: 3, date: '2017-05-04', deadline: '2017-05-18', rectifiedOn: '2017-05-10' }, // −6
      { id: 'e1b', clause: 'T', value: 86.2, date: '2017-05-31' }, // 3.8 below 90: −3
      {
        id: 'e1c',
        clause: 'P2',
        count: 1,
        date: '2017-06-02',
        source: 'inspection',
        deadline: '2017-06-16',
        rectifiedOn: '2017-06-12',
      }, // −1 × 3
      { id: 'e1d', clause: 'LX', level: 'city', date: '2017-06-20' }, // +1
    ]);
    expect(pm(u, 'e1a', 'e1b', 'e1c', 'e1d')).toEqual([
      [-6, 1],
      [-3, 1],
      [-3, 3],
      [1, 1],
    ]);
    expect([u.deductions, u.bonuses, u.overflow, u.total]).toEqual([12, 1, 0, 89]);
    expect(u.sections).toEqual({ S1: 41, S2: 10, S3: 30, S4: 7, S0: 0 });
  });

  it('a unit with no findings scores its base', () => {
    expect(scoreUnit('big-01', []).total).toBe(100);
    expect(scoreUnit('small-1', []).total).toBe(20);
  });

  it('a unit lists only the sections that apply to its group', () => {
    const u = scoreUnit('small-1', [
      { id: 'a', clause: 'Q', date: '2017-04-10' }, // −3 in S2
      { id: 'b', clause: 'LX', level: 'city', date: '2017-04-11' }, // +1
    ]);
    expect(u.base).toBe(20);
    expect(u.group).toBe('small');
    expect(u.sections).toEqual({ S2: 7, S4: 10, S0: 0 });
    expect(u.total).toBe(18);
  });
});
