// Table tests for every clause kind, inspection doubling and bonuses (rulebook.md: Clauses;
// Semantics 2, 3, 11, 12). Every expected number is worked out by hand from the spec.
import { describe, expect, it } from 'vitest';
import { findingOf, pm, scoreUnit } from './support.ts';

const U = '市教育局'; // with_matters, base 100

describe('per_item: amount × count', () => {
  it.each([
    // clause, count, points, section, section score
    ['1.1.2a', 1, -1, '1.1', 14],
    ['1.1.2a', 3, -3, '1.1', 12],
    ['1.1.3a', 2, -4, '1.1', 11], // −2 per item
    ['5.3.1b', 2, -4, '5.3', 1], // −2 per item
    ['3.1.1b', 7, -7, '3.1', 3],
    ['4.3.1a', 5, -5, '4.3', 0],
  ] as const)('%s × %i → %d', (clause, count, points, section, sectionScore) => {
    const u = scoreUnit(U, [{ id: 'f', clause, count, date: '2017-05-04' }]);
    expect(findingOf(u, 'f').points).toBe(points);
    expect(findingOf(u, 'f').multiplier).toBe(1);
    expect(u.sections[section]).toBe(sectionScore);
    expect(u.deductions).toBe(0 - points);
    expect(u.total).toBe(100 + points);
  });

  it('count defaults to 1', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: '3.3.1b', date: '2017-05-04' }]);
    expect(pm(u, 'f')).toEqual([[-1, 1]]);
  });
});

describe('flat: the amount once per finding', () => {
  it.each([
    ['2.2.1b', -1, '2.2', 4],
    ['2.2.2a', -1, '2.2', 4],
    ['2.2.2b', -1, '2.2', 4],
    ['3.1.1c', -1, '3.1', 9],
    ['3.2.2a', -1, '3.2', 9],
  ] as const)('%s → %d', (clause, points, section, sectionScore) => {
    const u = scoreUnit(U, [{ id: 'f', clause, date: '2017-05-04' }]);
    expect(pm(u, 'f')).toEqual([[points, 1]]);
    expect(u.sections[section]).toBe(sectionScore);
    expect(u.total).toBe(99);
  });

  it('explicit count 1 is accepted', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: '2.2.1b', count: 1, date: '2017-05-04' }]);
    expect(u.total).toBe(99);
  });
});

describe('threshold: amount × floor(threshold − value)', () => {
  it.each([
    // 1.1.1a: −1 per full point below 85
    ['1.1.1a', 85, 0],
    ['1.1.1a', 84.999, 0],
    ['1.1.1a', 84, -1],
    ['1.1.1a', 84.5, 0],
    ['1.1.1a', 83.99, -1],
    ['1.1.1a', 82.4, -2],
    ['1.1.1a', 82, -3],
    ['1.1.1a', 100, 0],
    ['1.1.1a', 0, -85],
    ['1.1.1a', 0.5, -84],
    // 5.2.1a: −1 per full point below 99
    ['5.2.1a', 99, 0],
    ['5.2.1a', 98.0, -1], // 99 − 98.0 is exactly 1
    ['5.2.1a', 98.01, 0], // 0.99 below
    ['5.2.1a', 97.99, -1], // 1.01 below
    ['5.2.1a', 98.9, 0],
    ['5.2.1a', 96.2, -2],
    ['5.2.1a', 97.3, -1], // 99 − 97.3 = 1.7000000000000028 in binary floating point
    ['5.2.1a', 100, 0],
    ['5.2.1a', 0, -99],
    // decimals beyond the sixth place still count exactly as written
    ['1.1.1a', 84.0000001, 0], // 0.9999999 below: not a full point
    ['1.1.1a', 83.9999999, -1], // 1.0000001 below
    ['5.2.1a', 98.00000000001, 0],
    ['5.2.1a', 97.99999999999, -1],
  ] as const)('%s value %d → %d', (clause, value, points) => {
    const u = scoreUnit(U, [{ id: 'm', clause, value, date: '2017-05-31' }]);
    expect(findingOf(u, 'm').points).toBe(points);
    expect(findingOf(u, 'm').multiplier).toBe(1);
    expect(findingOf(u, 'm').status).toBe('counted');
    expect(u.deductions).toBe(0 - points);
    expect(u.total).toBe(100 + points);
  });

  it('a deduction larger than the section is capped in the section and overflows into the total', () => {
    const u = scoreUnit(U, [{ id: 'm', clause: '1.1.1a', value: 0, date: '2017-05-31' }]);
    expect(u.sections['1.1']).toBe(0);
    expect(u.deductions).toBe(85);
    expect(u.overflow).toBe(70);
    expect(u.total).toBe(15);
  });

  it('threshold findings get no rectification deadline and are never overdue', () => {
    const u = scoreUnit(U, [{ id: 'm', clause: '5.2.1a', value: 90, date: '2017-01-03', deadline: '2017-01-05' }], {
      asOf: '2017-12-31',
    });
    expect(findingOf(u, 'm').deadline).toBeNull();
    expect(findingOf(u, 'm').overdue).toBe(false);
  });
});

