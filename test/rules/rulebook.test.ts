// Loading and validating rulebooks (two passes: shape, then cross-references), and adding a second
// rulebook as data only.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { availableRulebooks, buildRulebook, loadRulebook, RulebookError, type Rulebook } from '../../rules/rulebook.ts';
import { checkFinding } from '../../rules/finding-check.ts';
import { computeStandings } from '../../rules/engine/compute-standings.ts';
import type { EngineFinding } from '../../rules/engine/types.ts';

const HZ_FILE = new URL('../../rules/rulebooks/hz-2017.json', import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test data is edited freely
type Raw = any;
const raw = (): Raw => JSON.parse(readFileSync(HZ_FILE, 'utf8'));

function problemsOf(data: Raw): readonly string[] {
  try {
    buildRulebook(data);
  } catch (e) {
    expect(e).toBeInstanceOf(RulebookError);
    return (e as RulebookError).problems;
  }
  throw new Error('the rulebook was accepted');
}

describe('hz-2017', () => {
  const rb = loadRulebook('hz-2017');

  it('is available and cached', () => {
    expect(availableRulebooks()).toContain('hz-2017');
    expect(loadRulebook('hz-2017')).toBe(rb);
    expect([rb.id, rb.data.year, rb.data.timeZone]).toEqual(['hz-2017', 2017, 'Asia/Shanghai']);
  });

  it('has 59 units: 43 with_matters, 16 without_matters', () => {
    const units = [...rb.units.values()];
    expect(units.length).toBe(59);
    expect(units.filter((u) => u.group === 'with_matters').length).toBe(43);
    expect(units.filter((u) => u.group === 'without_matters').length).toBe(16);
    expect(rb.groupIds).toEqual(['with_matters', 'without_matters']);
  });

  it('has 6 categories, 14 sections, 48 clauses', () => {
    expect(rb.data.categories.map((c) => [c.id, c.points])).toEqual([
      ['1', 25],
      ['2', 15],
      ['3', 30],
      ['4', 15],
      ['5', 15],
      ['6', 0],
    ]);
    expect([...rb.sections.values()].map((s) => [s.id, s.full])).toEqual([
      ['1.1', 15],
      ['1.2', 10],
      ['2.1', 10],
      ['2.2', 5],
      ['3.1', 10],
      ['3.2', 10],
      ['3.3', 10],
      ['4.1', 5],
      ['4.2', 5],
      ['4.3', 5],
      ['5.1', 5],
      ['5.2', 5],
      ['5.3', 5],
      ['6.1', 0],
    ]);
    expect(rb.clauses.size).toBe(48);
  });

  it('base 100 for with_matters, 20 for without_matters', () => {
    expect(rb.baseFor('with_matters')).toBe(100);
    expect(rb.baseFor('without_matters')).toBe(20);
    expect(rb.sectionsFor('without_matters').map((s) => s.id)).toEqual(['1.2', '5.1', '5.3', '6.1']);
    expect(rb.sectionsFor('with_matters').length).toBe(14);
  });

  it('clauses match the spec table (id, section, kind, amount)', () => {
    const table = [...rb.clauses.values()].map((c) =>
      c.kind === 'tiered'
        ? [c.id, c.section, c.kind, c.levels.map((l) => `${l.id}:${l.amount}`).join(' '), c.perItem]
        : [c.id, c.section, c.kind, c.amount],
    );
    expect(table).toEqual([
      ['1.1.1a', '1.1', 'threshold', -1],
      ['1.1.1b', '1.1', 'per_item', -1],
      ['1.1.2a', '1.1', 'per_item', -1],
      ['1.1.2b', '1.1', 'per_item', -1],
      ['1.1.3a', '1.1', 'per_item', -2],
      ['1.1.3b', '1.1', 'per_item', -1],
      ['1.1.3c', '1.1', 'per_item', -1],
      ['1.2.1a', '1.2', 'per_item', -1],
      ['1.2.1b', '1.2', 'per_item', -1],
      ['2.1.1a', '2.1', 'per_item', -1],
      ['2.1.2a', '2.1', 'per_item', -1],
      ['2.1.3a', '2.1', 'per_item', -1],
      ['2.1.3b', '2.1', 'per_item', 1],
      ['2.2.1a', '2.2', 'per_item', -1],
      ['2.2.1b', '2.2', 'flat', -1],
      ['2.2.2a', '2.2', 'flat', -1],
      ['2.2.2b', '2.2', 'flat', -1],
      ['3.1.1a', '3.1', 'per_item', -1],
      ['3.1.1b', '3.1', 'per_item', -1],
      ['3.1.1c', '3.1', 'flat', -1],
      ['3.1.2a', '3.1', 'per_item', -1],
      ['3.1.3a', '3.1', 'per_item', -1],
      ['3.1.3b', '3.1', 'per_item', -1],
      ['3.1.3c', '3.1', 'per_item', -1],
      ['3.1.4a', '3.1', 'per_item', -1],
      ['3.2.1a', '3.2', 'per_item', -1],
      ['3.2.2a', '3.2', 'flat', -1],
      ['3.2.2b', '3.2', 'per_item', 1],
      ['3.3.1a', '3.3', 'per_item', -1],
      ['3.3.1b', '3.3', 'per_item', -1],
      ['4.1.1a', '4.1', 'per_item', -1],
      ['4.1.1b', '4.1', 'per_item', -1],
      ['4.1.1c', '4.1', 'per_item', -1],
      ['4.2.1a', '4.2', 'per_item', -1],
      ['4.2.1b', '4.2', 'tiered', 'lead:1 support:0.5', true],
      ['4.2.2a', '4.2', 'per_item', -1],
      ['4.2.3a', '4.2', 'per_item', 1],
      ['4.3.1a', '4.3', 'per_item', -1],
      ['4.3.2a', '4.3', 'per_item', 1],
      ['5.1.1a', '5.1', 'tiered', 'participated:1 strong:2', false],
      ['5.2.1a', '5.2', 'threshold', -1],
      ['5.2.2a', '5.2', 'per_item', -1],
      ['5.2.2b', '5.2', 'per_item', -1],
      ['5.3.1a', '5.3', 'per_item', -1],
      ['5.3.1b', '5.3', 'per_item', -2],
      ['6.1.1a', '6.1', 'tiered', 'city:1 province:2 national:4', false],
      ['6.1.1b', '6.1', 'flat', 3],
      ['6.1.1c', '6.1', 'flat', 5],
    ]);
    const thresholds = [...rb.clauses.values()].flatMap((c) => (c.kind === 'threshold' ? [[c.id, c.threshold]] : []));
    expect(thresholds).toEqual([
      ['1.1.1a', 85],
      ['5.2.1a', 99],
    ]);
  });

  it('disqualifications: 1.1.3a → year_end_excellence, deductions in 1.2 → special_award', () => {
    expect([...rb.clauses.values()].filter((c) => c.disqualifies).map((c) => [c.id, c.disqualifies])).toEqual([
      ['1.1.3a', 'year_end_excellence'],
    ]);
    expect(
      [...rb.sections.values()].filter((s) => s.deductionDisqualifies).map((s) => [s.id, s.deductionDisqualifies]),
    ).toEqual([['1.2', 'special_award']]);
  });

  it('resolves aliases, not organisers', () => {
    expect(rb.resolveUnit('市地震局')).toBe('市科委');
    expect(rb.resolveUnit('市知识产权局')).toBe('市科委');
    expect(rb.resolveUnit(' 市科委 ')).toBe('市科委');
    expect(rb.resolveUnit('杭州日报')).toBe('杭报集团');
    expect(rb.resolveUnit('市跑改办')).toBeUndefined();
    expect(rb.resolveOrganiser('市跑改办')).toBe('市跑改办');
    expect(rb.resolveOrganiser('市“最多跑一次”改革专题组办公室')).toBe('市跑改办');
    expect(rb.resolveOrganiser('市考评办')).toBe('市考评办');
  });

  it('has the official 2017 and 2018 calendars', () => {
    expect(Object.keys(rb.data.calendars)).toEqual(['2017', '2018']);
    expect(rb.calendar.hasYear(2017) && rb.calendar.hasYear(2018) && !rb.calendar.hasYear(2019)).toBe(true);
  });

  it('an unknown rulebook id is a load error listing what exists', () => {
    expect(() => loadRulebook('hz-1999')).toThrow(RulebookError);
    expect(() => loadRulebook('hz-1999')).toThrow(/no rulebook named hz-1999 \(have: .*hz-2017/);
  });
});

describe('pass two: cross-reference errors are clear load errors', () => {
  it('hz-2017 as a fresh copy builds', () => {
    expect(buildRulebook(raw()).clauses.size).toBe(48);
  });

  it.each<[string, (d: Raw) => void, RegExp]>([
    [
      'a clause in an unknown section',
      (d) => (d.clauses[0].section = '9.9'),
      /^clause 1\.1\.1a is in unknown section 9\.9$/,
    ],
    [
      'a section in an unknown category',
      (d) => (d.sections[0].category = '7'),
      /^section 1\.1 is in unknown category 7$/,
    ],
    [
      'a section for an unknown group',
      (d) => d.sections[1].appliesTo.push('districts'),
      /^section 1\.2 applies to unknown group districts$/,
    ],
    [
      'a unit in an unknown group',
      (d) => (d.units[0].group = 'districts'),
      /^unit 市发改委 is in unknown group districts$/,
    ],
    [
      'an alias claimed twice',
      (d) => d.units.find((u: Raw) => u.name === '市公安局').aliases.push('市地震局'),
      /^unit name or alias "市地震局" is claimed by both 市科委 and 市公安局$/,
    ],
    [
      'a unit alias that is an organiser',
      (d) => d.units.find((u: Raw) => u.name === '市公安局').aliases.push('市考评办'),
      /^unit name or alias "市考评办" is claimed by both 市公安局 and 市考评办$/,
    ],
    [
      'a unit listed twice',
      (d) => d.units.push({ name: '市公安局', group: 'with_matters', aliases: [] }),
      /^unit name or alias "市公安局" is claimed by both 市公安局 and 市公安局$/,
    ],
    ['a duplicate clause id', (d) => d.clauses.push({ ...d.clauses[1] }), /^duplicate clause id "1\.1\.1b"$/],
    ['a duplicate section id', (d) => d.sections.push({ ...d.sections[13] }), /^duplicate section id "6\.1"$/],
    ['a duplicate group id', (d) => d.groups.push({ ...d.groups[0] }), /^duplicate group id "with_matters"$/],
    [
      'category points ≠ sum of sections',
      (d) => (d.categories[0].points = 26),
      /^category 1 has 26 points but its sections sum to 25$/,
    ],
    [
      'a section full score changed alone',
      (d) => (d.sections[3].full = 6),
      /^category 2 has 15 points but its sections sum to 16$/,
    ],
    [
      'a calendar date in another year',
      (d) => d.calendars['2017'].makeUpWorkdays.push('2018-01-06'),
      /^calendar 2017: 2018-01-06 is in another year$/,
    ],
    [
      'a holiday range in another year',
      (d) => d.calendars['2018'].daysOff.push(['2017-12-30', '2017-12-31']),
      /^calendar 2018: 2017-12-30 is in another year$/,
    ],
    [
      'an impossible calendar date',
      (d) => d.calendars['2017'].makeUpWorkdays.push('2017-02-30'),
      /^calendar 2017: 2017-02-30 is not a date$/,
    ],
    [
      'a reversed holiday range',
      (d) => d.calendars['2017'].daysOff.push(['2017-07-05', '2017-07-03']),
      /^calendar 2017: range 2017-07-05\.\.2017-07-03 is reversed$/,
    ],
    [
      'no calendar for the assessment year',
      (d) => delete d.calendars['2017'],
      /^no calendar for the assessment year 2017$/,
    ],
    [
      'a clause disqualifying with something unknown',
      (d) => (d.clauses[4].disqualifies = 'lifetime_ban'),
      /^clause 1\.1\.3a disqualifies with unknown lifetime_ban$/,
    ],
    [
      'a section disqualifying with something unknown',
      (d) => (d.sections[1].deductionDisqualifies = 'lifetime_ban'),
      /^section 1\.2 disqualifies with unknown lifetime_ban$/,
    ],
    [
      'a level listed twice',
      (d) =>
        d.clauses
          .find((c: Raw) => c.id === '6.1.1a')
          .levels.push({ id: 'city', amount: 1, label: { 'zh-CN': '市级', en: 'city' } }),
      /^clause 6\.1\.1a has level city twice$/,
    ],
    [
      'tiered levels of mixed sign',
      (d) => (d.clauses.find((c: Raw) => c.id === '6.1.1a').levels[0].amount = -1),
      /^clause 6\.1\.1a: tiered levels must all be bonuses or all deductions, none 0$/,
    ],
    [
      'a deduction in a section with no points',
      (d) => (d.clauses.find((c: Raw) => c.id === '6.1.1b').amount = -3),
      /^clause 6\.1\.1b deducts from section 6\.1, which has no points$/,
    ],
    [
      'a default source that is not a source',
      (d) => (d.settings.defaultSource = 'rumour'),
      /^settings\.defaultSource rumour is not one of settings\.sources$/,
    ],
    [
      'an inspection source that is not a source',
      (d) => d.settings.inspection.sources.push('rumour'),
      /^settings\.inspection\.sources: unknown source rumour$/,
    ],
  ])('%s', (_what, edit, message) => {
    const d = raw();
    edit(d);
    expect(problemsOf(d)).toContainEqual(expect.stringMatching(message));
  });

  it('reports every problem at once and names the rulebook', () => {
    const d = raw();
    d.clauses[0].section = '9.9';
    d.categories[0].points = 26;
    try {
      buildRulebook(d);
      expect.unreachable();
    } catch (e) {
      expect((e as RulebookError).problems.length).toBe(2);
      expect((e as Error).message).toMatch(/^rulebook hz-2017 is invalid:\n {2}- /);
    }
  });
});

describe('pass one: shape errors name the entry', () => {
  it.each<[string, (d: Raw) => void, RegExp]>([
    [
      'a tiered clause without levels',
      (d) => delete d.clauses.find((c: Raw) => c.id === '6.1.1a').levels,
      /^clauses\[45\] \(6\.1\.1a\)\.levels: /,
    ],
    [
      'a tiered clause with no levels',
      (d) => (d.clauses.find((c: Raw) => c.id === '4.2.1b').levels = []),
      /^clauses\[34\] \(4\.2\.1b\)\.levels: /,
    ],
    ['an unknown clause kind', (d) => (d.clauses[2].kind = 'bonus'), /^clauses\[2\] \(1\.1\.2a\)\.kind: /],
    [
      'a clause amount of 0',
      (d) => (d.clauses[2].amount = 0),
      /^clauses\[2\] \(1\.1\.2a\)\.amount: amount must not be 0$/,
    ],
    ['a threshold with a positive amount', (d) => (d.clauses[0].amount = 1), /^clauses\[0\] \(1\.1\.1a\)\.amount: /],
    ['a unit without a name', (d) => (d.units[3].name = ''), /^units\[3\]\.name: /],
    ['a unit without a group', (d) => delete d.units[3].group, /^units\[3\] \(市科委\)\.group: /],
    ['a section full score below 0', (d) => (d.sections[0].full = -1), /^sections\[0\] \(1\.1\)\.full: /],
    [
      'a bad calendar date format',
      (d) => d.calendars['2017'].makeUpWorkdays.push('2017-9-30'),
      /^calendars\.2017\.makeUpWorkdays\.5: expected YYYY-MM-DD$/,
    ],
    ['a bad id', (d) => (d.id = 'HZ 2017'), /^id: /],
  ])('%s', (_what, edit, message) => {
    const d = raw();
    edit(d);
    expect(problemsOf(d)).toContainEqual(expect.stringMatching(message));
  });

  it('a non-object is refused', () => {
    expect(problemsOf(42)).toEqual(['(root): Invalid input: expected object, received number']);
  });
});

describe('a second rulebook is one data file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kaoping-rulebook-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The 2019 official calendar (国办发明电〔2018〕15号, Labour Day as amended in 2019).
  const cal2019 = {
    daysOff: [
      ['2019-01-01', '2019-01-01'],
      ['2019-02-04', '2019-02-10'],
      ['2019-04-05', '2019-04-07'],
      ['2019-05-01', '2019-05-04'],
      ['2019-06-07', '2019-06-09'],
      ['2019-09-13', '2019-09-15'],
      ['2019-10-01', '2019-10-07'],
    ],
    makeUpWorkdays: ['2019-02-02', '2019-02-03', '2019-04-28', '2019-05-05', '2019-09-29', '2019-10-12'],
  };

  function load2019(): Rulebook {
    const d = raw();
    d.id = 'hz-2019';
    d.year = 2019;
    d.calendars = { '2019': cal2019 };
    d.settings.inspection.multiplier = 3; // a setting, not a constant in code
    const file = join(dir, 'hz-2019.json');
    writeFileSync(file, JSON.stringify(d));
    return buildRulebook(JSON.parse(readFileSync(file, 'utf8')), 'hz-2019');
  }

  it('loads beside hz-2017 and scores with its own year, calendar and settings', () => {
    const rb = load2019();
    expect([rb.id, rb.data.year]).toEqual(['hz-2019', 2019]);
    const input = [
      { id: 'a', unit: '市司法局', clause: '2.1.1a', date: '2019-09-27' },
      { id: 'b', unit: '市司法局', clause: '2.1.1a', date: '2019-10-16' },
      { id: 'c', unit: '市司法局', clause: '2.1.1a', date: '2019-10-17', source: 'provincial_inspection' },
    ];
    const findings: EngineFinding[] = input.map((f, i) => {
      const r = checkFinding(rb, f, { year: 2019 });
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      const c = r.finding;
      return {
        id: f.id,
        unit: c.unit,
        clause: c.clause.id,
        date: c.date,
        filedSeq: i,
        count: c.count,
        value: c.value,
        level: c.level,
        source: c.source,
        deadline: c.deadline,
        rectifiedOn: c.rectifiedOn,
        withdrawn: false,
      };
    });
    // 2019-09-27 (Fri): Sep 29 (Sun, worked), Sep 30, Oct 8–11, Oct 12 (Sat, worked), Oct 14–16 → due 10-16
    expect(findings.map((f) => f.deadline)).toEqual(['2019-10-16', '2019-10-30', '2019-10-31']);
    const st = computeStandings(rb, { year: 2019, asOf: '2019-12-31', units: ['市司法局'], findings });
    expect(st.rulebook).toBe('hz-2019');
    const u = st.units[0]!;
    expect(u.findings.map((f) => [f.id, f.points, f.multiplier])).toEqual([
      ['a', -1, 1],
      ['b', -1, 1],
      ['c', -6, 6], // inspection ×3 (this rulebook's setting) × repeat ×2
    ]);
    expect(u.total).toBe(92);
  });

  it('refuses a 2017 date, and a default deadline that would need the 2020 calendar', () => {
    const rb = load2019();
    const old = checkFinding(rb, { unit: '市司法局', clause: '2.1.1a', date: '2017-03-01' }, { year: 2019 });
    expect(!old.ok && old.issues.map((i) => [i.code, i.field])).toEqual([['DATE_OUTSIDE_YEAR', 'date']]);
    expect(checkFinding(rb, { unit: '市司法局', clause: '2.1.1a', date: '2019-12-13' }, { year: 2019 })).toMatchObject({
      ok: true,
      finding: { deadline: '2019-12-27' },
    });
    const late = checkFinding(rb, { unit: '市司法局', clause: '2.1.1a', date: '2019-12-20' }, { year: 2019 });
    expect(!late.ok && late.issues.map((i) => [i.code, i.field, i.params.year])).toEqual([
      ['DEADLINE_NO_CALENDAR', 'deadline', 2020],
    ]);
  });
});
