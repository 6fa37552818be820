// Repeat escalation (rulebook.md Semantics 4, 8 and 9): a deduction finding counts ×2^k when k
// earlier findings of the same unit and clause were overdue on its date. Numbers by hand.
import { describe, expect, it } from 'vitest';
import { findingOf, pm, score, scoreUnit, unitOf } from './support.ts';

const U = '市司法局';
const C = '2.1.1a'; // per_item −1, section 2.1 (full 10)

/** An earlier finding on 2017-03-01 with deadline 2017-03-15. */
const first = (extra: Record<string, unknown> = {}) => ({
  id: 'a',
  clause: C,
  date: '2017-03-01',
  deadline: '2017-03-15',
  rectifiedOn: null,
  ...extra,
});

describe('overdue on D means deadline < D strictly', () => {
  it.each([
    // date of the new finding, its multiplier
    ['2017-03-14', 1],
    ['2017-03-15', 1], // the deadline day itself is not overdue
    ['2017-03-16', 2],
    ['2017-12-29', 2],
  ] as const)('unrectified deadline 2017-03-15, new finding on %s → ×%i', (date, multiplier) => {
    const u = scoreUnit(U, [first(), { id: 'b', clause: C, date }]);
    expect(pm(u, 'a', 'b')).toEqual([
      [-1, 1],
      [-multiplier, multiplier],
    ]);
    expect(findingOf(u, 'b').repeatOf).toEqual(multiplier === 2 ? ['a'] : []);
  });
});

describe('rectification', () => {
  it.each([
    // rectifiedOn of the earlier finding, multiplier of a finding on 2017-03-21
    [null, 2],
    ['2017-03-01', 1], // on the finding day
    ['2017-03-14', 1],
    ['2017-03-15', 1], // on the deadline day: on time
    ['2017-03-16', 2], // one day late: still overdue
    ['2017-03-20', 2], // late, before the new finding: still overdue
    ['2017-03-21', 2],
    ['2017-04-30', 2],
  ] as const)('earlier rectifiedOn %s → ×%i', (rectifiedOn, multiplier) => {
    const u = scoreUnit(U, [first({ rectifiedOn }), { id: 'b', clause: C, count: 3, date: '2017-03-21' }]);
    expect(pm(u, 'b')).toEqual([[-3 * multiplier, multiplier]]);
    expect(u.total).toBe(100 - 1 - 3 * multiplier);
  });
});

describe('same-day findings never escalate each other', () => {
  it('two findings on one day, the first with its deadline that same day', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: C, date: '2017-03-01', deadline: '2017-03-01' },
      { id: 'b', clause: C, date: '2017-03-01', deadline: '2017-03-01' },
      { id: 'c', clause: C, date: '2017-03-02' },
    ]);
    expect(pm(u, 'a', 'b', 'c')).toEqual([
      [-1, 1],
      [-1, 1],
      [-4, 4], // both a and b were overdue on 03-02
    ]);
  });
});