describe('tiered: the level’s amount', () => {
  it.each([
    // clause, level, count, points, total
    ['4.2.1b', 'lead', 1, 1, 101],
    ['4.2.1b', 'support', 1, 0.5, 100.5],
    ['4.2.1b', 'support', 3, 1.5, 101.5], // per item: 0.5 × 3
    ['4.2.1b', 'lead', 4, 4, 104],
    ['4.2.1b', 'support', 7, 3.5, 103.5],
    ['5.1.1a', 'participated', 1, 1, 101],
    ['5.1.1a', 'strong', 1, 2, 102],
    ['6.1.1a', 'city', 1, 1, 101],
    ['6.1.1a', 'province', 1, 2, 102],
    ['6.1.1a', 'national', 1, 4, 104],
  ] as const)('%s %s × %i → +%d', (clause, level, count, points, total) => {
    const u = scoreUnit(U, [{ id: 't', clause, level, count, date: '2017-06-20' }]);
    expect(pm(u, 't')).toEqual([[points, 1]]);
    expect(u.bonuses).toBe(points);
    expect(u.deductions).toBe(0);
    expect(u.total).toBe(total);
  });

  it('halves stay plain numbers and add up exactly', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: '4.2.1b', level: 'support', count: 1, date: '2017-06-20' },
      { id: 'b', clause: '4.2.1b', level: 'support', count: 3, date: '2017-06-21' },
      { id: 'c', clause: '1.1.2a', count: 1, date: '2017-06-22' },
    ]);
    expect(u.bonuses).toBe(2);
    expect(u.total).toBe(101);
    expect(JSON.stringify(findingOf(u, 'a').points)).toBe('0.5');
  });
});

describe('bonuses', () => {
  it.each([
    ['2.1.3b', 1, 1],
    ['2.1.3b', 2, 2],
    ['3.2.2b', 3, 3],
    ['4.2.3a', 1, 1],
    ['4.3.2a', 2, 2],
  ] as const)('per_item bonus %s × %i → +%d', (clause, count, points) => {
    const u = scoreUnit(U, [{ id: 'b', clause, count, date: '2017-06-20' }]);
    expect(pm(u, 'b')).toEqual([[points, 1]]);
    expect(u.bonuses).toBe(points);
    expect(u.total).toBe(100 + points);
  });

  it.each([
    ['6.1.1b', 3],
    ['6.1.1c', 5],
  ] as const)('flat bonus %s → +%d', (clause, points) => {
    const u = scoreUnit(U, [{ id: 'b', clause, date: '2017-06-20' }]);
    expect(pm(u, 'b')).toEqual([[points, 1]]);
    expect(u.total).toBe(100 + points);
  });

  it('bonuses get no deadline', () => {
    const u = scoreUnit(U, [{ id: 'b', clause: '2.1.3b', date: '2017-06-20' }]);
    expect(findingOf(u, 'b').deadline).toBeNull();
    expect(findingOf(u, 'b').overdue).toBe(false);
  });

  it('bonuses are uncapped (hz-2017 sets no bonus cap)', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: '6.1.1c', date: '2017-03-01' },
      { id: 'b', clause: '6.1.1c', date: '2017-04-01' },
      { id: 'c', clause: '6.1.1b', date: '2017-05-02' },
      { id: 'd', clause: '6.1.1a', level: 'national', date: '2017-06-01' },
      { id: 'e', clause: '3.2.2b', count: 10, date: '2017-07-03' },
    ]);
    expect(u.bonuses).toBe(27);
    expect(u.total).toBe(127);
  });
});

