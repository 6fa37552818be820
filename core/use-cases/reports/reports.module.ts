import type { Actor } from '../../assessment-api.ts';
import type { Result } from '../../errors.ts';
import type { ReportData } from '../../reports/report-data.ts';
import type { AssessmentContext } from '../shared/assessment-context.ts';
import { reportData } from './report-data.use-case.ts';

/** What reports are made of (exports, the 通报 document, charts): organisers and inspectors. */
export interface Reports {
  /** One period (`published`: refuse, REPORT.NOT_PUBLISHED, unless the office has published it) ('YYYY-MM' or 'YYYY'): the published standings, the period's findings explained, the office's cycle. */
  data(actor: Actor, cmd: { period: string; published?: boolean }): Promise<Result<ReportData>>;
}

export function reportsModule(ctx: AssessmentContext): Reports {
  return { data: (actor, cmd) => reportData(ctx, actor, cmd) };
}
