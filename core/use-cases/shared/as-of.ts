import { AppError, err, ok, type Result } from '../../errors.ts';
import { isoDateSchema } from '../../inputs.schema.ts';
import type { AssessmentContext } from './assessment-context.ts';

// "As of which day?" for views of the standings: today by default, clamped into the assessment year.

export function defaultAsOf(ctx: AssessmentContext): string {
  const t = ctx.today();
  const first = `${ctx.year}-01-01`,
    last = `${ctx.year}-12-31`;
  return t < first ? first : t > last ? last : t;
}

/** The default, but never before `date` (a finding's own day must be in the standings that count it). */
export function defaultAsOfFrom(ctx: AssessmentContext, date: string): string {
  const a = defaultAsOf(ctx);
  return a < date ? date : a;
}

/** A requested as-of day, or the default. */
export function asOfDay(ctx: AssessmentContext, raw: string | undefined): Result<string> {
  if (!raw) return ok(defaultAsOf(ctx));
  const parsed = isoDateSchema.safeParse(raw);
  return parsed.success
    ? ok(parsed.data)
    : err(new AppError('FINDING.BAD_DATE', `bad asOf ${raw}`, { field: 'asOf', params: { value: String(raw) } }));
}
