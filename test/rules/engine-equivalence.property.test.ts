// The engine against the frozen copy of the engine it replaced (test/support/reference-engine.ts):
// on random findings, for hz-2017 and for small synthetic rulebooks whose settings vary, both give
// the same standings — every total, rank and quota, and every finding's result and explanation —
// and the same `score` JSON, byte for byte. Per-unit rescoring (scoreUnit, as the ledger cache
// uses it) is compared too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeStandings, explainFindings, scoreUnit } from '../../rules/engine/compute-standings.ts';
import type { EngineFinding, Standings, StandingsInput } from '../../rules/engine/types.ts';
import { buildRulebook, type Rulebook } from '../../rules/rulebook.ts';
import type { RulebookData } from '../../rules/rulebook.schema.ts';
import { standingsToJson } from '../../rules/scenario.ts';
import { dayNumber, isoFromDay } from '../../rules/dates.ts';
import * as reference from '../support/reference-engine.ts';
import { hz } from './support.ts';

const l = (text: string) => ({ 'zh-CN': text, en: text });

/** Settings the synthetic rulebooks vary: each one changes what the engine computes. */
const settingsArb = fc.record({
  multiplier: fc.constantFrom(1, 1.5, 2, 3),
  rounding: fc.constantFrom('floor' as const, 'ceil' as const, 'round' as const),
  thresholdEscalates: fc.boolean(),
  repeatBase: fc.constantFrom(1, 2, 3),
  escalatingKinds: fc.subarray(['per_item' as const, 'flat' as const]),
  onDeadlineDay: fc.boolean(),
  floor: fc.constantFrom(0, 1),
  overflowComesOffTotal: fc.boolean(),
  bonusCap: fc.constantFrom(null, 0, 2.5),
  quotaPercent: fc.constantFrom(0, 20, 50),
  quotaRounding: fc.constantFrom('floor' as const, 'ceil' as const, 'round' as const),
  tiesAtCut: fc.constantFrom('include_all_tied' as const, 'exclude_all_tied' as const),
  disqualifiedMayBeAdvanced: fc.boolean(),
});
type SyntheticSettings = typeof settingsArb extends fc.Arbitrary<infer T> ? T : never;

const SMALL_UNITS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'v1', 'v2', 'v3', '𠀀', '\uFF21'];

/** Two groups, decimal amounts (their sums depend on the order they are added in), every clause kind. */
function smallRulebook(s: SyntheticSettings): Rulebook {
  const data: RulebookData = {
    id: 'equivalence',
    title: l('equivalence'),
    source: 'test',
    year: 2017,
    timeZone: 'Asia/Shanghai',
    settings: {
      sources: ['routine', 'inspection', 'audit'],
      defaultSource: 'routine',
      inspection: { sources: ['inspection', 'audit'], multiplier: s.multiplier, appliesTo: 'deductions' },
      threshold: {
        rounding: s.rounding,
        oneMeasurementPer: 'unit_clause_month',
        rectifiable: s.thresholdEscalates,
        repeatEscalation: s.thresholdEscalates,
      },
      repeatEscalation: {
        base: s.repeatBase,
        appliesToKinds: s.escalatingKinds,
        scope: 'same_unit_clause_year',
        earlier: 'strictly_earlier_date',
        overdueOnDeadlineDay: s.onDeadlineDay,
      },
      sectionCap: { floor: s.floor, overflowComesOffTotal: s.overflowComesOffTotal },
      bonusCap: s.bonusCap,
      advanced: {
        quotaPercent: s.quotaPercent,
        quotaRounding: s.quotaRounding,
        rankWithin: 'group',
        tiesAtCut: s.tiesAtCut,
        disqualifiedMayBeAdvanced: s.disqualifiedMayBeAdvanced,
      },
      rectification: { defaultDeadlineWorkingDays: 5, findingDayIsDayZero: true },
      count: { min: 1, max: 100 },
      valueRange: { min: 0, max: 100 },
      applicabilityRefusal: false,
      appeals: { windowWorkingDays: 5 },
      extensions: { maxWorkingDays: 10, perFinding: 1, filerMayDecide: false },
    },
    groups: [
      { id: 'g', name: l('g'), declaredCount: 8 },
      { id: 'h', name: l('h'), declaredCount: 3 },
    ],
    disqualifications: [
      { id: 'd1', name: l('d1') },
      { id: 'd2', name: l('d2') },
    ],
    categories: [{ id: 'c', name: l('c'), points: 9.5 }],
    sections: [
      { id: 'A', category: 'c', name: l('A'), full: 3.3, appliesTo: ['g', 'h'] },
      { id: 'B', category: 'c', name: l('B'), full: 6.2, appliesTo: ['g'], deductionDisqualifies: 'd2' },
      { id: 'Z', category: 'c', name: l('Z'), full: 0, appliesTo: ['g', 'h'] },
    ],
    clauses: [
      { id: 'P', section: 'A', kind: 'per_item', text: l('P'), amount: -0.1 },
      { id: 'P2', section: 'B', kind: 'per_item', text: l('P2'), amount: -0.7, disqualifies: 'd1' },
      { id: 'F', section: 'A', kind: 'flat', text: l('F'), amount: -0.3 },
      { id: 'F2', section: 'B', kind: 'flat', text: l('F2'), amount: -1.1 },
      { id: 'T', section: 'A', kind: 'threshold', text: l('T'), amount: -0.2, threshold: 90.5 },
      { id: 'T2', section: 'B', kind: 'threshold', text: l('T2'), amount: -1, threshold: 85 },
      { id: 'BP', section: 'Z', kind: 'per_item', text: l('BP'), amount: 0.1 },
      { id: 'BF', section: 'A', kind: 'flat', text: l('BF'), amount: 0.7, disqualifies: 'd2' },
      {
        id: 'L',
        section: 'Z',
        kind: 'tiered',
        text: l('L'),
        perItem: true,
        levels: [
          { id: 'lead', amount: 0.3, label: l('lead') },
          { id: 'support', amount: 0.1, label: l('support') },
        ],
      },
      {
        id: 'LD',
        section: 'B',
        kind: 'tiered',
        text: l('LD'),
        perItem: false,
        levels: [
          { id: 'minor', amount: -0.1, label: l('minor') },
          { id: 'major', amount: -1.3, label: l('major') },
        ],
      },
    ],
    calendars: { '2017': { daysOff: [], makeUpWorkdays: [] } },
    organisers: [],
    units: SMALL_UNITS.map((name, i) => ({ name, group: i < 8 ? 'g' : 'h', aliases: [] })),
  };
  return buildRulebook(data, 'equivalence');
}