describe('k earlier overdue findings → ×2^k', () => {
  const four = [
    { id: 'a', clause: C, date: '2017-03-01', deadline: '2017-03-15' },
    { id: 'b', clause: C, date: '2017-03-20', deadline: '2017-04-05' },
    { id: 'c', clause: C, date: '2017-04-10', deadline: '2017-04-24' },
    { id: 'd', clause: C, date: '2017-05-08', deadline: '2017-05-22' },
  ];

  it('1, 2, 4, 8', () => {
    const u = scoreUnit(U, four);
    expect(pm(u, 'a', 'b', 'c', 'd')).toEqual([
      [-1, 1],
      [-2, 2],
      [-4, 4],
      [-8, 8],
    ]);
    expect(findingOf(u, 'd').repeatOf).toEqual(['a', 'b', 'c']);
    expect(u.deductions).toBe(15);
    expect(u.sections['2.1']).toBe(0);
    expect(u.overflow).toBe(5);
    expect(u.total).toBe(85);
  });

  it('with inspection doubling ×2^(k+1)', () => {
    const u = scoreUnit(
      U,
      four.map((f) => ({ ...f, source: 'municipal_inspection' })),
    );
    expect(pm(u, 'a', 'b', 'c', 'd')).toEqual([
      [-2, 2],
      [-4, 4],
      [-8, 8],
      [-16, 16],
    ]);
    expect(u.total).toBe(70);
  });

  it('only findings already overdue on D count, not every earlier one', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: C, date: '2017-03-01', deadline: '2017-03-15' },
      { id: 'b', clause: C, date: '2017-03-20', deadline: '2017-04-30' },
      { id: 'c', clause: C, date: '2017-04-10', deadline: '2017-04-24' },
      { id: 'd', clause: C, date: '2017-04-26', deadline: '2017-05-10' },
      { id: 'e', clause: C, date: '2017-05-02' },
    ]);
    // b: a overdue. c: a overdue, b not yet (deadline 04-30). d: a and c. e: a, b, c (d's deadline is 05-10).
    expect(pm(u, 'b', 'c', 'd', 'e')).toEqual([
      [-2, 2],
      [-2, 2],
      [-4, 4],
      [-8, 8],
    ]);
  });

  it('k counts earlier findings, not their multipliers (shared example e2-repeat)', () => {
    const u = scoreUnit(U, [
      { id: 'e2a', clause: C, count: 1, date: '2017-03-01', deadline: '2017-03-15', rectifiedOn: null },
      { id: 'e2b', clause: C, count: 1, date: '2017-04-05', deadline: '2017-04-19', rectifiedOn: '2017-04-11' },
      { id: 'e2c', clause: C, count: 2, date: '2017-05-08', deadline: '2017-05-22' },
    ]);
    expect(pm(u, 'e2a', 'e2b', 'e2c')).toEqual([
      [-1, 1],
      [-2, 2],
      [-4, 2],
    ]);
    expect(u.total).toBe(93);
    expect(u.sections['2.1']).toBe(3);
  });

  it('an inspection on the earlier finding does not change the later one', () => {
    const u = scoreUnit(U, [first({ source: 'provincial_inspection' }), { id: 'b', clause: C, date: '2017-04-03' }]);
    expect(pm(u, 'a', 'b')).toEqual([
      [-2, 2],
      [-2, 2],
    ]);
  });

  it('the list order does not matter, only the dates', () => {
    const u = scoreUnit(U, [{ id: 'b', clause: C, date: '2017-04-03' }, first()]);
    expect(pm(u, 'a', 'b')).toEqual([
      [-1, 1],
      [-2, 2],
    ]);
  });
});

