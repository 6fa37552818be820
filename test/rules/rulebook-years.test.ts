import { describe, expect, it } from 'vitest';
import { loadRulebook, RulebookError } from '../../rules/rulebook.ts';
import { followingYear, loadRulebookYears, rulebookYears } from '../../rules/rulebook-years.ts';

// The years one deployment holds (the turn of the year): the next year's rulebook is a copy of
// the last one with its own calendar until the office changes it, validated like any rulebook.

const base = loadRulebook('hz-2017');
const problemsOf = (f: () => unknown): readonly string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof RulebookError) return e.problems;
    throw e;
  }
  throw new Error('no RulebookError');
};

describe('rulebook years', () => {
  it('hz-2017 holds 2017 and 2018 (its calendars), 2018 a copy of 2017 with the same id', () => {
    const years = loadRulebookYears('hz-2017');
    expect(years.map((r) => [r.id, r.data.year])).toEqual([
      ['hz-2017', 2017],
      ['hz-2017', 2018],
    ]);
    const [y2017, y2018] = years as [typeof base, typeof base];
    expect(y2018.data.clauses).toEqual(y2017.data.clauses);
    expect(y2018.data.units).toEqual(y2017.data.units);
    // its own calendar: 2018's New Year holiday, and 2018-02-11 (a Sunday) is a make-up working day
    expect(y2018.calendar.isWorkingDay('2018-01-01')).toBe(false);
    expect(y2018.calendar.isWorkingDay('2018-02-11')).toBe(true);
  });

  it('a year without an official calendar has no rulebook: the years end there', () => {
    const y2018 = followingYear(base)!;
    expect(followingYear(y2018)).toBeNull();
    expect(rulebookYears(base).map((r) => r.data.year)).toEqual([2017, 2018]);
  });

  it('the office’s own rulebook for a year replaces the copy, and is validated in both passes', () => {
    const changed = { ...base.data, year: 2018, settings: { ...base.data.settings, defaultSource: 'routine' } };
    const withChange = rulebookYears(
      base,
      new Map([[2018, { ...changed, clauses: base.data.clauses.filter((c) => c.id !== '2.1.1a') }]]),
    );
    expect(withChange[1]!.clauses.has('2.1.1a')).toBe(false);
    expect(withChange[0]!.clauses.has('2.1.1a')).toBe(true);
    // shape (zod) …
    expect(problemsOf(() => rulebookYears(base, new Map([[2018, { ...changed, year: 'next' }]])))).toEqual([
      'year: Invalid input: expected number, received string',
    ]);
    // … cross-references
    expect(
      problemsOf(() =>
        rulebookYears(base, new Map([[2018, { ...changed, settings: { ...changed.settings, defaultSource: 'x' } }]])),
      ),
    ).toEqual(['settings.defaultSource x is not one of settings.sources']);
    // its own calendar is required, like any year's
    expect(problemsOf(() => rulebookYears(base, new Map([[2018, { ...changed, calendars: {} }]])))).toEqual([
      'no calendar for the assessment year 2018',
    ]);
    // the same id and that year: the years share the store's units, months and ledgers
    expect(problemsOf(() => rulebookYears(base, new Map([[2018, { ...changed, id: 'hz-2018' }]])))).toEqual([
      'the 2018 rulebook declares id hz-2018, not hz-2017',
    ]);
    expect(problemsOf(() => rulebookYears(base, new Map([[2018, { ...changed, year: 2017 }]])))).toEqual([
      'the 2018 rulebook declares year 2017',
    ]);
  });

  it('an office rulebook for a year that does not follow on is refused, not silently ignored', () => {
    expect(problemsOf(() => rulebookYears(base, new Map([[2020, { ...base.data, year: 2020 }]])))).toEqual([
      'rulebook for 2020 follows a year that has none',
    ]);
    expect(problemsOf(() => rulebookYears(base, new Map([[2016, { ...base.data, year: 2016 }]])))).toEqual([
      'rulebook for 2016 is not after 2017',
    ]);
  });
});
