// Repeat escalation (rulebook.md Semantics 4, 8 and 9): a deduction finding counts ×2^k when k
// earlier findings of the same unit and clause were overdue on its date. Numbers by hand, on the
// synthetic rulebook (repeat base 2, inspection ×3, default deadline 5 working days).
import { describe, expect, it } from 'vitest';
import { findingOf, pm, score, scoreUnit, unitOf } from './support.ts';

const U = 'big-01'; // base 100
const C = 'P'; // per_item −2, section S1 (full 50)

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
      [-2, 1],
      [-2 * multiplier, multiplier],
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
    expect(pm(u, 'b')).toEqual([[-6 * multiplier, multiplier]]);
    expect(u.total).toBe(100 - 2 - 6 * multiplier);
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
      [-2, 1],
      [-2, 1],
      [-8, 4], // both a and b were overdue on 03-02
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
      [-2, 1],
      [-4, 2],
      [-8, 4],
      [-16, 8],
    ]);
    expect(findingOf(u, 'd').repeatOf).toEqual(['a', 'b', 'c']);
    expect(u.deductions).toBe(30);
    expect(u.sections.S1).toBe(20);
    expect(u.overflow).toBe(0);
    expect(u.total).toBe(70);
  });

  it('with inspection (×3) the multipliers multiply: ×3 · 2^k', () => {
    const u = scoreUnit(
      U,
      four.map((f) => ({ ...f, source: 'inspection' })),
    );
    expect(pm(u, 'a', 'b', 'c', 'd')).toEqual([
      [-6, 3],
      [-12, 6],
      [-24, 12],
      [-48, 24],
    ]);
    expect([u.sections.S1, u.overflow, u.total]).toEqual([0, 40, 10]);
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
      [-4, 2],
      [-4, 2],
      [-8, 4],
      [-16, 8],
    ]);
  });

  it('k counts earlier findings, not their multipliers', () => {
    const u = scoreUnit(U, [
      { id: 'e2a', clause: C, count: 1, date: '2017-03-01', deadline: '2017-03-15', rectifiedOn: null },
      { id: 'e2b', clause: C, count: 1, date: '2017-04-05', deadline: '2017-04-19', rectifiedOn: '2017-04-11' },
      { id: 'e2c', clause: C, count: 2, date: '2017-05-08', deadline: '2017-05-22' },
    ]);
    expect(pm(u, 'e2a', 'e2b', 'e2c')).toEqual([
      [-2, 1],
      [-4, 2],
      [-8, 2], // only e2a was overdue on 05-08: −2 × 2 items × 2
    ]);
    expect(u.total).toBe(86);
    expect(u.sections.S1).toBe(36);
  });

  it('an inspection on the earlier finding does not change the later one', () => {
    const u = scoreUnit(U, [first({ source: 'audit' }), { id: 'b', clause: C, date: '2017-04-03' }]);
    expect(pm(u, 'a', 'b')).toEqual([
      [-6, 3],
      [-4, 2],
    ]);
  });

  it('the list order does not matter, only the dates', () => {
    const u = scoreUnit(U, [{ id: 'b', clause: C, date: '2017-04-03' }, first()]);
    expect(pm(u, 'a', 'b')).toEqual([
      [-2, 1],
      [-4, 2],
    ]);
  });
});

