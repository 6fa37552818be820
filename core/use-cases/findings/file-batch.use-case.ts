import type { Actor, FileBatchCommand, FiledBatch, FiledBatchRow } from '../../assessment-api.ts';
import { forbidden, may } from '../../authorization.ts';
import { AppError, err, InvalidRowsError, ok, type Result, type RowError } from '../../errors.ts';
import type { FindingKeyed } from '../../ports/assessment-store.port.ts';
import { monthOf } from '../../../rules/dates.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { defaultAsOf } from '../shared/as-of.ts';
import { auditedActor } from '../shared/audit.ts';
import { checkFiling, type CheckedFiling } from '../shared/filing-check.ts';

/** The most rows one call takes; a larger import is sent in parts. */
export const MAX_BATCH_ROWS = 100_000;

/**
 * Bulk intake: an organiser files many findings in one call (lifecycle.md "import findings").
 *
 * - Every row is checked exactly as a chat filing is (shared/filing-check.ts), plus: no two rows
 *   with one key, no row in a closed month. All-or-nothing: if any row is invalid nothing is
 *   written and the error (InvalidRowsError, BATCH.INVALID_ROWS) lists every invalid row with its
 *   index, field and a message in each language.
 * - Idempotent per row: a row whose key was filed before (by an earlier batch or in chat) is
 *   reported with created: false and not written again, so sending the same batch twice adds
 *   nothing; such rows are not checked against closed months (they change nothing).
 * - One transaction: one ledger version for the whole batch, one multi-row INSERT … ON CONFLICT,
 *   one audit entry ('findings.imported', entity 'finding_batch') listing every finding written.
 * - After commit: one event ('findings.imported', a recompute; no per-finding notices) and one
 *   refresh of the ledger cache, so the next read already counts the batch.
 */
export async function fileBatch(
  ctx: AssessmentContext,
  actor: Actor,
  cmd: FileBatchCommand,
): Promise<Result<FiledBatch>> {
  if (!may(actor, 'finding.import')) return err(forbidden(actor, 'finding.import'));
  const rows = Array.isArray(cmd.rows) ? cmd.rows : [];
  if (rows.length === 0) return err(new AppError('BATCH.EMPTY', 'no rows', { field: 'rows' }));
  if (rows.length > MAX_BATCH_ROWS)
    return err(
      new AppError('BATCH.TOO_LARGE', `${rows.length} rows`, {
        field: 'rows',
        params: { max: MAX_BATCH_ROWS, value: rows.length },
      }),
    );
  const label = typeof cmd.label === 'string' ? cmd.label.trim().slice(0, 200) : null;

  const today = ctx.today();
  const invalid: RowError[] = [];
  const filings: CheckedFiling[] = new Array(rows.length);
  const firstWithKey = new Map<string, number>();
  for (let index = 0; index < rows.length; index++) {
    const checked = checkFiling(ctx, { ...rows[index]!, channel: cmd.channel }, today);
    if (!checked.ok) {
      for (const error of checked.error) invalid.push({ index, field: error.field ?? 'input', error });
      continue;
    }
    const f = checked.value;
    const first = firstWithKey.get(f.idempotencyKey);
    if (first !== undefined) {
      invalid.push({
        index,
        field: 'idempotencyKey',
        error: new AppError('BATCH.DUPLICATE_KEY', `key ${f.idempotencyKey} is also row ${first}'s`, {
          field: 'idempotencyKey',
          params: { value: f.idempotencyKey, row: first + 1 },
        }),
      });
      continue;
    }
    firstWithKey.set(f.idempotencyKey, index);
    filings[index] = f;
  }
  if (invalid.length) return err(new InvalidRowsError(invalid));

  const outcome = await ctx.store.transaction(
    async (tx): Promise<Result<Map<string, FindingKeyed & { created: boolean }>>> => {
      const found = new Map<string, FindingKeyed & { created: boolean }>();
      for (const [key, f] of await tx.findingsByKeys([...firstWithKey.keys()]))
        found.set(key, { ...f, created: false });
      const fresh = filings.filter((f) => !found.has(f.idempotencyKey));
      if (!fresh.length) return ok(found);
      // Asked inside the writing transaction, so a month closed meanwhile is seen.
      const states = await tx.monthStates(ctx.rulebookId, [...new Set(fresh.map((f) => monthOf(f.date)))]);
      const closed: RowError[] = [];
      for (const f of fresh) {
        const month = monthOf(f.date);
        if (states.get(month) !== 'closed') continue;
        closed.push({
          index: firstWithKey.get(f.idempotencyKey)!,
          field: 'date',
          error: new AppError('FINDING.MONTH_CLOSED', `month ${month} is closed`, { field: 'date', params: { month } }),
        });
      }
      if (closed.length) return err(new InvalidRowsError(closed));
      // The ledger row lock is taken last, so the batch holds it only for its insert and audit.
      const changeSeq = await tx.bumpLedger(ctx.rulebookId, ctx.year);
      const written = await tx.insertFindings(fresh.map((f) => ({ ...f, changeSeq, filedById: actor.memberId })));
      for (const w of written) found.set(w.idempotencyKey, { ...w, created: true });
      if (written.length < fresh.length) {
        // keys filed by a concurrent twin after our first look: they exist now (it committed)
        const missing = fresh.filter((f) => !found.has(f.idempotencyKey)).map((f) => f.idempotencyKey);
        for (const [key, f] of await tx.findingsByKeys(missing)) found.set(key, { ...f, created: false });
      }
      if (written.length)
        await tx.appendAudit({
          ...auditedActor(actor),
          action: 'findings.imported',
          entity: 'finding_batch',
          entityId: `${ctx.rulebookId}/${ctx.year}/v${changeSeq}`,
          after: {
            label,
            channel: cmd.channel,
            rows: rows.length,
            created: written.length,
            // what was filed, finding by finding (the finding rows hold the rest: evidence, filer)
            findings: written.map((w) => {
              const f = filings[firstWithKey.get(w.idempotencyKey)!]!;
              return {
                id: w.id,
                seq: w.seq,
                key: w.idempotencyKey,
                unit: f.unit,
                clause: f.clauseId,
                date: f.date,
                count: f.count,
                value: f.value,
                level: f.level,
                source: f.source,
                deadline: f.deadline,
                ...(f.rectifiedOn ? { rectifiedOn: f.rectifiedOn } : {}),
              };
            }),
          },
        });
      return ok(found);
    },
    // one transaction for the whole batch (all-or-nothing): a year of 100,000 imported rows takes
    // longer than a chat filing's 20 s on a loaded machine (measured: 27 s), so the limit grows with it
    { timeoutMs: Math.max(20_000, 20_000 + rows.length) },
  );
  if (!outcome.ok) return outcome;

  const out: FiledBatchRow[] = new Array(rows.length);
  let created = 0;
  filings.forEach((f, index) => {
    const r = outcome.value.get(f.idempotencyKey);
    if (!r) throw new Error(`batch row ${index} (key ${f.idempotencyKey}) is neither written nor found`);
    if (r.created) created++;
    out[index] = { index, id: r.id, seq: r.seq, created: r.created };
  });
  if (created) {
    await ctx.publish({ type: 'findings.imported', rulebookId: ctx.rulebookId, year: ctx.year, count: created });
    // the one recompute: the next read (from this process) finds the cache current
    await ctx.standings(defaultAsOf(ctx));
  }
  return ok({ created, existing: rows.length - created, rows: out });
}
