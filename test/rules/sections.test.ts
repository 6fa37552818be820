// Section caps and overflow (Semantics 5, 12) and disqualification (Semantics 6), on the synthetic
// rulebook: big units have S1 50, S2 10, S3 30, S4 10, S0 0 (base 100); small units S2, S4, S0
// (base 20). Deductions in S2 and findings under clause D disqualify.
import { describe, expect, it } from 'vitest';
import { BIG } from '../support/synthetic-rulebook.ts';
import { pm, score, scoreUnit, unitOf } from './support.ts';

const U = 'big-01';
/** n findings of a flat clause (one finding counts its amount once). */
const times = (n: number, clause: string) =>
  Array.from({ length: n }, (_, i) => ({ id: `${clause}${i}`, clause, date: '2017-04-10' }));

describe('section caps and overflow', () => {
  it('deductions beyond the full score are cut from the section and still come off the total', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: 'P', count: 30, date: '2017-04-10' }]); // −60 in S1 (50)
    expect(u.sections.S1).toBe(0);
    expect(u.deductions).toBe(60);
    expect(u.overflow).toBe(10);
    expect(u.total).toBe(40);
  });

  it('exactly the full score: section 0, no overflow', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: 'P', count: 25, date: '2017-04-10' }]); // −50 in S1 (50)
    expect([u.sections.S1, u.overflow, u.total]).toEqual([0, 0, 50]);
  });

  it('overflow adds up over sections', () => {
    const u = scoreUnit(U, [
      ...times(4, 'Q'), // −12 in S2 (full 10) → overflow 2
      { id: 't', clause: 'T', value: 75, date: '2017-04-10' }, // −15 in S4 (full 10) → overflow 5
      { id: 'p', clause: 'P', count: 10, date: '2017-04-10' }, // −20 in S1 (full 50) → 30, no overflow
    ]);
    expect(u.sections).toMatchObject({ S2: 0, S4: 0, S1: 30 });
    expect([u.deductions, u.overflow, u.total]).toEqual([47, 7, 53]);
  });

  it('the total may go below zero: overflow comes off the total without a floor', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: 'P', count: 100, date: '2017-04-10' }]); // −200
    expect([u.sections.S1, u.overflow, u.total]).toEqual([0, 150, -100]);
  });

  it('bonuses never raise a section', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: 'F', date: '2017-04-10' }, // −5 in S3
      { id: 'b', clause: 'B', count: 3, date: '2017-04-10' }, // +3 in S3
    ]);
    expect(u.sections.S3).toBe(25);
    expect([u.deductions, u.bonuses, u.total]).toEqual([5, 3, 98]);
  });

  it('a bonus alone leaves its section at full, not above', () => {
    const u = scoreUnit(U, [{ id: 'b', clause: 'B', count: 2, date: '2017-04-10' }]);
    expect(u.sections.S3).toBe(30);
    expect(u.total).toBe(102);
  });

  it('bonuses do not fill an overflowing section back up', () => {
    const u = scoreUnit(U, [
      ...times(7, 'F'), // −35 in S3 (full 30) → overflow 5
      { id: 'b', clause: 'B', count: 4, date: '2017-04-10' }, // +4 in S3
    ]);
    expect([u.sections.S3, u.overflow, u.deductions, u.bonuses, u.total]).toEqual([0, 5, 35, 4, 69]);
  });

  it('a section with full 0 stays 0 with bonuses', () => {
    const u = scoreUnit(U, [{ id: 'b', clause: 'FB', date: '2017-04-10' }]);
    expect(u.sections.S0).toBe(0);
    expect(u.overflow).toBe(0);
    expect(u.total).toBe(110);
  });

  it('a small unit (base 20) overflows the same way', () => {
    const u = scoreUnit('small-1', times(4, 'Q')); // −12 in S2 (full 10)
    expect(u.sections).toEqual({ S2: 0, S4: 10, S0: 0 });
    expect([u.base, u.deductions, u.overflow, u.total]).toEqual([20, 12, 2, 8]);
  });

  it('withdrawn findings deduct nothing from the section', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: 'P', count: 30, date: '2017-04-10', withdrawn: true }]);
    expect(u.sections.S1).toBe(50);
    expect([u.deductions, u.overflow, u.total]).toEqual([0, 0, 100]);
  });
});

describe('disqualification', () => {
  it.each([
    [[{ clause: 'D' }], ['excellence']], // the clause disqualifies
    [[{ clause: 'Q' }], ['special']], // a deduction in S2 disqualifies
    [
      [{ clause: 'P' }, { clause: 'Q' }, { clause: 'D' }],
      ['excellence', 'special'],
    ], // in the rulebook's order
    [[{ clause: 'P' }], []],
    [[{ clause: 'T', value: 50 }], []],
    [[{ clause: 'FB' }], []],
  ])('%j → %j', (findings, disqualified) => {
    const u = scoreUnit(
      U,
      findings.map((f, i) => ({ id: `f${i}`, date: '2017-04-10', ...f })),
    );
    expect(u.disqualified).toEqual(disqualified);
  });

  it('a small unit is disqualified by a deduction in S2 as well', () => {
    expect(scoreUnit('small-1', [{ id: 'f', clause: 'Q', date: '2017-04-10' }]).disqualified).toEqual(['special']);
  });

  it('withdrawn findings do not disqualify', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: 'D', date: '2017-04-10', withdrawn: true },
      { id: 'b', clause: 'Q', date: '2017-04-10', withdrawn: true },
    ]);
    expect(u.disqualified).toEqual([]);
    expect(pm(u, 'a', 'b')).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('findings after asOf do not disqualify', () => {
    const u = scoreUnit(U, [{ id: 'a', clause: 'D', date: '2017-07-01' }], { asOf: '2017-06-30' });
    expect(u.disqualified).toEqual([]);
    expect(u.findings).toEqual([]);
  });

  it('a disqualified unit keeps its score and rank but is never advanced', () => {
    const units = BIG.slice(0, 5); // quota: floor(20 % × 5) = 1
    const st = score(
      [
        { id: 'x', unit: 'big-01', clause: 'FB', date: '2017-04-10' }, // +10
        { id: 'y', unit: 'big-01', clause: 'D', date: '2017-04-10' }, // −1 → 109, disqualified
        { id: 'z', unit: 'big-02', clause: 'LX', level: 'city', date: '2017-04-10' }, // 101
      ],
      { units },
    );
    const top = unitOf(st, 'big-01');
    expect([top.total, top.rank, top.advanced, top.disqualified]).toEqual([109, 1, false, ['excellence']]);
    expect(st.groups.big).toMatchObject({ quota: 1, advanced: ['big-02'], tiedAtCut: false });
    expect(unitOf(st, 'big-02')).toMatchObject({ rank: 2, advanced: true });
  });
});