describe('what does not escalate', () => {
  it('a withdrawn earlier finding', () => {
    const u = scoreUnit(U, [first({ withdrawn: true }), { id: 'b', clause: C, date: '2017-04-03' }]);
    expect(pm(u, 'a', 'b')).toEqual([
      [0, 0],
      [-2, 1],
    ]);
    expect(findingOf(u, 'a').status).toBe('withdrawn');
    expect(u.total).toBe(98);
  });

  it('a withdrawn repeat counts nothing, and still escalates nothing later', () => {
    const u = scoreUnit(U, [
      first(),
      { id: 'b', clause: C, date: '2017-04-03', deadline: '2017-04-17', withdrawn: true },
      { id: 'c', clause: C, date: '2017-05-02' },
    ]);
    expect(pm(u, 'a', 'b', 'c')).toEqual([
      [-2, 1],
      [0, 0],
      [-4, 2],
    ]);
  });

  it('another clause, even in the same section', () => {
    const u = scoreUnit(U, [first(), { id: 'b', clause: 'P2', date: '2017-04-03' }]); // P2: −1, also in S1
    expect(pm(u, 'b')).toEqual([[-1, 1]]);
  });

  it('another unit', () => {
    const st = score(
      [
        { ...first(), unit: 'big-01' },
        { id: 'b', unit: 'big-02', clause: C, date: '2017-04-03' },
      ],
      { units: ['big-01', 'big-02'] },
    );
    expect(pm(unitOf(st, 'big-02'), 'b')).toEqual([[-2, 1]]);
  });

  it('a finding after asOf (ignored and not listed)', () => {
    const u = scoreUnit(
      U,
      [first(), { id: 'b', clause: C, date: '2017-04-03' }, { id: 'c', clause: C, date: '2017-06-01' }],
      { asOf: '2017-05-31' },
    );
    expect(u.findings.map((f) => f.id)).toEqual(['a', 'b']);
    expect(pm(u, 'b')).toEqual([[-4, 2]]);
    expect(u.total).toBe(94);
  });

  it('threshold findings neither escalate nor are escalated, even when given a deadline', () => {
    const u = scoreUnit(U, [
      { id: 't1', clause: 'T', value: 80, date: '2017-03-01', deadline: '2017-03-05' }, // −1 × 10 below 90
      { id: 't2', clause: 'T', value: 80, date: '2017-05-02' },
      { id: 't3', clause: 'T2', value: 77, date: '2017-03-31', deadline: '2017-04-01' }, // −2 × 3 below 80
      { id: 't4', clause: 'T2', value: 77, date: '2017-06-30' },
    ]);
    expect(pm(u, 't1', 't2', 't3', 't4')).toEqual([
      [-10, 1],
      [-10, 1],
      [-6, 1],
      [-6, 1],
    ]);
  });

  it('bonus findings neither escalate nor are escalated', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: 'B', date: '2017-03-01', deadline: '2017-03-02' },
      { id: 'b', clause: 'B', date: '2017-05-02' },
    ]);
    expect(pm(u, 'a', 'b')).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });
});

describe('flat clauses escalate too', () => {
  it('F (flat −5) overdue, then again → −10', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: 'F', date: '2017-03-01', deadline: '2017-03-15' },
      { id: 'b', clause: 'F', date: '2017-03-16' }, // default deadline 2017-03-23
      { id: 'c', clause: 'F', date: '2017-06-01', source: 'audit' },
    ]);
    expect(pm(u, 'a', 'b', 'c')).toEqual([
      [-5, 1],
      [-10, 2],
      [-60, 12], // a and b overdue (×4) × inspection (×3)
    ]);
    expect(u.sections.S3).toBe(0);
    expect(u.overflow).toBe(45);
    expect(u.total).toBe(25);
  });
});

describe('with the default deadline (5th working day)', () => {
  it('over a holiday: found Thu 2017-09-28, due 2017-10-11 (Sat 09-30 worked, 10-01..08 off)', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: C, date: '2017-09-28' },
      { id: 'b', clause: C, date: '2017-10-11' },
      { id: 'c', clause: C, date: '2017-10-12' },
    ]);
    expect(findingOf(u, 'a').deadline).toBe('2017-10-11');
    expect(findingOf(u, 'b').deadline).toBe('2017-10-18');
    // b on the deadline day of a: not a repeat. c the day after: a is overdue, b is not yet.
    expect(pm(u, 'b', 'c')).toEqual([
      [-2, 1],
      [-4, 2],
    ]);
  });

  it('rectified on the default deadline day is on time', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: C, date: '2017-09-28', rectifiedOn: '2017-10-11' },
      { id: 'b', clause: C, date: '2017-11-01' },
    ]);
    expect(pm(u, 'b')).toEqual([[-2, 1]]);
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
