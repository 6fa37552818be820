import { z } from 'zod';

// Pass one of rulebook validation: the shape of the data file. Cross-references are pass two.

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const localized = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) });

/**
 * Every clause kind, in one place. The clause schema below has one entry per kind (checked at
 * compile time), settings that name kinds take their enum from here, and every switch on a kind
 * ends in `assertNever` (rules/exhaustive.ts), so adding a kind here makes `npm run typecheck`
 * list each place that must handle it (docs/ARCHITECTURE.md, "Adding a clause kind").
 */
export const CLAUSE_KINDS = ['per_item', 'flat', 'threshold', 'tiered'] as const;
export type ClauseKind = (typeof CLAUSE_KINDS)[number];

export const levelSchema = z.object({ id: z.string().min(1), amount: z.number(), label: localized });

export const clauseSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('per_item'),
    id: z.string(),
    section: z.string(),
    text: localized,
    amount: z.number().refine((n) => n !== 0, 'amount must not be 0'),
    disqualifies: z.string().optional(),
  }),
  z.object({
    kind: z.literal('flat'),
    id: z.string(),
    section: z.string(),
    text: localized,
    amount: z.number().refine((n) => n !== 0, 'amount must not be 0'),
    disqualifies: z.string().optional(),
  }),
  z.object({
    kind: z.literal('threshold'),
    id: z.string(),
    section: z.string(),
    text: localized,
    amount: z.number().negative(),
    threshold: z.number(),
    disqualifies: z.string().optional(),
  }),
  z.object({
    kind: z.literal('tiered'),
    id: z.string(),
    section: z.string(),
    text: localized,
    levels: z.array(levelSchema).min(1),
    perItem: z.boolean().default(false),
    disqualifies: z.string().optional(),
  }),
]);

export const rulebookSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: localized,
  source: z.string(),
  year: z.number().int(),
  timeZone: z.string(),
  settings: z.object({
    sources: z.array(z.string()).min(1),
    defaultSource: z.string(),
    inspection: z.object({
      sources: z.array(z.string()),
      multiplier: z.number().positive(),
      appliesTo: z.literal('deductions'),
    }),
    threshold: z.object({
      rounding: z.enum(['floor', 'ceil', 'round']),
      oneMeasurementPer: z.literal('unit_clause_month'),
      rectifiable: z.boolean(),
      repeatEscalation: z.boolean(),
    }),
    repeatEscalation: z.object({
      base: z.number().min(1),
      appliesToKinds: z.array(z.enum(CLAUSE_KINDS)),
      scope: z.literal('same_unit_clause_year'),
      earlier: z.literal('strictly_earlier_date'),
      overdueOnDeadlineDay: z.boolean(),
    }),
    sectionCap: z.object({ floor: z.number(), overflowComesOffTotal: z.boolean() }),
    bonusCap: z.number().nonnegative().nullable(),
    advanced: z.object({
      quotaPercent: z.number().min(0).max(100),
      quotaRounding: z.enum(['floor', 'ceil', 'round']),
      rankWithin: z.literal('group'),
      tiesAtCut: z.enum(['include_all_tied', 'exclude_all_tied']),
      disqualifiedMayBeAdvanced: z.boolean(),
    }),
    rectification: z.object({
      defaultDeadlineWorkingDays: z.number().int().positive(),
      findingDayIsDayZero: z.literal(true),
    }),
    // Appeals (申诉) and extension requests (延期), lifecycle.md; optional in the data so rulebooks
    // written before them keep their meaning with the spec's defaults.
    appeals: z.object({ windowWorkingDays: z.number().int().nonnegative() }).default({ windowWorkingDays: 5 }),
    extensions: z
      .object({
        maxWorkingDays: z.number().int().positive(),
        perFinding: z.number().int().nonnegative(),
        filerMayDecide: z.boolean(),
      })
      .default({ maxWorkingDays: 10, perFinding: 1, filerMayDecide: false }),
    count: z.object({ min: z.number().int().positive(), max: z.number().int().positive() }),
    valueRange: z.object({ min: z.number(), max: z.number() }),
    applicabilityRefusal: z.boolean(),
  }),
  groups: z.array(z.object({ id: z.string(), name: localized, declaredCount: z.number().int().nonnegative() })).min(1),
  disqualifications: z.array(z.object({ id: z.string(), name: localized })),
  categories: z.array(z.object({ id: z.string(), name: localized, points: z.number().nonnegative() })).min(1),
  sections: z
    .array(
      z.object({
        id: z.string(),
        category: z.string(),
        name: localized,
        full: z.number().nonnegative(),
        appliesTo: z.array(z.string()).min(1),
        deductionDisqualifies: z.string().optional(),
      }),
    )
    .min(1),
  clauses: z.array(clauseSchema).min(1),
  calendars: z.record(
    z.string().regex(/^\d{4}$/),
    z.object({
      daysOff: z.array(z.tuple([isoDate, isoDate])),
      makeUpWorkdays: z.array(isoDate),
      source: z.string().optional(),
    }),
  ),
  organisers: z.array(z.object({ name: z.string().min(1), aliases: z.array(z.string().min(1)) })),
  units: z.array(z.object({ name: z.string().min(1), group: z.string(), aliases: z.array(z.string().min(1)) })).min(1),
});

export type RulebookData = z.infer<typeof rulebookSchema>;
export type ClauseData = z.infer<typeof clauseSchema>;

// Compile-time: the schema's kinds are exactly CLAUSE_KINDS (a kind listed without a schema entry,
// or an entry without a listed kind, fails here).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaCoversEveryKind: Same<ClauseData['kind'], ClauseKind> = true;
void schemaCoversEveryKind;
