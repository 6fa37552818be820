import { AppError, err, ok, type Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';

// A period the office reviews and publishes: a month of the assessment year ('YYYY-MM') or the
// year's results ('YYYY', after December is published). Both are standings as of their last day.

export interface Period {
  /** 'YYYY-MM' or 'YYYY' */
  id: string;
  kind: 'month' | 'year';
  /** The last day: the standings the period announces are as of it. */
  asOf: string;
}

/** The last calendar day of 'YYYY-MM'. */
export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** A period of this assessment year, or PERIOD.UNKNOWN naming what was typed. */
export function periodOf(ctx: AssessmentContext, raw: string): Result<Period> {
  const id = raw.trim();
  const unknown = () =>
    err(new AppError('PERIOD.UNKNOWN', `bad period ${id}`, { field: 'period', params: { value: id, year: ctx.year } }));
  if (/^\d{4}$/.test(id)) return Number(id) === ctx.year ? ok({ id, kind: 'year', asOf: `${id}-12-31` }) : unknown();
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(id) && id.startsWith(`${ctx.year}-`))
    return ok({ id, kind: 'month', asOf: lastDayOfMonth(id) });
  return unknown();
}

/** The month before 'YYYY-MM' in the same year; null for January. */
export function previousMonth(month: string): string | null {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? null : `${y}-${String(m - 1).padStart(2, '0')}`;
}
