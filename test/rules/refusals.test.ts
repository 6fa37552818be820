// Invalid findings and scenarios are refused, and every message names the finding id and field
// (score-command.md: "prints a message on stderr that names the offending finding id and field").
// On the synthetic rulebook: S1 and S3 apply to big units only; counts 1–1000; values 0–100.
import { describe, expect, it } from 'vitest';
import { checkFinding } from '../../rules/finding-check.ts';
import { prepareScenario, ScenarioError } from '../../rules/scenario.ts';
import { refusal, score, scenario, synthetic } from './support.ts';

const ok = { unit: 'big-01', date: '2017-05-04' };

describe('each invalid finding is refused naming its id and field', () => {
  it.each([
    // what, finding, field, code of checkFinding
    ['unknown clause', { clause: 'ZZ' }, 'clause', 'UNKNOWN_CLAUSE'],
    ['unknown unit', { unit: 'no-such-unit', clause: 'P' }, 'unit', 'UNKNOWN_UNIT'],
    ['organiser', { unit: 'office', clause: 'P' }, 'unit', 'ORGANISER_NOT_ASSESSED'],
    ['organiser by alias', { unit: 'the office', clause: 'P' }, 'unit', 'ORGANISER_NOT_ASSESSED'],
    ['organiser, bonus clause', { unit: 'office', clause: 'FB' }, 'unit', 'ORGANISER_NOT_ASSESSED'],
    ['section S1 (big only) for a small unit', { unit: 'small-1', clause: 'P' }, 'clause', 'NOT_APPLICABLE'],
    ['threshold in S1 for a small unit', { unit: 'small-2', clause: 'T2', value: 80 }, 'clause', 'NOT_APPLICABLE'],
    ['flat in S3 for a small unit', { unit: 'small-3', clause: 'F' }, 'clause', 'NOT_APPLICABLE'],
    ['date before the year', { clause: 'P', date: '2016-12-31' }, 'date', 'DATE_OUTSIDE_YEAR'],
    ['date after the year', { clause: 'P', date: '2018-01-01' }, 'date', 'DATE_OUTSIDE_YEAR'],
    ['impossible date', { clause: 'P', date: '2017-02-29' }, 'date', 'BAD_DATE'],
    ['date not ISO', { clause: 'P', date: '2017/05/04' }, 'date', 'BAD_DATE'],
    ['count 2 on flat', { clause: 'F', count: 2 }, 'count', 'COUNT_NOT_ALLOWED'],
    ['count 2 on threshold', { clause: 'T', value: 80, count: 2 }, 'count', 'COUNT_NOT_ALLOWED'],
    [
      'count 3 on a tiered clause not per item',
      { clause: 'LX', level: 'city', count: 3 },
      'count',
      'COUNT_NOT_ALLOWED',
    ],
    ['count 2 on a flat bonus', { clause: 'FB', count: 2 }, 'count', 'COUNT_NOT_ALLOWED'],
    ['count 0', { clause: 'P', count: 0 }, 'count', 'COUNT_OUT_OF_RANGE'],
    ['count −1', { clause: 'P', count: -1 }, 'count', 'COUNT_OUT_OF_RANGE'],
    ['count 1.5', { clause: 'P', count: 1.5 }, 'count', 'COUNT_OUT_OF_RANGE'],
    ['count above the rulebook’s maximum (1000)', { clause: 'P', count: 1001 }, 'count', 'COUNT_OUT_OF_RANGE'],
    ['count 0 on flat', { clause: 'F', count: 0 }, 'count', 'COUNT_OUT_OF_RANGE'],
    ['value missing on threshold', { clause: 'T' }, 'value', 'VALUE_REQUIRED'],
    ['value above 100', { clause: 'T', value: 100.01 }, 'value', 'VALUE_OUT_OF_RANGE'],
    ['value below 0', { clause: 'T2', value: -0.5 }, 'value', 'VALUE_OUT_OF_RANGE'],
    ['value on a per_item clause', { clause: 'P', value: 80 }, 'value', 'VALUE_NOT_ALLOWED'],
    ['level missing', { clause: 'LX' }, 'level', 'LEVEL_REQUIRED'],
    ['unknown level', { clause: 'LX', level: 'world' }, 'level', 'UNKNOWN_LEVEL'],
    ['level of another clause', { clause: 'L', level: 'city' }, 'level', 'UNKNOWN_LEVEL'],
    ['level on a per_item clause', { clause: 'P', level: 'lead' }, 'level', 'LEVEL_NOT_ALLOWED'],
    ['unknown source', { clause: 'P', source: 'newspaper' }, 'source', 'UNKNOWN_SOURCE'],
    ['explicit deadline before the date', { clause: 'P', deadline: '2017-05-03' }, 'deadline', 'DEADLINE_BEFORE_DATE'],
    ['bad deadline', { clause: 'P', deadline: '2017-13-01' }, 'deadline', 'BAD_DATE'],
    ['rectifiedOn before the date', { clause: 'P', rectifiedOn: '2017-05-01' }, 'rectifiedOn', 'RECTIFIED_BEFORE_DATE'],
    ['bad rectifiedOn', { clause: 'P', rectifiedOn: 'yesterday' }, 'rectifiedOn', 'BAD_DATE'],
  ] as const)('%s', (_what, fields, field, code) => {
    const finding = { ...ok, ...fields };
    const problems = refusal([
      { id: 'good', unit: 'big-01', clause: 'P', date: '2017-05-04' },
      { id: 'bad-1', ...finding },
    ]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.startsWith('finding bad-1: '))).toBe(true);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^finding bad-1: ${field}: `)));
    const checked = checkFinding(synthetic, finding, { year: 2017 });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.issues).toContainEqual(expect.objectContaining({ code, field }));
  });

  it('a finding of a unit outside `units` is still validated', () => {
    const problems = refusal([{ id: 'x9', unit: 'big-07', clause: 'F', count: 4, date: '2017-05-04' }], {
      units: ['big-01'],
    });
    expect(problems).toEqual([expect.stringMatching(/^finding x9: count: /)]);
  });

  it('all problems are reported at once, each with its own id', () => {
    const problems = refusal([
      { id: 'a1', unit: 'big-01', clause: 'F', count: 2, date: '2017-05-04' },
      { id: 'a2', unit: 'small-1', clause: 'P', date: '2017-05-04' },
      { id: 'a3', unit: 'big-01', clause: 'T', value: 120, date: '2017-05-04' },
    ]);
    expect(problems.map((p) => p.split(':').slice(0, 2).join(':'))).toEqual([
      'finding a1: count',
      'finding a2: clause',
      'finding a3: value',
    ]);
  });

  it('missing fields name the field', () => {
    const problems = refusal([
      { id: 'm1', unit: 'big-01', clause: 'P' },
      { id: 'm2', date: '2017-05-04', clause: 'P' },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^finding m1: date: /),
      expect.stringMatching(/^finding m2: unit: /),
    ]);
  });

  it('a missing id is reported by position', () => {
    const problems = refusal([{ unit: 'big-01', clause: 'P', date: '2017-05-04' }]);
    expect(problems).toEqual([expect.stringMatching(/^finding #1: id: /)]);
  });

  it('a duplicate id is refused', () => {
    const problems = refusal([
      { id: 'd', unit: 'big-01', clause: 'P', date: '2017-05-04' },
      { id: 'd', unit: 'big-01', clause: 'P2', date: '2017-05-05' },
    ]);
    expect(problems).toEqual([expect.stringMatching(/^finding d: id: /)]);
  });

  it('the messages say what is wrong', () => {
    expect(refusal([{ id: 'n', unit: 'small-1', clause: 'P', date: '2017-05-04' }])).toEqual([
      'finding n: clause: section S1 of clause P does not apply to small-1 (small)',
    ]);
    expect(refusal([{ id: 'd', unit: 'big-01', clause: 'P', date: '2017-05-04', deadline: '2017-05-03' }])).toEqual([
      'finding d: deadline: deadline 2017-05-03 is before the finding date 2017-05-04',
    ]);
    expect(refusal([{ id: 'y', unit: 'big-01', clause: 'P', date: '2018-01-02' }])).toEqual([
      'finding y: date: date 2018-01-02 is outside the assessment year 2017',
    ]);
  });
});

describe('scenario-level refusals', () => {
  it.each([
    ['organiser in units', { units: ['office'] }, /^scenario units\[0\]: office is an organiser/],
    ['unknown unit in units', { units: ['big-01', 'mars'] }, /^scenario units\[1\]: unknown unit/],
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
    expect(problems).toEqual(['scenario year: 2018 is not the assessment year of rulebook synthetic (2017)']);
  });
});

describe('accepted inputs', () => {
  it('value 0 and 100 are in range', () => {
    expect(() =>
      score(
        [
          { id: 'a', unit: 'big-01', clause: 'T', value: 0, date: '2017-05-04' },
          { id: 'b', unit: 'big-01', clause: 'T', value: 100, date: '2017-06-04' },
        ],
        { units: ['big-01'] },
      ),
    ).not.toThrow();
  });

  it('nulls mean "not given"', () => {
    const st = score(
      [
        {
          id: 'a',
          unit: 'big-01',
          clause: 'P',
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
      { units: ['big-01'] },
    );
    expect(st.units[0]!.total).toBe(98); // P: −2
  });

  it('numeric ids are accepted and reported as strings', () => {
    const st = score([{ id: 7, unit: 'big-01', clause: 'P', date: '2017-05-04' }], { units: ['big-01'] });
    expect(st.units[0]!.findings[0]!.id).toBe('7');
  });

  it('the scenario helper builds the documented shape', () => {
    expect(scenario([], { asOf: '2017-06-30' })).toEqual({
      rulebook: 'synthetic',
      year: 2017,
      asOf: '2017-06-30',
      findings: [],
    });
  });
});
