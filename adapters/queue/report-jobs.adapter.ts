import type { ReportJob, ReportJobsPort } from '../../core/ports/report-jobs.port.ts';
import { jobId, type Queues } from './queues.ts';

/** ReportJobsPort over BullMQ: one job per request (its key), so a redelivered command makes one file. */
export class BullReportJobs implements ReportJobsPort {
  constructor(
    private readonly queues: Queues,
    private readonly assessment: { rulebookId: string; year: number },
  ) {}

  async enqueue(job: ReportJob): Promise<void> {
    await this.queues.add(
      'reports',
      'report',
      // the period's year, not today's: in January the office still exports December
      { ...job, rulebookId: this.assessment.rulebookId, year: Number(job.period.slice(0, 4)) || this.assessment.year },
      { jobId: jobId('report', job.platform, job.requestKey) },
    );
  }
}
