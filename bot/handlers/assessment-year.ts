import type { Assessment } from '../../core/assessment.ts';
import { AppError, err, ok, type Result } from '../../core/errors.ts';

// Which assessment year a view asks for (/myscore, /standings): the year typed (YYYY), else the
// year of the date typed, else today's. A date outside the year typed, or a year the deployment
// has no rulebook for, is refused with the reason (core/assessment-years.ts holds the years).

export const YEAR_WORD = /^\d{4}$/;

export function assessmentOfYear(deps: Assessment, req: { year?: number; asOf?: string }): Result<Assessment> {
  const year = req.year ?? (req.asOf ? Number(req.asOf.slice(0, 4)) : deps.year);
  if (req.asOf && !req.asOf.startsWith(`${year}-`))
    return err(
      new AppError('FINDING.DATE_OUTSIDE_YEAR', `asOf ${req.asOf} is not in ${year}`, {
        params: { value: req.asOf, year: String(year) },
      }),
    );
  const a = deps.forYear(year);
  if (a) return ok(a);
  return err(
    new AppError('YEAR.NO_RULEBOOK', `no rulebook for ${year}`, {
      params: { year: String(year), years: deps.years.join(', ') },
    }),
  );
}
