// Threshold measurements (Semantics 2): one per unit, clause and month; the latest date counts,
// on the same date the one filed later; withdrawing the counting one lets the next latest count.
import { describe, expect, it } from 'vitest';
import { findingOf, pm, score, scoreUnit, unitOf } from './support.ts';

const U = '市教育局';
const C = '5.2.1a'; // −1 per full point below 99, section 5.2 full 5

describe('threshold supersession', () => {
  it('the latest date in the month counts, older ones count 0', () => {
    const u = scoreUnit(U, [
      { id: 'm1', clause: C, value: 90, date: '2017-05-10' },
      { id: 'm2', clause: C, value: 97, date: '2017-05-20' },
    ]);
    expect(pm(u, 'm1', 'm2')).toEqual([
      [0, 0],
      [-2, 1],
    ]);
    expect(findingOf(u, 'm1')).toMatchObject({ status: 'superseded', supersededBy: 'm2' });
    expect(findingOf(u, 'm2').status).toBe('counted');
    expect([u.deductions, u.sections['5.2'], u.total]).toEqual([2, 3, 98]);
  });

  it('dates decide, not the order in the file', () => {
    const u = scoreUnit(U, [
      { id: 'm2', clause: C, value: 97, date: '2017-05-20' },
      { id: 'm1', clause: C, value: 90, date: '2017-05-10' },
    ]);
    expect(pm(u, 'm1', 'm2')).toEqual([
      [0, 0],
      [-2, 1],
    ]);
  });

  it('on the same date the one filed later counts', () => {
    const u = scoreUnit(U, [
      { id: 'early', clause: C, value: 97, date: '2017-05-20' },
      { id: 'late', clause: C, value: 90, date: '2017-05-20' },
    ]);
    expect(pm(u, 'early', 'late')).toEqual([
      [0, 0],
      [-9, 1],
    ]);
    expect(u.total).toBe(91);
  });

  it('withdrawing the counting one makes the next latest count', () => {
    const u = scoreUnit(U, [
      { id: 'm1', clause: C, value: 90, date: '2017-05-10' },
      { id: 'm2', clause: C, value: 95, date: '2017-05-15' },
      { id: 'm3', clause: C, value: 97, date: '2017-05-20', withdrawn: true },
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
      { id: 'm1', clause: C, value: 90, date: '2017-05-10' },
      { id: 'm2', clause: C, value: 95, date: '2017-05-15', withdrawn: true },
      { id: 'm3', clause: C, value: 97, date: '2017-05-15', withdrawn: true },
    ]);
    expect(pm(u, 'm1')).toEqual([[-9, 1]]);
    expect(u.total).toBe(91);
  });

  it('different months are independent', () => {
    const u = scoreUnit(U, [
      { id: 'apr', clause: C, value: 90, date: '2017-04-28' },
      { id: 'may', clause: C, value: 97, date: '2017-05-02' },
      { id: 'jun1', clause: C, value: 98.5, date: '2017-06-01' },
      { id: 'jun2', clause: C, value: 99, date: '2017-06-30' },
    ]);
    expect(pm(u, 'apr', 'may', 'jun1', 'jun2')).toEqual([
      [-9, 1],
      [-2, 1],
      [0, 0],
      [0, 1],
    ]);
    expect([u.deductions, u.sections['5.2'], u.overflow, u.total]).toEqual([11, 0, 6, 89]);
  });

  it('different clauses are independent', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: '1.1.1a', value: 80, date: '2017-05-10' },
      { id: 'b', clause: C, value: 97, date: '2017-05-20' },
    ]);
    expect(pm(u, 'a', 'b')).toEqual([
      [-5, 1],
      [-2, 1],
    ]);
  });

  it('different units are independent', () => {
    const st = score(
      [
        { id: 'a', unit: '市教育局', clause: C, value: 90, date: '2017-05-10' },
        { id: 'b', unit: '市公安局', clause: C, value: 97, date: '2017-05-20' },
      ],
      { units: ['市教育局', '市公安局'] },
    );
    expect(pm(unitOf(st, '市教育局'), 'a')).toEqual([[-9, 1]]);
    expect(pm(unitOf(st, '市公安局'), 'b')).toEqual([[-2, 1]]);
  });

  it('a later measurement after asOf is ignored, so the earlier one counts', () => {
    const u = scoreUnit(
      U,
      [
        { id: 'm1', clause: C, value: 90, date: '2017-05-10' },
        { id: 'm2', clause: C, value: 97, date: '2017-05-20' },
      ],
      { asOf: '2017-05-15' },
    );
    expect(u.findings.map((f) => f.id)).toEqual(['m1']);
    expect(pm(u, 'm1')).toEqual([[-9, 1]]);
  });

  it('inspection doubles the counting measurement; a superseded one stays 0', () => {
    const u = scoreUnit(U, [
      { id: 'm1', clause: C, value: 90, date: '2017-05-10', source: 'provincial_inspection' },
      { id: 'm2', clause: C, value: 97, date: '2017-05-20', source: 'municipal_inspection' },
    ]);
    expect(pm(u, 'm1', 'm2')).toEqual([
      [0, 0],
      [-4, 2],
    ]);
  });

  it('a later measurement at or above the threshold supersedes a deduction', () => {
    const u = scoreUnit(U, [
      { id: 'm1', clause: '1.1.1a', value: 70, date: '2017-08-01' },
      { id: 'm2', clause: '1.1.1a', value: 85, date: '2017-08-31' },
    ]);
    expect(pm(u, 'm1', 'm2')).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(u.total).toBe(100);
  });
});