const JAN1 = dayNumber('2017-01-01');
const day = (offset: number) => isoFromDay(JAN1 + offset);

interface Episode {
  unit: number;
  clause: number;
  day: number;
  details: Array<{
    offset: number;
    count: number;
    value: number;
    level: number;
    source: number;
    deadline: number | null;
    rectified: number | null;
    withdrawn: boolean;
  }>;
}

/** Runs of findings of one unit and clause close together, so that repeats and same-month measurements happen. */
const episodeArb: fc.Arbitrary<Episode> = fc.record({
  unit: fc.nat(),
  clause: fc.nat(),
  day: fc.integer({ min: 0, max: 364 }),
  details: fc.array(
    fc.record({
      offset: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })),
      count: fc.integer({ min: 1, max: 5 }),
      value: fc.oneof(
        fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
        fc.integer({ min: 0, max: 100_000_000 }).map((n) => n / 1_000_000),
        fc.constantFrom(0, 84.999, 85, 89.5, 90.5, 100),
      ),
      level: fc.nat(),
      source: fc.nat(),
      deadline: fc.option(fc.integer({ min: -3, max: 30 }), { nil: null, freq: 8 }),
      rectified: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
      withdrawn: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

/** Findings from episodes: filing numbers sometimes shared, ids in any code-point order, input shuffled. */
function inputArb(rb: Rulebook, unitPool: readonly string[]): fc.Arbitrary<StandingsInput> {
  const clauses = [...rb.clauses.values()];
  return fc
    .record({
      episodes: fc.array(episodeArb, { maxLength: 25 }),
      assessed: fc.subarray([...unitPool], { minLength: 1 }),
      asOf: fc.oneof(fc.constant(364), fc.integer({ min: 0, max: 364 })),
      idStyle: fc.constantFrom('plain', 'astral', 'padded'),
      seqStyle: fc.constantFrom('filing', 'shared', 'reversed'),
      shuffle: fc.array(fc.nat(), { maxLength: 200 }),
    })
    .map(({ episodes, assessed, asOf, idStyle, seqStyle, shuffle }) => {
      const findings: EngineFinding[] = [];
      for (const e of episodes) {
        const unit = unitPool[e.unit % unitPool.length]!;
        const clause = clauses[e.clause % clauses.length]!;
        for (const d of e.details) {
          const i = findings.length;
          const date = day(Math.min(364, e.day + d.offset));
          const deadline =
            rb.isRectifiable(clause) && d.deadline !== null ? isoFromDay(dayNumber(date) + d.deadline) : null;
          const perItem = clause.kind === 'per_item' || (clause.kind === 'tiered' && clause.perItem);
          findings.push({
            id:
              idStyle === 'plain'
                ? `f${i}`
                : idStyle === 'astral'
                  ? `${i % 2 ? '𠀀' : '\uFF21'}${i}`
                  : `#${(7 * i) % 13}-${i}`,
            unit,
            clause: clause.id,
            date,
            filedSeq: seqStyle === 'filing' ? i : seqStyle === 'shared' ? Math.floor(i / 3) : -i,
            count: perItem ? d.count : 1,
            value: clause.kind === 'threshold' ? d.value : null,
            level: clause.kind === 'tiered' ? clause.levels[d.level % clause.levels.length]!.id : null,
            source: rb.settings.sources[d.source % rb.settings.sources.length]!,
            deadline,
            rectifiedOn: deadline !== null && d.rectified !== null ? isoFromDay(dayNumber(date) + d.rectified) : null,
            withdrawn: d.withdrawn,
          });
        }
      }
      // a deterministic shuffle: the engine must not depend on the order it is given
      for (let j = 0; j < shuffle.length && findings.length > 1; j++) {
        const a = j % findings.length,
          b = shuffle[j]! % findings.length;
        [findings[a], findings[b]] = [findings[b]!, findings[a]!];
      }
      return { year: 2017, asOf: day(asOf), units: assessed, findings };
    });
}

/** Everything the standings hold, explanations included, as plain data (−0 and undefined kept apart). */
function plain(st: Standings): unknown {
  return JSON.parse(
    JSON.stringify(st, (_k, v) => (Object.is(v, -0) ? '−0' : v === undefined ? '(undefined)' : v)),
  ) as unknown;
}

function sameAsReference(rb: Rulebook, input: StandingsInput): void {
  const want = reference.computeStandings(rb, input);
  const got = computeStandings(rb, input);
  expect(plain(got)).toEqual(plain(want));
  expect(JSON.stringify(standingsToJson(got), null, 2)).toBe(JSON.stringify(standingsToJson(want), null, 2));
}

const HZ_UNITS = [
  '市公安局',
  '市民政局',
  '市教育局',
  '市司法局',
  '市科委',
  '市审计局',
  '市统计局',
  '市妇联',
  '市财政局',
];

describe('the engine gives what the engine it replaced gave', () => {
  it('hz-2017: the same standings, explanations and score JSON on random findings', () => {
    const units = [...hz.units.keys()];
    fc.assert(
      fc.property(inputArb(hz, HZ_UNITS), fc.boolean(), (input, everyone) => {
        sameAsReference(hz, everyone ? { ...input, units } : input);
      }),
      { numRuns: 300 },
    );
  });

  it('synthetic rulebooks with varied settings: the same standings, explanations and score JSON', () => {
    fc.assert(
      fc.property(
        settingsArb.chain((s) => {
          const rb = smallRulebook(s);
          return fc.tuple(fc.constant(rb), inputArb(rb, SMALL_UNITS));
        }),
        ([rb, input]) => sameAsReference(rb, input),
      ),
      { numRuns: 300 },
    );
  });

  /** A synthetic rulebook and random findings of its unit u1 only. */
  const oneUnitYear = () =>
    settingsArb.chain((s) => {
      const rb = smallRulebook(s);
      return fc.tuple(fc.constant(rb), inputArb(rb, ['u1']));
    });

  it('one unit rescored (the ledger cache) matches, with findings after the as-of day in the list', () => {
    fc.assert(
      fc.property(oneUnitYear(), ([rb, input]) => {
        const want = reference.scoreUnit(rb, 'u1', input.findings, input.asOf);
        const got = scoreUnit(rb, 'u1', input.findings, input.asOf);
        expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(want)));
      }),
      { numRuns: 200 },
    );
  });

  it("one clause's findings explained alone (a filing's own result) give their results in the unit's standing", () => {
    fc.assert(
      fc.property(oneUnitYear(), ([rb, input]) => {
        const whole = reference.scoreUnit(rb, 'u1', input.findings, input.asOf).findings;
        for (const clause of new Set(input.findings.map((f) => f.clause))) {
          const got = explainFindings(
            rb,
            'u1',
            input.findings.filter((f) => f.clause === clause),
            input.asOf,
          );
          const want = whole.filter((r) => r.clause === clause);
          expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(want)));
          // asked for one finding only (what the ledger cache asks for a filing): that result alone
          for (const one of want) {
            const only = explainFindings(
              rb,
              'u1',
              input.findings.filter((f) => f.clause === clause),
              input.asOf,
              one.id,
            );
            expect(JSON.parse(JSON.stringify(only))).toEqual([JSON.parse(JSON.stringify(one))]);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a standing explains its findings once, and they can be replaced', () => {
    const input: StandingsInput = {
      year: 2017,
      asOf: '2017-12-31',
      units: ['市公安局'],
      findings: [
        {
          id: 'a',
          unit: '市公安局',
          clause: '2.1.1a',
          date: '2017-03-01',
          filedSeq: 1,
          count: 2,
          value: null,
          level: null,
          source: 'routine',
          deadline: '2017-03-10',
          rectifiedOn: null,
          withdrawn: false,
        },
      ],
    };
    const u = computeStandings(hz, input).units[0]!;
    expect(u.findings).toBe(u.findings);
    expect(u.findings.map((f) => f.id)).toEqual(['a']);
    u.findings = [];
    expect(u.findings).toEqual([]);
  });
});
