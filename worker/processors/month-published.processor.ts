// month/month-published: an organiser published a month ('YYYY-MM') or the year's results
// ('YYYY') — the period.published event. Sends the 通报 from the frozen publication:
//   - a month: what month close sends with auto-publish (month-close.processor.ts monthCloseSends),
//     with the office's tie-breaks and, for a republication, what changed and why;
//   - the year: the results to the organisers' channel (every rank) and to each unit's group
//     channel (the advanced units, the disqualifications and, by KAOPING_PUBLISH, its own result).
// Exactly once: the same ledger keys as the month close (by version), so the close of an
// auto-published month and this job never both send. A version reopened before this runs, or a
// month published silently (before go-live), sends nothing.

import type { Job } from 'bullmq';
import { z } from 'zod';
import { periodDraftMessage, publicationMessage } from '../../core/messages/publication.ts';
import { enqueueUnsettled, jobId, type SendJobData } from '../../adapters/queue/queues.ts';
import {
  assessmentFor,
  parseJobData,
  rulebookIdSchema,
  workerActor,
  yearSchema,
  type Assessment,
  type WorkerDeps,
} from '../context.ts';
import { NOTIFICATION_KINDS, channelRecipient, monthSubjectId } from '../notification-ledger.ts';
import { ORGANISERS_SCOPE, Recipients } from '../recipients.ts';
import type { PublicationRecord } from '../../core/ports/publications.port.ts';
import { monthCloseKey, monthCloseSends } from './month-close.processor.ts';

export const monthPublishedDataSchema = z.object({
  rulebookId: rulebookIdSchema,
  year: yearSchema,
  period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'expected YYYY-MM or YYYY'),
  version: z.number().int().min(1),
});

type Deps = Parameters<typeof monthCloseSends>[0] & Pick<WorkerDeps, 'messengers' | 'bulletinDocuments'>;

export type MonthPublishedResult =
  | { skipped: 'gone' | 'reopened' | 'silent' }
  | { period: string; version: number; sends: number };

export function createMonthPublishedProcessor(deps: Deps) {
  return async function processMonthPublished(job: Pick<Job, 'name' | 'id' | 'data'>): Promise<MonthPublishedResult> {
    const data = parseJobData(monthPublishedDataSchema, job);
    const a = assessmentFor(deps, data.rulebookId, data.year);
    const r = await a.months.publishedSnapshot(workerActor(deps.locale), {
      period: data.period,
      version: data.version,
    });
    if (!r.ok) throw new Error(`${data.period} v${data.version}: ${r.error.code}: ${r.error.message}`);
    const p = r.value;
    if (!p) return { skipped: 'gone' };
    if (p.reopened || p.version !== p.latestVersion) return { skipped: 'reopened' };
    let sends: SendJobData[];
    if (data.period.length === 4) sends = await yearSends(deps, a, p);
    else {
      const silentKey = monthCloseKey(a.rulebook.id, data.period, 'silent', 'system');
      if (p.version === 1 && (await deps.ledger.settledAmong([silentKey])).size > 0) return { skipped: 'silent' };
      sends = await monthCloseSends(deps, a, data.period, p.version, [], p);
      // after December is published, the year's results are the organisers' to review
      if (data.period === `${a.year}-12`) sends.push(...(await yearDraftSends(deps, a, p.version)));
    }
    const enqueued = await enqueueUnsettled(deps.queues, deps.ledger, sends);
    if (deps.bulletinDocuments) await bulletinDocuments(deps, a, p);
    deps.logger.info({ job: job.id, period: data.period, version: p.version, sends: enqueued }, 'published: 通报 sent');
    return { period: data.period, version: p.version, sends: enqueued };
  };
}

/** The year's draft to the organisers' channel, once per December version. */
async function yearDraftSends(deps: Deps, a: Assessment, decemberVersion: number): Promise<SendJobData[]> {
  const draft = await a.months.draft(workerActor(deps.locale), { period: String(a.year) });
  if (!draft.ok) throw new Error(`year draft ${a.year}: ${draft.error.code}: ${draft.error.message}`);
  const recipients = new Recipients(deps, a);
  const sends: SendJobData[] = [];
  for (const platform of deps.platforms) {
    const organisers = await recipients.channel(platform, ORGANISERS_SCOPE);
    if (!organisers) continue;
    sends.push({
      key: {
        subjectType: 'month',
        subjectId: monthSubjectId(a.rulebook.id, String(a.year)),
        kind: NOTIFICATION_KINDS.yearResults,
        stage: `draft-${decemberVersion}`,
        recipient: channelRecipient(platform, ORGANISERS_SCOPE),
      },
      target: { kind: 'channel', platform, scope: ORGANISERS_SCOPE, channelId: organisers },
      message: periodDraftMessage(deps.locale, a.rulebook, draft.value),
    });
  }
  return sends;
}

async function yearSends(deps: Deps, a: Assessment, p: PublicationRecord): Promise<SendJobData[]> {
  const recipients = new Recipients(deps, a);
  const suffix = p.version > 1 ? `-${p.version}` : '';
  const key = (stage: string, recipient: string) => ({
    subjectType: 'month' as const,
    subjectId: monthSubjectId(a.rulebook.id, p.period),
    kind: NOTIFICATION_KINDS.yearResults,
    stage: `${stage}${suffix}`,
    recipient,
  });
  const sends: SendJobData[] = [];
  for (const platform of deps.platforms) {
    const organisers = await recipients.channel(platform, ORGANISERS_SCOPE);
    if (organisers)
      sends.push({
        key: key('summary', channelRecipient(platform, ORGANISERS_SCOPE)),
        target: { kind: 'channel', platform, scope: ORGANISERS_SCOPE, channelId: organisers },
        message: publicationMessage(deps.locale, a.rulebook, p, { ranks: true }),
      });
    if (!deps.publish.advancedUnits && !deps.publish.ownResult) continue;
    for (const unit of a.rulebook.units.keys()) {
      const channelId = await recipients.channel(platform, unit);
      if (!channelId) continue;
      sends.push({
        key: key('published', channelRecipient(platform, unit)),
        target: { kind: 'channel', platform, scope: unit, channelId },
        message: publicationMessage(deps.locale, a.rulebook, p, {
          ranks: false,
          ...(deps.publish.ownResult ? { unit } : {}),
        }),
      });
    }
  }
  return sends;
}

/**
 * The 通报 as a Word document, with each group's ranked chart, to the organisers' channel on every
 * platform the worker sends files on: made by the reports queue (one job per platform and
 * version, so a retried publish job makes it once), for the office to adjust and issue.
 */
async function bulletinDocuments(deps: Deps, a: Assessment, p: PublicationRecord): Promise<void> {
  const recipients = new Recipients(deps, a);
  for (const platform of deps.platforms) {
    if (!deps.messengers?.[platform]) continue;
    const channelId = await recipients.channel(platform, ORGANISERS_SCOPE);
    if (!channelId) continue;
    const requestKey = `published|${p.period}|v${p.version}`;
    await deps.queues.add(
      'reports',
      'report',
      {
        kind: 'bulletin',
        period: p.period,
        format: 'docx',
        platform,
        userId: 'system',
        channelId,
        requestKey,
        rulebookId: a.rulebook.id,
        year: a.year,
      },
      { jobId: jobId('report', platform, requestKey) },
    );
  }
}