describe('what does not escalate', () => {
  it('a withdrawn earlier finding', () => {
    const u = scoreUnit(U, [first({ withdrawn: true }), { id: 'b', clause: C, date: '2017-04-03' }]);
    expect(pm(u, 'a', 'b')).toEqual([
      [0, 0],
      [-1, 1],
    ]);
    expect(findingOf(u, 'a').status).toBe('withdrawn');
    expect(u.total).toBe(99);
  });

  it('a withdrawn repeat counts nothing, and still escalates nothing later', () => {
    const u = scoreUnit(U, [
      first(),
      { id: 'b', clause: C, date: '2017-04-03', deadline: '2017-04-17', withdrawn: true },
      { id: 'c', clause: C, date: '2017-05-02' },
    ]);
    expect(pm(u, 'a', 'b', 'c')).toEqual([
      [-1, 1],
      [0, 0],
      [-2, 2],
    ]);
  });

  it('another clause, even in the same section', () => {
    const u = scoreUnit(U, [first(), { id: 'b', clause: '2.1.2a', date: '2017-04-03' }]);
    expect(pm(u, 'b')).toEqual([[-1, 1]]);
  });

  it('another unit', () => {
    const st = score(
      [
        { ...first(), unit: '市司法局' },
        { id: 'b', unit: '市公安局', clause: C, date: '2017-04-03' },
      ],
      { units: ['市司法局', '市公安局'] },
    );
    expect(pm(unitOf(st, '市公安局'), 'b')).toEqual([[-1, 1]]);
  });

  it('a finding after asOf (ignored and not listed)', () => {
    const u = scoreUnit(
      U,
      [first(), { id: 'b', clause: C, date: '2017-04-03' }, { id: 'c', clause: C, date: '2017-06-01' }],
      { asOf: '2017-05-31' },
    );
    expect(u.findings.map((f) => f.id)).toEqual(['a', 'b']);
    expect(pm(u, 'b')).toEqual([[-2, 2]]);
    expect(u.total).toBe(97);
  });

  it('threshold findings neither escalate nor are escalated, even when given a deadline', () => {
    const u = scoreUnit('市教育局', [
      { id: 't1', clause: '1.1.1a', value: 80, date: '2017-03-01', deadline: '2017-03-05' },
      { id: 't2', clause: '1.1.1a', value: 80, date: '2017-05-02' },
      { id: 't3', clause: '5.2.1a', value: 97, date: '2017-03-31', deadline: '2017-04-01' },
      { id: 't4', clause: '5.2.1a', value: 97, date: '2017-06-30' },
    ]);
    expect(pm(u, 't1', 't2', 't3', 't4')).toEqual([
      [-5, 1],
      [-5, 1],
      [-2, 1],
      [-2, 1],
    ]);
  });

  it('bonus findings neither escalate nor are escalated', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: '2.1.3b', date: '2017-03-01', deadline: '2017-03-02' },
      { id: 'b', clause: '2.1.3b', date: '2017-05-02' },
    ]);
    expect(pm(u, 'a', 'b')).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });
});

describe('flat clauses escalate too', () => {
  it('2.2.1b overdue, then again → −2', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: '2.2.1b', date: '2017-03-01', deadline: '2017-03-15' },
      { id: 'b', clause: '2.2.1b', date: '2017-03-16' },
      { id: 'c', clause: '2.2.1b', date: '2017-06-01', source: 'provincial_inspection' },
    ]);
    expect(pm(u, 'a', 'b', 'c')).toEqual([
      [-1, 1],
      [-2, 2],
      [-8, 8], // a and b overdue (b's default deadline is in March) × inspection
    ]);
    expect(u.sections['2.2']).toBe(0);
    expect(u.overflow).toBe(6);
    expect(u.total).toBe(89);
  });
});

describe('with the default deadline (10th working day)', () => {
  it('National Day: found 2017-09-28, due 2017-10-18', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: C, date: '2017-09-28' },
      { id: 'b', clause: C, date: '2017-10-18' },
      { id: 'c', clause: C, date: '2017-10-19' },
    ]);
    expect(findingOf(u, 'a').deadline).toBe('2017-10-18');
    expect(findingOf(u, 'b').deadline).toBe('2017-11-01');
    // b on the deadline day of a: not a repeat. c the day after: a is overdue, b is not yet.
    expect(pm(u, 'b', 'c')).toEqual([
      [-1, 1],
      [-2, 2],
    ]);
  });

  it('rectified on the default deadline day is on time', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: C, date: '2017-09-28', rectifiedOn: '2017-10-18' },
      { id: 'b', clause: C, date: '2017-11-01' },
    ]);
    expect(pm(u, 'b')).toEqual([[-1, 1]]);
  });
});

describe('overdue flag in the output (judged at asOf)', () => {
  it.each([
    ['2017-03-14', false],
    ['2017-03-15', false],
    ['2017-03-16', true],
  ] as const)('deadline 2017-03-15, asOf %s → overdue %s', (asOf, overdue) => {
    const u = scoreUnit(U, [first()], { asOf });
    expect(findingOf(u, 'a').overdue).toBe(overdue);
  });

  it('rectified on time is never overdue; rectified late is', () => {
    expect(findingOf(scoreUnit(U, [first({ rectifiedOn: '2017-03-15' })]), 'a').overdue).toBe(false);
    expect(findingOf(scoreUnit(U, [first({ rectifiedOn: '2017-03-16' })]), 'a').overdue).toBe(true);
  });
});
