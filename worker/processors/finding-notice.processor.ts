// reminders/finding-notice (enqueued by finding-changed for 'finding.filed', delayed by the notice
// grace period): the filing notice in the unit's group channel — only when the bot has not posted
// one. The bot posts the notice itself, in the request that filed the finding, and stores its ref
// (setNoticeRef); this job covers findings filed without the bot (imports, the console) and
// notices the bot failed to post. A notice already recorded in the notification ledger
// (finding × 'finding-notice' × 'notice' × channel) is never posted again; the send processor
// re-checks noticeRef right before sending and stores the ref of the notice it posts.

import type { Job } from 'bullmq';
import { z } from 'zod';
import { toFindingView } from '../../core/finding-view.ts';
import {
  asOfToday,
  assessmentFor,
  beforeGoLive,
  parseJobData,
  rulebookIdSchema,
  workerActor,
  yearSchema,
  type WorkerDeps,
} from '../context.ts';
import { workerNoticeMessage } from '../messages.ts';
import { NOTIFICATION_KINDS, channelRecipient, type NotificationKey } from '../notification-ledger.ts';
import { enqueueSends, type SendJobData } from '../../adapters/queue/queues.ts';
import { Recipients } from '../recipients.ts';

export const findingNoticeDataSchema = z.object({
  rulebookId: rulebookIdSchema,
  year: yearSchema,
  findingId: z.uuid(),
});

/** The ledger key of a finding's filing notice on one platform — the bot may claim it too. */
export function findingNoticeKey(findingId: string, platform: string, unit: string): NotificationKey {
  return {
    subjectType: 'finding',
    subjectId: findingId,
    kind: NOTIFICATION_KINDS.findingNotice,
    stage: 'notice',
    recipient: channelRecipient(platform, unit),
  };
}

export type FindingNoticeResult =
  | { posted: number }
  | { skipped: 'gone' | 'withdrawn' | 'bot-posted' | 'before-go-live' };

type Deps = Pick<
  WorkerDeps,
  'assessments' | 'recipients' | 'store' | 'queues' | 'ledger' | 'platforms' | 'locale' | 'logger' | 'startDate'
>;

export function createFindingNoticeProcessor(deps: Deps) {
  return async function processFindingNotice(job: Pick<Job, 'name' | 'id' | 'data'>): Promise<FindingNoticeResult> {
    const data = parseJobData(findingNoticeDataSchema, job);
    const a = assessmentFor(deps, data.rulebookId, data.year);
    const f = await deps.store.getFinding(data.findingId);
    if (!f) return { skipped: 'gone' };
    if (f.status === 'withdrawn') return { skipped: 'withdrawn' };
    if (f.noticeRef !== null) return { skipped: 'bot-posted' };
    // imported history: a finding of a month closed before go-live is not news
    if (beforeGoLive(deps.startDate, f.date)) return { skipped: 'before-go-live' };

    const asOf = asOfToday(a) < f.date ? f.date : asOfToday(a);
    // explained from its clause alone, as the bot explains a filing (not the whole year's standings)
    const r = await a.queries.findingResult(workerActor(), { id: f.id, unit: f.unit, clause: f.clauseId }, asOf);
    if (!r.ok) throw new Error(`the result of finding ${f.id} refused to the worker: ${r.error.message}`);
    const result = r.value;
    const view = toFindingView(a.rulebook, f, a.today());
    const recipients = new Recipients(deps, a);
    const sends: SendJobData[] = [];
    for (const platform of deps.platforms) {
      const channelId = await recipients.channel(platform, f.unit);
      if (!channelId) continue;
      const key = findingNoticeKey(f.id, platform, f.unit);
      if (await deps.ledger.status(key)) continue; // someone has it (or had it) already
      const contacts = await recipients.contacts(platform, f.unit);
      sends.push({
        key,
        target: { kind: 'channel', platform, scope: f.unit, channelId },
        message: workerNoticeMessage(deps.locale, a.rulebook, view, {
          platform,
          contacts,
          ...(result ? { result } : {}),
        }),
      });
    }
    await enqueueSends(deps.queues, sends);
    if (sends.length > 0)
      deps.logger.info(
        { job: job.id, findingId: f.id, n: sends.length },
        'the bot posted no filing notice: the worker posts it',
      );
    return { posted: sends.length };
  };
}
