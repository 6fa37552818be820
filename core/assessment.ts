import type { Rulebook } from '../rules/rulebook.ts';
import { type Appeals, appealsModule } from './use-cases/appeals/appeals.module.ts';
import { type Extensions, extensionsModule } from './use-cases/extensions/extensions.module.ts';
import { type Findings, findingsModule } from './use-cases/findings/findings.module.ts';
import { type Membership, membershipModule } from './use-cases/membership/membership.module.ts';
import { type Months, monthsModule } from './use-cases/months/months.module.ts';
import { type Queries, queriesModule } from './use-cases/queries/queries.module.ts';
import { type Rectification, rectificationModule } from './use-cases/rectification/rectification.module.ts';
import { type Reports, reportsModule } from './use-cases/reports/reports.module.ts';
import { type AssessmentDeps, createAssessmentContext } from './use-cases/shared/assessment-context.ts';

export type { AssessmentDeps } from './use-cases/shared/assessment-context.ts';

/**
 * One assessment year's use cases (shared/spec/lifecycle.md) over the store of record, by area.
 * Each use case checks who may do it (core/authorization.ts); callers take the area they need.
 * This is composition only: the logic is in core/use-cases/<area>/*.use-case.ts.
 */
export interface Assessment {
  readonly rulebook: Rulebook;
  readonly rulebookId: string;
  readonly year: number;
  /** The assessment years held side by side, oldest first (core/assessment-years.ts); one here. */
  readonly years: readonly number[];
  /** That year's own use cases, or undefined when the deployment has no rulebook for it. */
  forYear(year: number): Assessment | undefined;
  /** Today's civil date in the rulebook's time zone (from the injected clock). */
  today(): string;
  readonly findings: Findings;
  readonly rectification: Rectification;
  readonly queries: Queries;
  readonly membership: Membership;
  readonly months: Months;
  readonly appeals: Appeals;
  readonly extensions: Extensions;
  readonly reports: Reports;
}

/** The use cases wired over one shared context (one ledger cache per process and rulebook). */
export function createAssessment(deps: AssessmentDeps): Assessment {
  const ctx = createAssessmentContext(deps);
  const assessment: Assessment = {
    rulebook: ctx.rulebook,
    rulebookId: ctx.rulebookId,
    year: ctx.year,
    years: [ctx.year],
    forYear: (year) => (year === ctx.year ? assessment : undefined),
    today: ctx.today,
    findings: findingsModule(ctx),
    rectification: rectificationModule(ctx),
    queries: queriesModule(ctx),
    membership: membershipModule(ctx),
    months: monthsModule(ctx),
    appeals: appealsModule(ctx),
    extensions: extensionsModule(ctx),
    reports: reportsModule(ctx),
  };
  return assessment;
}
