import type { EngineFinding, FindingReason, FindingResult } from './types.ts';
import { type PreparedRulebook, shortfallOf } from './prepared-rulebook.ts';
import { assertNever } from '../exhaustive.ts';
import { isOverdue } from './overdue.ts';

/**
 * One finding's result with its explanation: built only for the findings someone is shown (a
 * unit's `findings`), from what the compact pass worked out — the finding's base, inspection
 * multiplier, the earlier overdue findings that make it a repeat, and what supersedes it.
 */
export function explainFinding(
  rb: PreparedRulebook,
  f: EngineFinding,
  c: number,
  base: number,
  inspectionMultiplier: number,
  repeatOf: readonly string[],
  supersededBy: string | undefined,
  asOf: string,
): FindingResult {
  const clause = rb.clauses[c]!;
  const reasons: FindingReason[] = [];
  let amount: number;
  let shortfall: number | undefined;
  switch (clause.kind) {
    case 'per_item':
    case 'flat':
      amount = clause.amount;
      break;
    case 'threshold': {
      amount = clause.amount;
      const value = f.value ?? clause.threshold;
      shortfall = shortfallOf(rb, c, clause.threshold, value);
      reasons.push({ kind: 'threshold', value, threshold: clause.threshold, shortfall });
      break;
    }
    case 'tiered':
      amount = rb.levelAmounts[c]!.get(f.level!)!;
      break;
    default:
      return assertNever(clause, 'clause kind');
  }

  if (inspectionMultiplier !== 1) reasons.push({ kind: 'inspection', source: f.source, factor: inspectionMultiplier });
  const repeatMultiplier = rb.repeatBase ** repeatOf.length;
  if (repeatOf.length)
    reasons.push({ kind: 'repeat', count: repeatOf.length, ids: repeatOf, factor: repeatMultiplier });

  let multiplier = inspectionMultiplier * repeatMultiplier;
  let status: FindingResult['status'] = 'counted';
  if (f.withdrawn) {
    status = 'withdrawn';
    multiplier = 0;
    reasons.length = 0;
    reasons.push({ kind: 'withdrawn' });
  } else if (supersededBy !== undefined) {
    status = 'superseded';
    multiplier = 0;
    reasons.push({ kind: 'superseded', by: supersededBy });
  }
  const points = base * multiplier + 0; // + 0 turns −0 into 0
  if (status === 'counted' && clause.disqualifies && points !== 0)
    reasons.push({ kind: 'disqualifies', disqualification: clause.disqualifies });

  return {
    id: f.id,
    clause: clause.id,
    section: clause.section,
    date: f.date,
    status,
    points,
    multiplier,
    base,
    amount,
    count: f.count,
    inspectionMultiplier,
    repeatMultiplier,
    repeatOf,
    deadline: f.deadline,
    overdue: isOverdue(rb.rulebook, f, asOf),
    reasons,
    // always present (possibly undefined) so every result has one shape for the JIT
    value: f.value ?? undefined,
    level: f.level ?? undefined,
    shortfall,
    supersededBy,
  };
}
