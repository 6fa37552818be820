// reports/report (enqueued by the bot for /kaoping export and /kaoping report): make the file as
// the person who asked — their rights are checked again here, through core — and send it to their
// chat with the bot. A file already sent is not sent again on a retry (job data `delivered`);
// a transient upload failure is retried by BullMQ; anything final is told to the person.

import { UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import { errorMessage as refusalMessage } from '../../core/messages/standings.ts';
import { MessengerError } from '../../core/ports/messenger.port.ts';
import { fileNotDeliveredMessage } from '../../core/reports/delivery-messages.ts';
import { reportFiles } from '../../adapters/reports/report-files.ts';
import { ok } from '../../core/errors.ts';
import type { Message } from '../../core/messages/message.ts';
import { assessmentFor, parseJobData, rulebookIdSchema, workerActor, yearSchema, type WorkerDeps } from '../context.ts';

export const reportDataSchema = z.object({
  rulebookId: rulebookIdSchema,
  year: yearSchema,
  kind: z.enum(['export', 'bulletin']),
  period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/),
  format: z.enum(['xlsx', 'csv', 'docx']),
  platform: z.string().min(1).max(40),
  userId: z.string().min(1).max(200),
  requestKey: z.string().min(1).max(300),
  delivered: z.number().int().min(0).optional(),
  channelId: z.string().min(1).max(200).optional(),
});

type JobLike = Pick<Job, 'name' | 'id' | 'data'> & { updateData?: (data: unknown) => Promise<void> };

export function createReportProcessor(deps: WorkerDeps) {
  return async (job: JobLike): Promise<{ sent: number }> => {
    const data = parseJobData(reportDataSchema, job);
    const a = assessmentFor(deps, data.rulebookId, data.year);
    const messenger = deps.messengers?.[data.platform];
    if (!messenger) throw new UnrecoverableError(`no messenger for platform ${data.platform}`);
    const to = data.channelId ? { channelId: data.channelId } : { userId: data.userId };
    // the worker's own report (a channel) is made with the system's rights; a person's with theirs
    const actor = data.channelId
      ? ok(workerActor(deps.locale))
      : await a.membership.resolveActor(data.platform, data.userId);
    const tell = (m: Message) =>
      data.channelId ? messenger.postToChannel(data.channelId, m) : messenger.postPrivate(data.userId, m);
    if (!actor.ok) {
      await tell(refusalMessage(deps.locale, actor.error));
      return { sent: 0 };
    }
    const locale = actor.value.locale;
    const report = await a.reports.data(actor.value, { period: data.period, published: data.kind === 'bulletin' });
    if (!report.ok) {
      await tell(refusalMessage(locale, report.error));
      return { sent: 0 };
    }
    const files = await reportFiles(a.rulebook, locale, report.value, data.kind, data.format);
    let delivered = data.delivered ?? 0;
    for (const file of files.slice(delivered)) {
      try {
        await messenger.sendFile(to, file);
      } catch (e) {
        if (MessengerError.is(e) && !e.permanent) throw e; // BullMQ retries; what went stays sent
        deps.logger.warn({ file: file.filename, size: file.bytes.byteLength, err: String(e) }, 'report not delivered');
        await tell(fileNotDeliveredMessage(locale, file.filename, e));
        return { sent: delivered };
      }
      delivered += 1;
      await job.updateData?.({ ...data, delivered });
    }
    return { sent: delivered };
  };
}
