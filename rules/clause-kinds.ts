// Per-kind facts that the checks, the engine, the parsers and the forms ask about. Each is an
// exhaustive switch: a new clause kind is a compile error here until it is described.
import type { ClauseData as Clause } from './rulebook.schema.ts';
import { assertNever } from './exhaustive.ts';

export type Level = Extract<Clause, { kind: 'tiered' }>['levels'][number];

/** What a finding under a clause carries besides unit, date and source. */
export interface ClauseInputs {
  /** a count of items (else the count is 1) */
  count: boolean;
  /** a measured value (a percentage) */
  value: boolean;
  /** the levels to choose from; null when the clause has none */
  levels: readonly Level[] | null;
}

/** The one answer, per clause kind, to "which fields does a finding take?" (checks, parsing, forms). */
export function clauseInputs(clause: Clause): ClauseInputs {
  switch (clause.kind) {
    case 'per_item':
      return { count: true, value: false, levels: null };
    case 'flat':
      return { count: false, value: false, levels: null };
    case 'threshold':
      return { count: false, value: true, levels: null };
    case 'tiered':
      return { count: clause.perItem, value: false, levels: clause.levels };
    default:
      return assertNever(clause, 'clause kind');
  }
}

/**
 * A measurement (a value against a threshold): one counts per unit, clause and month (the latest),
 * and the rulebook's `settings.threshold` decides whether it is rectifiable and escalates.
 */
export function isMeasurement(clause: Clause): boolean {
  switch (clause.kind) {
    case 'threshold':
      return true;
    case 'per_item':
    case 'flat':
    case 'tiered':
      return false;
    default:
      return assertNever(clause, 'clause kind');
  }
}
