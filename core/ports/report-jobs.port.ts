// Reports that take a while (a year's workbook, the 通报 document) are made by the worker, so a
// slash command is acknowledged at once and the file follows. The bot asks through this port;
// adapters/queue/report-jobs.adapter.ts enqueues a BullMQ job, worker/processors/report.processor.ts
// makes the file as the person who asked (their rights, checked again) and sends it to them.

export type ReportKind = 'export' | 'bulletin';
export type ReportFormat = 'xlsx' | 'csv' | 'docx';

export interface ReportJob {
  kind: ReportKind;
  /** 'YYYY-MM' or 'YYYY'. */
  period: string;
  format: ReportFormat;
  /** Who asked, on which platform: the file goes to their chat with the bot. */
  platform: string;
  userId: string;
  /** Equal on a request's retries (Slack redelivery): one job per request. */
  requestKey: string;
  /**
   * The worker's own report, into a channel instead of to a person (the 通报 document and charts
   * to the organisers' channel when a period is published): made with the system's rights.
   */
  channelId?: string;
}

export interface ReportJobsPort {
  enqueue(job: ReportJob): Promise<void>;
}
