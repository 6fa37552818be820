// A small rulebook made for the engine's table tests, so that they check the engine's rules with
// numbers of their own instead of the 2017 rulebook's data (whose amounts are the business of
// test/rules/rulebook.test.ts and the acceptance scenarios). Round, distinct numbers: inspection
// triples and repeats double, so a test can tell which one applied.
//
//   group big (base 100):  S1 50 · S2 10 · S3 30 · S4 10 · S0 0 (bonus only)
//   group small (base 20): S2 10 · S4 10 · S0 0
//
//   clause  kind       section  amount                         notes
//   P       per_item   S1       −2 per item
//   P2      per_item   S1       −1 per item                    same section as P, another clause
//   D       per_item   S1       −1 per item                    disqualifies: excellence
//   F       flat       S3       −5
//   Q       flat       S2       −3                             S2 deductions disqualify: special
//   T       threshold  S4       −1 per full point below 90
//   T2      threshold  S1       −2 per full point below 80
//   B       per_item   S3       +1 per item (bonus)
//   FB      flat       S0       +10 (bonus)
//   L       tiered     S0       lead +2, support +0.5, per item (bonus)
//   LX      tiered     S0       city +1, province +3, one per finding (bonus)
//
// Settings: sources routine / inspection / audit (inspection and audit ×3 on deductions), repeat
// base 2 for per_item and flat, overdue strictly after the deadline day, thresholds floored and
// neither rectifiable nor escalating, section floor 0 with the overflow off the total, no bonus
// cap, 20 % of each group advanced (floor), all tied at the cut included, disqualified units never
// advanced, default deadline 5 working days. Calendars 2017 and 2018: weekends off, 2017-10-01..08
// and 2018-01-01 off, Saturday 2017-09-30 a make-up working day.
import { buildRulebook, type Rulebook } from '../../rules/rulebook.ts';
import type { RulebookData } from '../../rules/rulebook.schema.ts';

export const SYNTHETIC_ID = 'synthetic';
export const SYNTHETIC_YEAR = 2017;

/** Ten units of group big and five of group small; in code-point order as listed. */
export const BIG = ['big-01', 'big-02', 'big-03', 'big-04', 'big-05', 'big-06', 'big-07', 'big-08', 'big-09', 'big-10'];
export const SMALL = ['small-1', 'small-2', 'small-3', 'small-4', 'small-5'];
export const ORGANISER = 'office';

const l = (text: string) => ({ 'zh-CN': text, en: text });

