import { AppError, err, ok, type Result } from '../../errors.ts';
import { findingRefLabel, parseFindingRef } from '../../finding-ref.ts';
import type { StoredFinding } from '../../ports/assessment-store.port.ts';
import type { AssessmentContext } from './assessment-context.ts';

// What a person or a button gave as a finding ('#123', '123' or a uuid) → the finding of this
// rulebook, or FINDING.BAD_REF / FINDING.NOT_FOUND.

/**
 * The storage id behind a reference, for changes: a uuid as is, a filing number looked up. The
 * filing number never changes, so it is resolved outside the transaction that then locks the row
 * by id (and finds out there whether it exists).
 */
export async function findingIdOf(ctx: AssessmentContext, raw: string): Promise<Result<{ id: string; label: string }>> {
  const ref = parseFindingRef(raw);
  if (!ref) return err(badFindingRef(raw));
  const label = findingRefLabel(ref);
  if (ref.kind === 'id') return ok({ id: ref.id, label });
  const f = await ctx.store.getFindingBySeq(ref.seq);
  if (!f || f.rulebookId !== ctx.rulebookId) return err(findingNotFound(label));
  return ok({ id: f.id, label });
}

/** The stored finding behind a reference, for reading. */
export async function findingOf(ctx: AssessmentContext, raw: string): Promise<Result<StoredFinding>> {
  const ref = parseFindingRef(raw);
  if (!ref) return err(badFindingRef(raw));
  const f = ref.kind === 'id' ? await ctx.store.getFinding(ref.id) : await ctx.store.getFindingBySeq(ref.seq);
  if (!f || f.rulebookId !== ctx.rulebookId) return err(findingNotFound(findingRefLabel(ref)));
  return ok(f);
}

export function findingNotFound(label: string): AppError {
  return new AppError('FINDING.NOT_FOUND', `no finding ${label}`, { params: { value: label } });
}

function badFindingRef(raw: string): AppError {
  const shown = [...raw.trim()].slice(0, 40).join('');
  return new AppError('FINDING.BAD_REF', `not a finding reference: ${JSON.stringify(shown)}`, {
    params: { value: shown },
  });
}
