// Invalid findings and scenarios are refused, and every message names the finding id and field
// (score-command.md: "prints a message on stderr that names the offending finding id and field").
import { describe, expect, it } from 'vitest';
import { checkFinding } from '../../rules/finding-check.ts';
import { prepareScenario, ScenarioError } from '../../rules/scenario.ts';
import { hz, refusal, score, scenario } from './support.ts';

const ok = { unit: '市教育局', date: '2017-05-04' };

describe('each invalid finding is refused naming its id and field', () => {
  it.each([
    // what, finding, field, code of checkFinding (null: caught by the scenario shape)
    ['unknown clause', { clause: '9.9.9z' }, 'clause', 'UNKNOWN_CLAUSE'],
    ['unknown unit', { unit: '市不存在局', clause: '1.1.2a' }, 'unit', 'UNKNOWN_UNIT'],
    ['organiser', { unit: '市跑改办', clause: '1.1.2a' }, 'unit', 'ORGANISER_NOT_ASSESSED'],
    [
      'organiser by alias',
      { unit: '市“最多跑一次”改革专题组办公室', clause: '1.1.2a' },
      'unit',
      'ORGANISER_NOT_ASSESSED',
    ],
    ['organiser 市考评办', { unit: '市考评办', clause: '6.1.1c' }, 'unit', 'ORGANISER_NOT_ASSESSED'],
    ['section 2.1 for a without_matters unit', { unit: '市审计局', clause: '2.1.1a' }, 'clause', 'NOT_APPLICABLE'],
    [
      'section 1.1 for a without_matters unit',
      { unit: '市统计局', clause: '1.1.1a', value: 80 },
      'clause',
      'NOT_APPLICABLE',
    ],
    [
      'section 5.2 for a without_matters unit, by alias',
      { unit: '杭州日报', clause: '5.2.2a' },
      'clause',
      'NOT_APPLICABLE',
    ],
    ['date before the year', { clause: '1.1.2a', date: '2016-12-31' }, 'date', 'DATE_OUTSIDE_YEAR'],
    ['date after the year', { clause: '1.1.2a', date: '2018-01-01' }, 'date', 'DATE_OUTSIDE_YEAR'],
    ['impossible date', { clause: '1.1.2a', date: '2017-02-29' }, 'date', 'BAD_DATE'],
    ['date not ISO', { clause: '1.1.2a', date: '2017/05/04' }, 'date', 'BAD_DATE'],
    ['count 2 on flat', { clause: '2.2.1b', count: 2 }, 'count', 'COUNT_NOT_ALLOWED'],
    ['count 2 on threshold', { clause: '1.1.1a', value: 80, count: 2 }, 'count', 'COUNT_NOT_ALLOWED'],
    [
      'count 3 on a tiered clause not per item (5.1.1a)',
      { clause: '5.1.1a', level: 'strong', count: 3 },
      'count',
      'COUNT_NOT_ALLOWED',
    ],
    ['count 2 on tiered 6.1.1a', { clause: '6.1.1a', level: 'city', count: 2 }, 'count', 'COUNT_NOT_ALLOWED'],
    ['count 2 on a flat bonus', { clause: '6.1.1c', count: 2 }, 'count', 'COUNT_NOT_ALLOWED'],
    ['count 0', { clause: '1.1.2a', count: 0 }, 'count', 'COUNT_OUT_OF_RANGE'],
    ['count −1', { clause: '1.1.2a', count: -1 }, 'count', 'COUNT_OUT_OF_RANGE'],
    ['count 1.5', { clause: '1.1.2a', count: 1.5 }, 'count', 'COUNT_OUT_OF_RANGE'],
    ['count 0 on flat', { clause: '2.2.1b', count: 0 }, 'count', 'COUNT_OUT_OF_RANGE'],
    ['value missing on threshold', { clause: '1.1.1a' }, 'value', 'VALUE_REQUIRED'],
    ['value above 100', { clause: '1.1.1a', value: 100.01 }, 'value', 'VALUE_OUT_OF_RANGE'],
    ['value below 0', { clause: '5.2.1a', value: -0.5 }, 'value', 'VALUE_OUT_OF_RANGE'],
    ['value on a per_item clause', { clause: '1.1.2a', value: 80 }, 'value', 'VALUE_NOT_ALLOWED'],
    ['level missing', { clause: '6.1.1a' }, 'level', 'LEVEL_REQUIRED'],
    ['unknown level', { clause: '6.1.1a', level: 'world' }, 'level', 'UNKNOWN_LEVEL'],
    ['level of another clause', { clause: '4.2.1b', level: 'city' }, 'level', 'UNKNOWN_LEVEL'],
    ['level on a per_item clause', { clause: '1.1.2a', level: 'lead' }, 'level', 'LEVEL_NOT_ALLOWED'],
    ['unknown source', { clause: '1.1.2a', source: 'newspaper' }, 'source', 'UNKNOWN_SOURCE'],
    [
      'explicit deadline before the date',
      { clause: '1.1.2a', deadline: '2017-05-03' },
      'deadline',
      'DEADLINE_BEFORE_DATE',
    ],
    ['bad deadline', { clause: '1.1.2a', deadline: '2017-13-01' }, 'deadline', 'BAD_DATE'],
    [
      'rectifiedOn before the date',
      { clause: '1.1.2a', rectifiedOn: '2017-05-01' },
      'rectifiedOn',
      'RECTIFIED_BEFORE_DATE',
    ],
    ['bad rectifiedOn', { clause: '1.1.2a', rectifiedOn: 'yesterday' }, 'rectifiedOn', 'BAD_DATE'],
  ] as const)('%s', (_what, fields, field, code) => {
    const finding = { ...ok, ...fields };
    const problems = refusal([
      { id: 'good', unit: '市教育局', clause: '1.1.2a', date: '2017-05-04' },
      { id: 'bad-1', ...finding },
    ]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.startsWith('finding bad-1: '))).toBe(true);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^finding bad-1: ${field}: `)));
    const checked = checkFinding(hz, finding, { year: 2017 });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.issues).toContainEqual(expect.objectContaining({ code, field }));
  });

  it('a finding of a unit outside `units` is still validated', () => {
    const problems = refusal([{ id: 'x9', unit: '市城投集团', clause: '2.2.1b', count: 4, date: '2017-05-04' }], {
      units: ['市教育局'],
    });
    expect(problems).toEqual([expect.stringMatching(/^finding x9: count: /)]);
  });

  it('all problems are reported at once, each with its own id', () => {
    const problems = refusal([
      { id: 'a1', unit: '市教育局', clause: '2.2.1b', count: 2, date: '2017-05-04' },
      { id: 'a2', unit: '市审计局', clause: '2.1.1a', date: '2017-05-04' },
      { id: 'a3', unit: '市教育局', clause: '1.1.1a', value: 120, date: '2017-05-04' },
    ]);
    expect(problems.map((p) => p.split(':').slice(0, 2).join(':'))).toEqual([
      'finding a1: count',
      'finding a2: clause',
      'finding a3: value',
    ]);
  });

  it('missing fields name the field', () => {
    const problems = refusal([
      { id: 'm1', unit: '市教育局', clause: '1.1.2a' },
      { id: 'm2', date: '2017-05-04', clause: '1.1.2a' },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^finding m1: date: /),
      expect.stringMatching(/^finding m2: unit: /),
    ]);
  });

  it('a missing id is reported by position', () => {
    const problems = refusal([{ unit: '市教育局', clause: '1.1.2a', date: '2017-05-04' }]);
    expect(problems).toEqual([expect.stringMatching(/^finding #1: id: /)]);
  });

  it('a duplicate id is refused', () => {
    const problems = refusal([
      { id: 'd', unit: '市教育局', clause: '1.1.2a', date: '2017-05-04' },
      { id: 'd', unit: '市教育局', clause: '1.1.2b', date: '2017-05-05' },
    ]);
    expect(problems).toEqual([expect.stringMatching(/^finding d: id: /)]);
  });

  it('the messages say what is wrong', () => {
    expect(refusal([{ id: 'n', unit: '市审计局', clause: '2.1.1a', date: '2017-05-04' }])).toEqual([
      'finding n: clause: section 2.1 of clause 2.1.1a does not apply to 市审计局 (without_matters)',
    ]);
    expect(
      refusal([{ id: 'd', unit: '市教育局', clause: '1.1.2a', date: '2017-05-04', deadline: '2017-05-03' }]),
    ).toEqual(['finding d: deadline: deadline 2017-05-03 is before the finding date 2017-05-04']);
    expect(refusal([{ id: 'y', unit: '市教育局', clause: '1.1.2a', date: '2018-01-02' }])).toEqual([
      'finding y: date: date 2018-01-02 is outside the assessment year 2017',
    ]);
  });
});

describe('scenario-level refusals', () => {
  it.each([
    ['organiser in units', { units: ['市考评办'] }, /^scenario units\[0\]: 市考评办 is an organiser/],
    ['unknown unit in units', { units: ['市教育局', '市火星局'] }, /^scenario units\[1\]: unknown unit/],
    ['asOf outside the year', { asOf: '2018-01-01' }, /^scenario asOf: /],
    ['asOf not a date', { asOf: '2017-02-30' }, /^scenario asOf: /],
  ] as const)('%s', (_what, opts, message) => {
    expect(refusal([], opts)).toEqual([expect.stringMatching(message)]);
  });

  it('unknown rulebook', () => {
    expect(() => prepareScenario({ rulebook: 'hz-1999', year: 1999, findings: [] })).toThrow(ScenarioError);
    expect(() => prepareScenario({ rulebook: 'hz-1999', year: 1999, findings: [] })).toThrow(
      /no rulebook named hz-1999/,
    );
  });

  it('a year other than the rulebook’s assessment year is refused', () => {
    const problems = refusal([], { year: 2018, asOf: '2018-12-31' });
    expect(problems).toEqual(['scenario year: 2018 is not the assessment year of rulebook hz-2017 (2017)']);
  });
});

describe('accepted inputs', () => {
  it('value 0 and 100 are in range', () => {
    expect(() =>
      score(
        [
          { id: 'a', unit: '市教育局', clause: '1.1.1a', value: 0, date: '2017-05-04' },
          { id: 'b', unit: '市教育局', clause: '1.1.1a', value: 100, date: '2017-06-04' },
        ],
        { units: ['市教育局'] },
      ),
    ).not.toThrow();
  });

  it('nulls mean "not given"', () => {
    const st = score(
      [
        {
          id: 'a',
          unit: '市教育局',
          clause: '1.1.2a',
          date: '2017-05-04',
          count: null,
          source: null,
          deadline: null,
          rectifiedOn: null,
          withdrawn: null,
          value: null,
          level: null,
        },
      ],
      { units: ['市教育局'] },
    );
    expect(st.units[0]!.total).toBe(99);
  });

  it('numeric ids are accepted and reported as strings', () => {
    const st = score([{ id: 7, unit: '市教育局', clause: '1.1.2a', date: '2017-05-04' }], { units: ['市教育局'] });
    expect(st.units[0]!.findings[0]!.id).toBe('7');
  });

  it('the scenario helper builds the documented shape', () => {
    expect(scenario([], { asOf: '2017-06-30' })).toEqual({
      rulebook: 'hz-2017',
      year: 2017,
      asOf: '2017-06-30',
      findings: [],
    });
  });
});
