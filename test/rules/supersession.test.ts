// Threshold measurements (Semantics 2): one per unit, clause and month; the latest date counts,
// on the same date the one filed later; withdrawing the counting one lets the next latest count.
// On the synthetic rulebook.
import { describe, expect, it } from 'vitest';
import { findingOf, pm, score, scoreUnit, unitOf } from './support.ts';

const U = 'big-01'; // base 100
const C = 'T'; // −1 per full point below 90, section S4 full 10

describe('threshold supersession', () => {
  it('the latest date in the month counts, older ones count 0', () => {
    const u = scoreUnit(U, [
      { id: 'm1', clause: C, value: 81, date: '2017-05-10' },
      { id: 'm2', clause: C, value: 88, date: '2017-05-20' },
    ]);
    expect(pm(u, 'm1', 'm2')).toEqual([
      [0, 0],
      [-2, 1],
    ]);
    expect(findingOf(u, 'm1')).toMatchObject({ status: 'superseded', supersededBy: 'm2' });
    expect(findingOf(u, 'm2').status).toBe('counted');
    expect([u.deductions, u.sections.S4, u.total]).toEqual([2, 8, 98]);
  });

  it('dates decide, not the order in the file', () => {
    const u = scoreUnit(U, [
      { id: 'm2', clause: C, value: 88, date: '2017-05-20' },
      { id: 'm1', clause: C, value: 81, date: '2017-05-10' },
    ]);
    expect(pm(u, 'm1', 'm2')).toEqual([
      [0, 0],
      [-2, 1],
    ]);
  });

  it('on the same date the one filed later counts', () => {
    const u = scoreUnit(U, [
      { id: 'early', clause: C, value: 88, date: '2017-05-20' },
      { id: 'late', clause: C, value: 81, date: '2017-05-20' },
    ]);
    expect(pm(u, 'early', 'late')).toEqual([
      [0, 0],
      [-9, 1],
    ]);
    expect(u.total).toBe(91);
  });

  it('withdrawing the counting one makes the next latest count', () => {
    const u = scoreUnit(U, [
      { id: 'm1', clause: C, value: 81, date: '2017-05-10' },
      { id: 'm2', clause: C, value: 86, date: '2017-05-15' },
      { id: 'm3', clause: C, value: 88, date: '2017-05-20', withdrawn: true },
    ]);
    expect(pm(u, 'm1', 'm2', 'm3')).toEqual([
      [0, 0],
      [-4, 1],
      [0, 0],
    ]);
    expect(findingOf(u, 'm1').supersededBy).toBe('m2');
    expect(findingOf(u, 'm3').status).toBe('withdrawn');
    expect(u.total).toBe(96);
  });

  it('withdrawing every later one lets the earliest count', () => {
    const u = scoreUnit(U, [
      { id: 'm1', clause: C, value: 81, date: '2017-05-10' },
      { id: 'm2', clause: C, value: 86, date: '2017-05-15', withdrawn: true },
      { id: 'm3', clause: C, value: 88, date: '2017-05-15', withdrawn: true },
    ]);
    expect(pm(u, 'm1')).toEqual([[-9, 1]]);
    expect(u.total).toBe(91);
  });

  it('different months are independent', () => {
    const u = scoreUnit(U, [
      { id: 'apr', clause: C, value: 81, date: '2017-04-28' },
      { id: 'may', clause: C, value: 88, date: '2017-05-02' },
      { id: 'jun1', clause: C, value: 89.5, date: '2017-06-01' },
      { id: 'jun2', clause: C, value: 90, date: '2017-06-30' },
    ]);
    expect(pm(u, 'apr', 'may', 'jun1', 'jun2')).toEqual([
      [-9, 1],
      [-2, 1],
      [0, 0],
      [0, 1],
    ]);
    expect([u.deductions, u.sections.S4, u.overflow, u.total]).toEqual([11, 0, 1, 89]);
  });

  it('different clauses are independent', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: 'T2', value: 75, date: '2017-05-10' }, // T2: −2 per full point below 80
      { id: 'b', clause: C, value: 88, date: '2017-05-20' },
    ]);
    expect(pm(u, 'a', 'b')).toEqual([
      [-10, 1],
      [-2, 1],
    ]);
  });

  it('different units are independent', () => {
    const st = score(
      [
        { id: 'a', unit: 'big-01', clause: C, value: 81, date: '2017-05-10' },
        { id: 'b', unit: 'big-02', clause: C, value: 88, date: '2017-05-20' },
      ],
      { units: ['big-01', 'big-02'] },
    );
    expect(pm(unitOf(st, 'big-01'), 'a')).toEqual([[-9, 1]]);
    expect(pm(unitOf(st, 'big-02'), 'b')).toEqual([[-2, 1]]);
  });

  it('a later measurement after asOf is ignored, so the earlier one counts', () => {
    const u = scoreUnit(
      U,
      [
        { id: 'm1', clause: C, value: 81, date: '2017-05-10' },
        { id: 'm2', clause: C, value: 88, date: '2017-05-20' },
      ],
      { asOf: '2017-05-15' },
    );
    expect(u.findings.map((f) => f.id)).toEqual(['m1']);
    expect(pm(u, 'm1')).toEqual([[-9, 1]]);
  });

  it('inspection multiplies the counting measurement (×3); a superseded one stays 0', () => {
    const u = scoreUnit(U, [
      { id: 'm1', clause: C, value: 81, date: '2017-05-10', source: 'audit' },
      { id: 'm2', clause: C, value: 88, date: '2017-05-20', source: 'inspection' },
    ]);
    expect(pm(u, 'm1', 'm2')).toEqual([
      [0, 0],
      [-6, 3],
    ]);
  });

  it('a later measurement at or above the threshold supersedes a deduction', () => {
    const u = scoreUnit(U, [
      { id: 'm1', clause: 'T2', value: 70, date: '2017-08-01' },
      { id: 'm2', clause: 'T2', value: 80, date: '2017-08-31' },
    ]);
    expect(pm(u, 'm1', 'm2')).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(u.total).toBe(100);
  });
});
