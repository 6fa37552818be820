import type { Actor } from '../../assessment-api.ts';
import type { Result } from '../../errors.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import type {
  PeriodDraft,
  Published,
  PublishedSnapshot,
  RecordedTieBreak,
  Reopened,
  TieBreakChoice,
} from './months-api.ts';
import { periodDraft } from './period-draft.use-case.ts';
import { publishPeriod } from './publish-period.use-case.ts';
import { publishedSnapshot } from './published-snapshot.use-case.ts';
import { recordTieBreak } from './record-tie-break.use-case.ts';
import { reopenPeriod } from './reopen-period.use-case.ts';
import { type MonthState, setMonthState } from './set-month-state.use-case.ts';

/**
 * The assessment months and the year's results (lifecycle.md "Months: close → draft → publish"):
 * close and reopen, the organisers' draft, tie-breaks at the cut, publication and what was published.
 * A period is 'YYYY-MM' (a month) or 'YYYY' (the year's results).
 */
export interface Months {
  setState(
    actor: Actor,
    cmd: { month: string; state: MonthState },
  ): Promise<Result<{ month: string; state: MonthState }>>;
  /** Organisers: the draft of a month or of the year's results. */
  draft(actor: Actor, cmd: { period: string }): Promise<Result<PeriodDraft>>;
  /** Organisers: resolve a tie at a group's quota cut, with a reason. */
  tieBreak(
    actor: Actor,
    cmd: { period: string; group: string; choice: TieBreakChoice; reason: string },
  ): Promise<Result<RecordedTieBreak>>;
  /** Organisers: freeze the period's next version; the worker sends the 通报. */
  publish(actor: Actor, cmd: { period: string; announceTies?: boolean }): Promise<Result<Published>>;
  /** Organisers: reopen a published period (with a reason) or a closed month. */
  reopen(actor: Actor, cmd: { period: string; reason?: string }): Promise<Result<Reopened>>;
  /** Anyone known: the published snapshot of a month or the year, latest or a given version (unit contacts: their own unit). */
  publishedSnapshot(actor: Actor, cmd: { period: string; version?: number }): Promise<Result<PublishedSnapshot | null>>;
}

export function monthsModule(ctx: AssessmentContext): Months {
  return {
    setState: (actor, cmd) => setMonthState(ctx, actor, cmd),
    draft: (actor, cmd) => periodDraft(ctx, actor, cmd),
    tieBreak: (actor, cmd) => recordTieBreak(ctx, actor, cmd),
    publish: (actor, cmd) => publishPeriod(ctx, actor, cmd),
    reopen: (actor, cmd) => reopenPeriod(ctx, actor, cmd),
    publishedSnapshot: (actor, cmd) => publishedSnapshot(ctx, actor, cmd),
  };
}
