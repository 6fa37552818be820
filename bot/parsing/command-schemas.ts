// Argument schemas shared by the text commands that name a finding and a date (/finding withdraw,
// deadline, appeal, rule, extend …); each zod message is the problem code the caller reports.
import { z } from 'zod';
import { findingRefLabel, parseFindingRef } from '../../core/finding-ref.ts';
import { parseIsoDate } from '../../rules/dates.ts';

/** '#123' → '#123' (the label core takes). */
export const findingRefSchema = z.string().transform((s, ctx) => {
  const ref = parseFindingRef(s);
  if (!ref) {
    ctx.addIssue({ code: 'custom', message: 'bad_ref' });
    return z.NEVER;
  }
  return findingRefLabel(ref);
});

/** A real calendar date written YYYY-MM-DD (full-width digits accepted). */
export const isoDateSchema = z
  .string()
  .transform((s) => s.normalize('NFKC').trim())
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && parseIsoDate(s) !== null, { message: 'bad_deadline' });
