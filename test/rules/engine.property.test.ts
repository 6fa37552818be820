// Property tests of the pure engine over generated valid findings (fast-check), on the synthetic
// rulebook (one clause of each kind, bonuses and deductions, two groups).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointCompare, computeStandings } from '../../rules/engine/compute-standings.ts';
import type { EngineFinding, Standings, StandingsInput } from '../../rules/engine/types.ts';
import { isoFromDay, dayNumber } from '../../rules/dates.ts';
import { BIG, SMALL } from '../support/synthetic-rulebook.ts';
import { synthetic as rb } from './support.ts';

const RUNS = 200;

// A handful of units with findings; other units may be assessed too (they score their base).
const ACTIVE = [...BIG.slice(0, 6), ...SMALL.slice(0, 3)];
const IDLE = [...BIG.slice(6), ...SMALL.slice(3)];

const clausesFor = (group: string) =>
  [...rb.clauses.values()].filter((c) => rb.sections.get(c.section)!.appliesTo.includes(group)).map((c) => c.id);
// Clauses drawn more often, so that repeats and same-month measurements happen.
const HOT: Record<string, string[]> = {
  big: ['P', 'F', 'T', 'T2', 'D', 'L', 'Q'],
  small: ['Q', 'T', 'LX'],
};

const JAN1 = dayNumber('2017-01-01');
const date = (offset: number) => isoFromDay(JAN1 + offset);
const plusDays = (d: string, n: number) => isoFromDay(dayNumber(d) + n);

type Draft = Omit<EngineFinding, 'id' | 'filedSeq'>;

/** One finding's own fields; unit, clause and a base day are shared by an episode. */
const detailArb = fc.record({
  offset: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 45 })),
  count: fc.integer({ min: 1, max: 4 }),
  value: fc.oneof(
    fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
    fc.constantFrom(0, 79, 79.999, 80, 89, 90, 100),
  ),
  levelIndex: fc.nat(),
  source: fc.constantFrom(...rb.settings.sources),
  deadlineAfter: fc.oneof(fc.constant(14), fc.integer({ min: 0, max: 30 })),
  rectifiedAfter: fc.option(fc.integer({ min: 0, max: 45 }), { nil: null }),
  withdrawn: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
});

type Detail = typeof detailArb extends fc.Arbitrary<infer T> ? T : never;

function draft(unit: string, clauseId: string, day: number, r: Detail): Draft {
  const clause = rb.clauses.get(clauseId)!;
  const d = date(Math.min(364, day + r.offset));
  const deadline = rb.isRectifiable(clause) ? plusDays(d, r.deadlineAfter) : null;
  const perItem = clause.kind === 'per_item' || (clause.kind === 'tiered' && clause.perItem);
  return {
    unit,
    clause: clause.id,
    date: d,
    count: perItem ? r.count : 1,
    value: clause.kind === 'threshold' ? r.value : null,
    level: clause.kind === 'tiered' ? clause.levels[r.levelIndex % clause.levels.length]!.id : null,
    source: r.source,
    deadline,
    rectifiedOn: deadline !== null && r.rectifiedAfter !== null ? plusDays(d, r.rectifiedAfter) : null,
    withdrawn: r.withdrawn,
  };
}

/** An episode: 1–5 findings of one unit under one clause within a few weeks (repeats, supersession). */
const episodeArb: fc.Arbitrary<Draft[]> = fc.constantFrom(...ACTIVE).chain((unit) => {
  const group = rb.units.get(unit)!.group;
  return fc
    .record({
      clause: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...HOT[group]!) },
        { weight: 2, arbitrary: fc.constantFrom(...clausesFor(group)) },
      ),
      day: fc.integer({ min: 0, max: 364 }),
      details: fc.array(detailArb, { minLength: 1, maxLength: 5 }),
    })
    .map(({ clause, day, details }) => details.map((r) => draft(unit, clause, day, r)));
});

const draftArb: fc.Arbitrary<Draft> = episodeArb.map((e) => e[0]!);

const number = (drafts: Draft[]): EngineFinding[] => drafts.map((d, i) => ({ ...d, id: `f${i}`, filedSeq: i }));

const inputArb: fc.Arbitrary<StandingsInput> = fc
  .record({
    drafts: fc.array(episodeArb, { maxLength: 12 }).map((episodes) => episodes.flat()),
    idle: fc.subarray(IDLE),
    asOf: fc.oneof(
      { weight: 3, arbitrary: fc.constant('2017-12-31') },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 364 }).map(date) },
    ),
  })
  .map(({ drafts, idle, asOf }) => ({ year: 2017, asOf, units: [...ACTIVE, ...idle], findings: number(drafts) }));

const run = (input: StandingsInput): Standings => computeStandings(rb, input);

/** A cheap assertion for inner loops (vitest's expect is slow when called 10^5 times). */
function holds(condition: boolean, what: () => string): void {
  if (!condition) throw new Error(what());
}

