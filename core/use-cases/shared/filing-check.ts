import type { BatchRowExtras, FileFindingCommand } from '../../assessment-api.ts';
import { AppError, err, ok, type Result } from '../../errors.ts';
import { fileFindingSchema, issuesToError } from '../../inputs.schema.ts';
import { localizeIssueParams } from '../../issue-params.ts';
import type { NewFinding } from '../../ports/assessment-store.port.ts';
import { checkFinding } from '../../../rules/finding-check.ts';
import type { AssessmentContext } from './assessment-context.ts';

/** A filing that passed every check that needs no database: what the store is asked to write. */
export type CheckedFiling = Omit<NewFinding, 'changeSeq' | 'filedById'>;

/**
 * The checks of one filing before anything is written, shared by a chat filing and bulk intake so
 * that both refuse the same input with the same words: the zod shape, the rulebook's checks
 * (unit, clause, applicability, count, value, level, source, deadline, the year) and no date after
 * `today`. Every problem is returned, first the most important (a chat filing shows the first);
 * the month being closed is asked inside the writing transaction, not here.
 */
export function checkFiling(
  ctx: AssessmentContext,
  raw: FileFindingCommand & BatchRowExtras,
  today: string,
): Result<CheckedFiling, AppError[]> {
  const parsed = fileFindingSchema.safeParse(raw);
  if (!parsed.success) return err(parsed.error.issues.map((i) => issuesToError([i])));
  const cmd = parsed.data;
  const date = cmd.date ?? today;
  const checked = checkFinding(ctx.rulebook, { ...cmd, date }, { year: ctx.year });
  if (!checked.ok)
    return err(
      checked.issues.map(
        (i) =>
          new AppError(`FINDING.${i.code}`, `${i.field}: ${i.message}`, {
            field: i.field,
            params: localizeIssueParams(ctx.rulebook, i),
          }),
      ),
    );
  if (date > today)
    return err([
      new AppError('FINDING.DATE_IN_FUTURE', `date ${date} is after today ${today}`, {
        field: 'date',
        params: { value: date },
      }),
    ]);
  const c = checked.finding;
  return ok({
    rulebookId: ctx.rulebookId,
    year: ctx.year,
    unit: c.unit,
    clauseId: c.clause.id,
    date,
    count: c.count,
    value: c.value,
    level: c.level,
    source: c.source,
    deadline: c.deadline,
    deadlineIsDefault: c.deadlineIsDefault,
    ...(c.rectifiedOn ? { rectifiedOn: c.rectifiedOn } : {}),
    evidenceText: cmd.evidenceText ?? '',
    evidenceLinks: cmd.evidenceLinks ?? [],
    channel: cmd.channel,
    idempotencyKey: cmd.idempotencyKey,
  });
}
