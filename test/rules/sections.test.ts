// Section caps and overflow (Semantics 5, 12) and disqualification (Semantics 6).
import { describe, expect, it } from 'vitest';
import { pm, score, scoreUnit, unitOf } from './support.ts';

const U = '市教育局';

describe('section caps and overflow', () => {
  it('deductions beyond the full score are cut from the section and still come off the total', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: '1.1.2a', count: 20, date: '2017-04-10' }]);
    expect(u.sections['1.1']).toBe(0);
    expect(u.deductions).toBe(20);
    expect(u.overflow).toBe(5);
    expect(u.total).toBe(80);
  });

  it('exactly the full score: section 0, no overflow', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: '4.1.1b', count: 5, date: '2017-04-10' }]);
    expect([u.sections['4.1'], u.overflow, u.total]).toEqual([0, 0, 95]);
  });

  it('overflow adds up over sections', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: '2.2.1a', count: 7, date: '2017-04-10' }, // 2.2 full 5 → overflow 2
      { id: 'b', clause: '4.3.1a', count: 9, date: '2017-04-10' }, // 4.3 full 5 → overflow 4
      { id: 'c', clause: '3.2.1a', count: 4, date: '2017-04-10' }, // 3.2 full 10 → 6, no overflow
    ]);
    expect(u.sections).toMatchObject({ '2.2': 0, '4.3': 0, '3.2': 6 });
    expect([u.deductions, u.overflow, u.total]).toEqual([20, 6, 80]);
  });

  it('the total may go below zero: overflow comes off the total without a floor', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: '1.1.2a', count: 200, date: '2017-04-10' }]);
    expect([u.sections['1.1'], u.overflow, u.total]).toEqual([0, 185, -100]);
  });

  it('bonuses never raise a section', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: '2.1.1a', count: 1, date: '2017-04-10' },
      { id: 'b', clause: '2.1.3b', count: 3, date: '2017-04-10' },
    ]);
    expect(u.sections['2.1']).toBe(9);
    expect([u.deductions, u.bonuses, u.total]).toEqual([1, 3, 102]);
  });

  it('a bonus alone leaves its section at full, not above', () => {
    const u = scoreUnit(U, [{ id: 'b', clause: '4.2.3a', count: 2, date: '2017-04-10' }]);
    expect(u.sections['4.2']).toBe(5);
    expect(u.total).toBe(102);
  });

  it('bonuses do not fill an overflowing section back up', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: '4.2.1a', count: 8, date: '2017-04-10' },
      { id: 'b', clause: '4.2.1b', level: 'lead', count: 4, date: '2017-04-10' },
    ]);
    expect([u.sections['4.2'], u.overflow, u.deductions, u.bonuses, u.total]).toEqual([0, 3, 8, 4, 96]);
  });

  it('6.1 has full 0: it stays 0 with bonuses', () => {
    const u = scoreUnit(U, [{ id: 'b', clause: '6.1.1c', date: '2017-04-10' }]);
    expect(u.sections['6.1']).toBe(0);
    expect(u.overflow).toBe(0);
    expect(u.total).toBe(105);
  });

  it('a without_matters unit (base 20) overflows the same way', () => {
    const u = scoreUnit('市审计局', [{ id: 'f', clause: '1.2.1a', count: 12, date: '2017-04-10' }]);
    expect(u.sections).toEqual({ '1.2': 0, '5.1': 5, '5.3': 5, '6.1': 0 });
    expect([u.base, u.deductions, u.overflow, u.total]).toEqual([20, 12, 2, 8]);
  });

  it('withdrawn findings deduct nothing from the section', () => {
    const u = scoreUnit(U, [{ id: 'f', clause: '1.1.2a', count: 20, date: '2017-04-10', withdrawn: true }]);
    expect(u.sections['1.1']).toBe(15);
    expect([u.deductions, u.overflow, u.total]).toEqual([0, 0, 100]);
  });
});

describe('disqualification', () => {
  it.each([
    [[{ clause: '1.1.3a' }], ['year_end_excellence']],
    [[{ clause: '1.2.1a' }], ['special_award']],
    [[{ clause: '1.2.1b', count: 3 }], ['special_award']],
    [
      [{ clause: '1.1.3a' }, { clause: '1.2.1b' }],
      ['year_end_excellence', 'special_award'],
    ],
    [[{ clause: '1.1.3b' }], []],
    [[{ clause: '1.1.1a', value: 50 }], []],
    [[{ clause: '6.1.1c' }], []],
  ])('%j → %j', (findings, disqualified) => {
    const u = scoreUnit(
      U,
      findings.map((f, i) => ({ id: `f${i}`, date: '2017-04-10', ...f })),
    );
    expect(u.disqualified).toEqual(disqualified);
  });

  it('a without_matters unit is disqualified by any deduction in 1.2', () => {
    expect(scoreUnit('市审计局', [{ id: 'f', clause: '1.2.1b', date: '2017-04-10' }]).disqualified).toEqual([
      'special_award',
    ]);
  });

  it('withdrawn findings do not disqualify', () => {
    const u = scoreUnit(U, [
      { id: 'a', clause: '1.1.3a', date: '2017-04-10', withdrawn: true },
      { id: 'b', clause: '1.2.1a', date: '2017-04-10', withdrawn: true },
    ]);
    expect(u.disqualified).toEqual([]);
    expect(pm(u, 'a', 'b')).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('findings after asOf do not disqualify', () => {
    const u = scoreUnit(U, [{ id: 'a', clause: '1.1.3a', date: '2017-07-01' }], { asOf: '2017-06-30' });
    expect(u.disqualified).toEqual([]);
    expect(u.findings).toEqual([]);
  });

  it('a disqualified unit keeps its score and rank but is never advanced', () => {
    const units = ['市发改委', '市经信委', '市教育局', '市科委', '市民族宗教局'];
    const st = score(
      [
        { id: 'x', unit: '市发改委', clause: '6.1.1c', date: '2017-04-10' }, // +5
        { id: 'y', unit: '市发改委', clause: '1.1.3a', date: '2017-04-10' }, // −2 → 103, disqualified
        { id: 'z', unit: '市经信委', clause: '6.1.1a', level: 'city', date: '2017-04-10' }, // 101
      ],
      { units },
    );
    const top = unitOf(st, '市发改委');
    expect([top.total, top.rank, top.advanced, top.disqualified]).toEqual([103, 1, false, ['year_end_excellence']]);
    expect(st.groups.with_matters).toMatchObject({ quota: 1, advanced: ['市经信委'], tiedAtCut: false });
    expect(unitOf(st, '市经信委')).toMatchObject({ rank: 2, advanced: true });
  });
});