/** The data file of the synthetic rulebook (a fresh copy each call, free to change). */
export function syntheticRulebookData(): RulebookData {
  return {
    id: SYNTHETIC_ID,
    title: l('synthetic rulebook for tests'),
    source: 'test/support/synthetic-rulebook.ts',
    year: SYNTHETIC_YEAR,
    timeZone: 'Asia/Shanghai',
    settings: {
      sources: ['routine', 'inspection', 'audit'],
      defaultSource: 'routine',
      inspection: { sources: ['inspection', 'audit'], multiplier: 3, appliesTo: 'deductions' },
      threshold: {
        rounding: 'floor',
        oneMeasurementPer: 'unit_clause_month',
        rectifiable: false,
        repeatEscalation: false,
      },
      repeatEscalation: {
        base: 2,
        appliesToKinds: ['per_item', 'flat'],
        scope: 'same_unit_clause_year',
        earlier: 'strictly_earlier_date',
        overdueOnDeadlineDay: false,
      },
      sectionCap: { floor: 0, overflowComesOffTotal: true },
      bonusCap: null,
      advanced: {
        quotaPercent: 20,
        quotaRounding: 'floor',
        rankWithin: 'group',
        tiesAtCut: 'include_all_tied',
        disqualifiedMayBeAdvanced: false,
      },
      rectification: { defaultDeadlineWorkingDays: 5, findingDayIsDayZero: true },
      count: { min: 1, max: 1000 },
      valueRange: { min: 0, max: 100 },
      applicabilityRefusal: true,
      appeals: { windowWorkingDays: 5 },
      extensions: { maxWorkingDays: 10, perFinding: 1, filerMayDecide: false },
    },
    groups: [
      { id: 'big', name: l('big'), declaredCount: BIG.length },
      { id: 'small', name: l('small'), declaredCount: SMALL.length },
    ],
    disqualifications: [
      { id: 'excellence', name: l('no excellence award') },
      { id: 'special', name: l('no special award') },
    ],
    categories: [
      { id: 'A', name: l('A'), points: 60 },
      { id: 'B', name: l('B'), points: 40 },
      { id: 'X', name: l('bonus only'), points: 0 },
    ],
    sections: [
      { id: 'S1', category: 'A', name: l('S1'), full: 50, appliesTo: ['big'] },
      {
        id: 'S2',
        category: 'A',
        name: l('S2'),
        full: 10,
        appliesTo: ['big', 'small'],
        deductionDisqualifies: 'special',
      },
      { id: 'S3', category: 'B', name: l('S3'), full: 30, appliesTo: ['big'] },
      { id: 'S4', category: 'B', name: l('S4'), full: 10, appliesTo: ['big', 'small'] },
      { id: 'S0', category: 'X', name: l('S0'), full: 0, appliesTo: ['big', 'small'] },
    ],
    clauses: [
      { kind: 'per_item', id: 'P', section: 'S1', text: l('per item −2'), amount: -2 },
      { kind: 'per_item', id: 'P2', section: 'S1', text: l('per item −1'), amount: -1 },
      {
        kind: 'per_item',
        id: 'D',
        section: 'S1',
        text: l('per item −1, disqualifies'),
        amount: -1,
        disqualifies: 'excellence',
      },
      { kind: 'flat', id: 'F', section: 'S3', text: l('flat −5'), amount: -5 },
      { kind: 'flat', id: 'Q', section: 'S2', text: l('flat −3'), amount: -3 },
      { kind: 'threshold', id: 'T', section: 'S4', text: l('−1 below 90'), amount: -1, threshold: 90 },
      { kind: 'threshold', id: 'T2', section: 'S1', text: l('−2 below 80'), amount: -2, threshold: 80 },
      { kind: 'per_item', id: 'B', section: 'S3', text: l('bonus +1 per item'), amount: 1 },
      { kind: 'flat', id: 'FB', section: 'S0', text: l('bonus +10'), amount: 10 },
      {
        kind: 'tiered',
        id: 'L',
        section: 'S0',
        text: l('lead +2 / support +0.5 per item'),
        perItem: true,
        levels: [
          { id: 'lead', amount: 2, label: l('lead') },
          { id: 'support', amount: 0.5, label: l('support') },
        ],
      },
      {
        kind: 'tiered',
        id: 'LX',
        section: 'S0',
        text: l('city +1 / province +3'),
        perItem: false,
        levels: [
          { id: 'city', amount: 1, label: l('city') },
          { id: 'province', amount: 3, label: l('province') },
        ],
      },
    ],
    calendars: {
      '2017': { daysOff: [['2017-10-01', '2017-10-08']], makeUpWorkdays: ['2017-09-30'] },
      // deadlines of late-December findings fall in the next year
      '2018': { daysOff: [['2018-01-01', '2018-01-01']], makeUpWorkdays: [] },
    },
    organisers: [{ name: ORGANISER, aliases: ['the office'] }],
    units: [
      ...BIG.map((name, i) => ({ name, group: 'big', aliases: i === 0 ? ['first-big'] : [] })),
      ...SMALL.map((name) => ({ name, group: 'small', aliases: [] })),
    ],
  };
}

/**
 * The synthetic rulebook, validated by the same two passes as a data file. `change` edits a fresh
 * copy of the data first, for a test of one setting: `syntheticRulebook((d) => { d.settings.bonusCap = 5; })`.
 */
export function syntheticRulebook(change?: (data: RulebookData) => void): Rulebook {
  const data = syntheticRulebookData();
  change?.(data);
  return buildRulebook(data, SYNTHETIC_ID);
}