/** An input and one more finding: a fresh one, or a near copy of an existing one (same unit and clause, a few days later). */
const withExtraArb: fc.Arbitrary<[StandingsInput, Draft, number]> = inputArb.chain((input) =>
  fc.tuple(
    fc.constant(input),
    input.findings.length === 0
      ? draftArb
      : fc.oneof(
          draftArb,
          fc.tuple(fc.constantFrom(...input.findings), fc.integer({ min: 0, max: 10 })).map(([f, days]): Draft => {
            const { id: _id, filedSeq: _seq, ...rest } = f;
            const d = f.date > '2017-12-21' ? f.date : plusDays(f.date, days);
            return { ...rest, date: d, deadline: f.deadline === null ? null : plusDays(d, 10), rectifiedOn: null };
          }),
        ),
    fc.double({ min: -1, max: 61, noNaN: true }),
  ),
);

describe('engine properties', () => {
  it('total = base − deductions + bonuses; deductions and bonuses are the sums of the points', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const u of run(input).units) {
          holds(
            u.total === u.base - u.deductions + u.bonuses,
            () => `${u.unit}: total ${u.total} ≠ ${u.base} − ${u.deductions} + ${u.bonuses}`,
          );
          holds(
            u.deductions === u.findings.reduce((a, f) => a + Math.max(0, -f.points), 0),
            () => `${u.unit}: deductions ${u.deductions}`,
          );
          holds(
            u.bonuses === u.findings.reduce((a, f) => a + Math.max(0, f.points), 0),
            () => `${u.unit}: bonuses ${u.bonuses}`,
          );
          holds(u.deductions >= 0 && u.bonuses >= 0, () => `${u.unit}: negative sums`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('every section lies in [0, full]; overflow = Σ max(0, section deductions − full) ≥ 0', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const u of run(input).units) {
          const ded = new Map<string, number>();
          for (const f of u.findings) if (f.points < 0) ded.set(f.section, (ded.get(f.section) ?? 0) - f.points);
          let overflow = 0;
          holds(
            u.sections.map((s) => s.id).join() ===
              rb
                .sectionsFor(u.group)
                .map((s) => s.id)
                .join(),
            () => `${u.unit}: sections ${u.sections.map((s) => s.id).join()}`,
          );
          for (const s of u.sections) {
            const d = ded.get(s.id) ?? 0;
            holds(
              s.score >= 0 && s.score <= s.full,
              () => `${u.unit} ${s.id}: score ${s.score} outside [0, ${s.full}]`,
            );
            holds(
              s.score === Math.max(0, s.full - d),
              () => `${u.unit} ${s.id}: score ${s.score} with deductions ${d}`,
            );
            overflow += Math.max(0, d - s.full);
          }
          holds(
            u.overflow >= 0 && u.overflow === overflow,
            () => `${u.unit}: overflow ${u.overflow}, expected ${overflow}`,
          );
          holds(u.base === u.sections.reduce((a, s) => a + s.full, 0), () => `${u.unit}: base ${u.base}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('does not depend on the order of the findings (filedSeq kept)', () => {
    fc.assert(
      fc.property(
        inputArb.chain((input) =>
          fc.tuple(
            fc.constant(input),
            fc.shuffledSubarray(input.findings as EngineFinding[], {
              minLength: input.findings.length,
              maxLength: input.findings.length,
            }),
          ),
        ),
        ([input, shuffled]) => {
          expect(run({ ...input, findings: shuffled })).toEqual(run(input));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a withdrawn finding changes nothing else', () => {
    fc.assert(
      fc.property(withExtraArb, ([input, extra, seq]) => {
        const withdrawn: EngineFinding = { ...extra, id: 'extra', filedSeq: seq, withdrawn: true };
        const before = run(input);
        const after = run({ ...input, findings: [...input.findings, withdrawn] });
        const listed = after.units.flatMap((u) => u.findings).filter((f) => f.id === 'extra');
        if (input.units.includes(extra.unit) && extra.date <= input.asOf) {
          expect(listed).toEqual([expect.objectContaining({ status: 'withdrawn', points: 0, multiplier: 0 })]);
        } else expect(listed).toEqual([]);
        for (const u of after.units) u.findings = u.findings.filter((f) => f.id !== 'extra');
        expect(after).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('a rectification verified on time never raises any multiplier', () => {
    const arb = inputArb
      .filter((input) => input.findings.some((f) => f.deadline !== null))
      .chain((input) => {
        const candidates = input.findings.filter((f) => f.deadline !== null);
        return fc.tuple(fc.constant(input), fc.constantFrom(...candidates), fc.nat());
      });
    fc.assert(
      fc.property(arb, ([input, target, k]) => {
        const span = dayNumber(target.deadline!) - dayNumber(target.date);
        const rectifiedOn = plusDays(target.date, k % (span + 1)); // date ≤ rectifiedOn ≤ deadline
        const before = run(input);
        const after = run({
          ...input,
          findings: input.findings.map((f) => (f.id === target.id ? { ...f, rectifiedOn } : f)),
        });
        const multipliers = new Map(before.units.flatMap((u) => u.findings.map((f) => [f.id, f.multiplier] as const)));
        for (const u of after.units) {
          for (const f of u.findings)
            holds(
              f.multiplier <= multipliers.get(f.id)!,
              () =>
                `${f.id}: multiplier ${multipliers.get(f.id)} → ${f.multiplier} after rectifying ${target.id} on ${rectifiedOn}`,
            );
          holds(u.total >= before.units.find((b) => b.unit === u.unit)!.total, () => `${u.unit}: total went down`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('ranks are consistent with totals, and equals are listed in code-point order', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const st = run(input);
        expect(st.units.length).toBe(new Set(input.units).size);
        const groups = st.units.map((u) => u.group);
        expect(groups).toEqual([...groups].sort((a, b) => rb.groupIds.indexOf(a) - rb.groupIds.indexOf(b)));
        for (const g of rb.groupIds) {
          const members = st.units.filter((u) => u.group === g);
          members.forEach((u, i) => {
            holds(
              u.rank === 1 + members.filter((v) => v.total > u.total).length,
              () => `${u.unit}: rank ${u.rank} with total ${u.total}`,
            );
            if (i > 0) {
              const prev = members[i - 1]!;
              holds(
                prev.total > u.total || (prev.total === u.total && codePointCompare(prev.unit, u.unit) < 0),
                () => `${prev.unit} listed before ${u.unit}`,
              );
            }
          });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('advanced ⊆ non-disqualified, at least min(quota, eligible), ties at the cut all in', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const st = run(input);
        for (const g of rb.groupIds) {
          const members = st.units.filter((u) => u.group === g);
          const r = st.groups[g]!;
          expect(r.assessed).toBe(members.length);
          expect(r.quota).toBe(Math.floor(members.length / 5));
          const eligible = members.filter((u) => u.disqualified.length === 0);
          const advanced = members.filter((u) => u.advanced);
          expect(r.advanced).toEqual(advanced.map((u) => u.unit));
          expect(advanced.every((u) => u.disqualified.length === 0)).toBe(true);
          expect(advanced.length).toBeGreaterThanOrEqual(Math.min(r.quota, eligible.length));
          expect(r.tiedAtCut).toBe(advanced.length > r.quota);
          if (advanced.length === 0) expect(r.cutScore).toBeNull();
          else {
            const cut = Math.min(...advanced.map((u) => u.total));
            expect(r.cutScore).toBe(cut);
            // nobody eligible above or at the cut is left out; nobody below it is in
            for (const u of eligible)
              holds(
                u.advanced === u.total >= cut,
                () => `${u.unit}: advanced ${u.advanced} with total ${u.total}, cut ${cut}`,
              );
            // and the cut could not be higher: fewer than quota eligible units score above it
            expect(eligible.filter((u) => u.total > cut).length).toBeLessThan(Math.max(1, r.quota));
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('findings after asOf are not listed and change nothing', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const st = run(input);
        const listed = st.units.flatMap((u) => u.findings.map((f) => f.id)).sort();
        const expected = input.findings
          .filter((f) => f.date <= input.asOf && input.units.includes(f.unit))
          .map((f) => f.id)
          .sort();
        expect(listed).toEqual(expected);
        expect(run({ ...input, findings: input.findings.filter((f) => f.date <= input.asOf) })).toEqual(st);
      }),
      { numRuns: RUNS },
    );
  });

  it('a threshold shortfall is floor(threshold − value) on the decimal as written', () => {
    fc.assert(
      // T: −1 per full point below 90; T2: −2 per full point below 80
      fc.property(fc.integer({ min: 0, max: 8 }), fc.nat(), fc.constantFrom('T', 'T2'), (k, raw, clauseId) => {
        const scale = 10 ** k;
        const n = raw % (100 * scale + 1); // value = n / 10^k, 0 ≤ value ≤ 100
        const [threshold, amount] = clauseId === 'T' ? [90, -1] : [80, -2];
        const gap = BigInt(threshold) * BigInt(scale) - BigInt(n);
        const expected = gap > 0n ? amount * Number(gap / BigInt(scale)) + 0 : 0; // + 0: no −0
        const st = run({
          year: 2017,
          asOf: '2017-12-31',
          units: ['big-01'],
          findings: [
            {
              id: 't',
              unit: 'big-01',
              clause: clauseId,
              date: '2017-05-31',
              filedSeq: 0,
              count: 1,
              value: n / scale,
              level: null,
              source: 'routine',
              deadline: null,
              rectifiedOn: null,
              withdrawn: false,
            },
          ],
        });
        expect(st.units[0]!.findings[0]!.points).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