describe('inspection doubling (deductions only)', () => {
  it.each([
    ['routine', -1, 1],
    ['municipal_inspection', -2, 2],
    ['provincial_inspection', -2, 2],
  ] as const)('per_item deduction, source %s → %d (×%i)', (source, points, multiplier) => {
    const u = scoreUnit(U, [{ id: 'f', clause: '3.3.1a', source, date: '2017-06-02' }]);
    expect(pm(u, 'f')).toEqual([[points, multiplier]]);
  });

  it('source defaults to routine', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: '3.3.1a', count: 2, date: '2017-06-02' }]);
    expect(pm(u, 'f')).toEqual([[-2, 1]]);
  });

  it('doubles amount × count, flat deductions, and threshold deductions', () => {
    const u = scoreUnit(U, [
      { id: 'p', clause: '1.1.3a', count: 3, source: 'provincial_inspection', date: '2017-06-02' }, // −2 × 3 × 2
      { id: 'f', clause: '2.2.2b', source: 'municipal_inspection', date: '2017-06-02' }, // −1 × 2
      { id: 't', clause: '1.1.1a', value: 82.4, source: 'municipal_inspection', date: '2017-06-30' }, // −2 × 2
      { id: 's', clause: '5.2.1a', value: 98, source: 'provincial_inspection', date: '2017-06-30' }, // −1 × 2
    ]);
    expect(pm(u, 'p', 'f', 't', 's')).toEqual([
      [-12, 2],
      [-2, 2],
      [-4, 2],
      [-2, 2],
    ]);
    expect(u.deductions).toBe(20);
    expect(u.sections['1.1']).toBe(0); // 15 − 12 − 4 = −1 → 0
    expect(u.overflow).toBe(1);
    expect(u.total).toBe(80);
  });

  it('a threshold at or above its threshold stays 0 under inspection', () => {
    const u = scoreUnit(U, [
      { id: 't', clause: '1.1.1a', value: 90, source: 'provincial_inspection', date: '2017-06-30' },
    ]);
    expect(findingOf(u, 't').points).toBe(0);
    expect(u.total).toBe(100);
  });

  it.each([
    ['2.1.3b', undefined, 1],
    ['4.2.1b', 'support', 0.5],
    ['6.1.1a', 'province', 2],
    ['6.1.1c', undefined, 5],
  ] as const)('bonus %s from a provincial inspection is not doubled', (clause, level, points) => {
    const u = scoreUnit(U, [
      { id: 'b', clause, ...(level ? { level } : {}), source: 'provincial_inspection', date: '2017-06-20' },
    ]);
    expect(pm(u, 'b')).toEqual([[points, 1]]);
    expect(u.total).toBe(100 + points);
  });
});

describe('totals (Semantics 1 and 12)', () => {
  it('reproduces the shared e1-basics example by hand', () => {
    const u = scoreUnit(U, [
      { id: 'e1a', clause: '1.1.2a', count: 3, date: '2017-05-04', deadline: '2017-05-18', rectifiedOn: '2017-05-10' },
      { id: 'e1b', clause: '5.2.1a', value: 96.2, date: '2017-05-31' },
      {
        id: 'e1c',
        clause: '3.3.1a',
        count: 1,
        date: '2017-06-02',
        source: 'provincial_inspection',
        deadline: '2017-06-16',
        rectifiedOn: '2017-06-12',
      },
      { id: 'e1d', clause: '6.1.1a', level: 'city', date: '2017-06-20' },
    ]);
    expect(pm(u, 'e1a', 'e1b', 'e1c', 'e1d')).toEqual([
      [-3, 1],
      [-2, 1],
      [-2, 2],
      [1, 1],
    ]);
    expect([u.deductions, u.bonuses, u.overflow, u.total]).toEqual([7, 1, 0, 94]);
    expect(u.sections).toEqual({
      '1.1': 12,
      '1.2': 10,
      '2.1': 10,
      '2.2': 5,
      '3.1': 10,
      '3.2': 10,
      '3.3': 8,
      '4.1': 5,
      '4.2': 5,
      '4.3': 5,
      '5.1': 5,
      '5.2': 3,
      '5.3': 5,
      '6.1': 0,
    });
  });

  it('a unit with no findings scores its base', () => {
    expect(scoreUnit('市教育局', []).total).toBe(100);
    expect(scoreUnit('市审计局', []).total).toBe(20);
  });

  it('a without_matters unit lists only the sections that apply to it', () => {
    const u = scoreUnit('市审计局', [
      { id: 'a', clause: '5.3.1b', count: 1, date: '2017-04-10' },
      { id: 'b', clause: '5.1.1a', level: 'strong', date: '2017-04-11' },
    ]);
    expect(u.base).toBe(20);
    expect(u.group).toBe('without_matters');
    expect(u.sections).toEqual({ '1.2': 10, '5.1': 5, '5.3': 3, '6.1': 0 });
    expect(u.total).toBe(20);
  });
});
