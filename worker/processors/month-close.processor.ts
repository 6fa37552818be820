// month/month-close: close a month (if the schedule says so), snapshot its standings as
// 'month:YYYY-MM' and send what the office publishes:
//   - the organisers' channel: the ranked summary of every group with the quota line and the
//     overdue list (monthClosedSummaryMessage);
//   - each unit's contacts, privately: the unit's own breakdown (unitBreakdownMessage), in the
//     contact's language;
//   - each unit's group channel: only what the publish policy allows (default: the names of the
//     advanced units and the unit's own result) — never another unit's breakdown.
// Exactly once: every message has a ledger row keyed by month, kind 'month-close', stage and
// recipient. Closing again after the office reopened the month is a new round ('summary-2', …):
// the corrected results are news.
//
// cause 'schedule' (month-close-check): closes the month as the system ('system:worker' in the
// audit log) when its close moment has passed. cause 'event' (the office closed it): publishes.

import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { context, message, type Message } from '../../core/messages/message.ts';
import { monthClosedSummaryMessage, unitBreakdownMessage } from '../../core/messages/standings.ts';
import {
  assessmentFor,
  beforeGoLive,
  monthEnd,
  monthSchema,
  parseJobData,
  rulebookIdSchema,
  standingsAsOf,
  workerActor,
  yearSchema,
  type Assessment,
  type WorkerDeps,
} from '../context.ts';
import { monthPublishedMessage } from '../messages.ts';
import {
  NOTIFICATION_KINDS,
  channelRecipient,
  monthSubjectId,
  userRecipient,
  type NotificationKey,
} from '../notification-ledger.ts';
import { enqueueUnsettled, type SendJobData } from '../../adapters/queue/queues.ts';
import { ORGANISERS_SCOPE, Recipients } from '../recipients.ts';
import { monthCloseDue } from '../reminder-plan.ts';
import { monthLabel } from '../../core/ports/standing-snapshots.port.ts';

export const monthCloseDataSchema = z.object({
  rulebookId: rulebookIdSchema,
  year: yearSchema,
  month: monthSchema,
  cause: z.enum(['schedule', 'event']),
  silent: z.boolean().optional(),
  catchUp: z.array(monthSchema).max(12).optional(),
});

export type MonthCloseResult =
  | { skipped: 'reopened' | 'not-due' }
  | {
      month: string;
      closedNow: boolean;
      round: number;
      asOf: string;
      version: string;
      snapshotRows: number;
      sends: number;
      ms: number;
    };

type Deps = Pick<
  WorkerDeps,
  | 'assessments'
  | 'store'
  | 'snapshots'
  | 'recipients'
  | 'months'
  | 'clock'
  | 'queues'
  | 'ledger'
  | 'platforms'
  | 'settings'
  | 'locale'
  | 'publish'
  | 'startDate'
  | 'logger'
>;

export function monthCloseKey(rulebookId: string, month: string, stage: string, recipient: string): NotificationKey {
  return {
    subjectType: 'month',
    subjectId: monthSubjectId(rulebookId, month),
    kind: NOTIFICATION_KINDS.monthClose,
    stage,
    recipient,
  };
}

/** A ledger row saying the month's first close sent nothing on purpose (settled, never sent). */
async function recordSilentClose(deps: Pick<WorkerDeps, 'ledger'>, key: NotificationKey): Promise<void> {
  const c = await deps.ledger.claim(key);
  if (c.status === 'claimed') await deps.ledger.markSent(c, null);
}

/** How many times the month has been closed (audit log): 1 for the first close. */
async function closeRound(deps: Pick<WorkerDeps, 'months'>, rulebookId: string, month: string): Promise<number> {
  return Math.max(1, await deps.months.timesClosed(rulebookId, month));
}

/** Every message of a month's close, for every platform; `catchUp` names the months closed silently with it. */
export async function monthCloseSends(
  deps: Deps,
  a: Assessment,
  month: string,
  round: number,
  catchUp: readonly string[] = [],
): Promise<SendJobData[]> {
  const asOf = monthEnd(month);
  const rulebookId = a.rulebook.id;
  const suffix = round > 1 ? `-${round}` : '';
  const standings = await a.queries.groupStandings(workerActor(deps.locale), { asOf });
  if (!standings.ok) throw new Error(`month close ${month}: standings refused: ${standings.error.message}`);
  const breakdowns = new Map<string, ReturnType<Assessment['queries']['unitBreakdown']>>();
  const breakdown = (unit: string, locale: Locale) => {
    const k = `${unit}\u0000${locale}`;
    let p = breakdowns.get(k);
    if (!p) {
      p = a.queries.unitBreakdown(workerActor(locale), { unit, asOf });
      breakdowns.set(k, p);
    }
    return p;
  };

  const covering = (m: Message, locale: Locale) => (catchUp.length > 0 ? withCatchUp(m, catchUp, locale) : m);
  const recipients = new Recipients(deps, a);
  // the breakdowns in the channel language, all at once (they share one ledger refresh)
  await Promise.all([...a.rulebook.units.keys()].map((unit) => breakdown(unit, deps.locale)));
  // a unit's detail goes privately to each contact on every platform they have a user id on; the
  // group channel says so when any contact got it, whichever platform that was on
  const detailSent = new Set<string>();
  for (const platform of deps.platforms)
    for (const unit of a.rulebook.units.keys())
      if ((await recipients.contactMembers(platform, unit)).length > 0) detailSent.add(unit);
  const sends: SendJobData[] = [];
  for (const platform of deps.platforms) {
    const organisers = await recipients.channel(platform, ORGANISERS_SCOPE);
    if (organisers) {
      sends.push({
        key: monthCloseKey(rulebookId, month, `summary${suffix}`, channelRecipient(platform, ORGANISERS_SCOPE)),
        target: { kind: 'channel', platform, scope: ORGANISERS_SCOPE, channelId: organisers },
        message: covering(monthClosedSummaryMessage(deps.locale, { month, standings: standings.value }), deps.locale),
      });
    } else deps.logger.warn({ platform, month }, 'month close: no organisers channel bound');
    for (const unit of a.rulebook.units.keys()) {
      const contacts = await recipients.contactMembers(platform, unit);
      for (const c of contacts) {
        const b = await breakdown(unit, c.locale);
        if (!b.ok) throw new Error(`month close ${month}: breakdown of ${unit} refused: ${b.error.message}`);
        sends.push({
          key: monthCloseKey(rulebookId, month, `unit-detail${suffix}`, userRecipient(platform, c.userId)),
          target: { kind: 'private', platform, userId: c.userId },
          message: covering(unitBreakdownMessage(c.locale, b.value, { month }), c.locale),
        });
      }
      const channelId = await recipients.channel(platform, unit);
      const published = channelId
        ? monthPublishedMessage(deps.locale, {
            month,
            unit,
            standings: standings.value,
            policy: deps.publish,
            detailSentPrivately: detailSent.has(unit),
          })
        : null;
      if (channelId && published) {
        sends.push({
          key: monthCloseKey(rulebookId, month, `published${suffix}`, channelRecipient(platform, unit)),
          target: { kind: 'channel', platform, scope: unit, channelId },
          message: covering(published, deps.locale),
        });
      }
    }
  }
  return sends;
}

/** A month's notice that also covers months closed silently while catching up. */
function withCatchUp(m: Message, months: readonly string[], locale: Locale): Message {
  const note = context(
    t(locale, 'worker.month.catchUp', { months: months.join(t(locale, 'msg.common.listSeparator')) }),
  );
  return message([m.blocks[0] ?? null, note, ...m.blocks.slice(1)], { text: m.text });
}

export function createMonthCloseProcessor(deps: Deps) {
  return async function processMonthClose(job: Pick<Job, 'name' | 'id' | 'data'>): Promise<MonthCloseResult> {
    const t0 = Date.now();
    const data = parseJobData(monthCloseDataSchema, job);
    const a = assessmentFor(deps, data.rulebookId, data.year);
    const { rulebookId, month } = data;
    if (!month.startsWith(`${a.year}-`)) throw new Error(`month ${month} is not in ${a.year}`);

    let closedNow = false;
    const silentKey = monthCloseKey(rulebookId, month, 'silent', 'system');
    if (
      (data.silent || beforeGoLive(deps.startDate, monthEnd(month))) &&
      (await deps.months.monthState(rulebookId, month)) !== 'closed'
    )
      // Recorded before the close, so the month.closed event it raises publishes nothing either.
      await recordSilentClose(deps, silentKey);
    if ((await deps.months.monthState(rulebookId, month)) !== 'closed') {
      // The event came from a close that was undone since, or the office reopened a published month:
      // it is theirs to close again.
      if (data.cause === 'event' || (await deps.snapshots.has(rulebookId, a.year, monthLabel(month))))
        return { skipped: 'reopened' };
      if (!monthCloseDue(a.rulebook.calendar, month, deps.clock.now(), deps.settings)) return { skipped: 'not-due' };
      const r = await a.months.setState(workerActor(deps.locale), { month, state: 'closed' });
      if (!r.ok && r.error.code !== 'MONTH.ALREADY_IN_STATE')
        throw new Error(`closing ${month}: ${r.error.code}: ${r.error.message}`);
      closedNow = r.ok;
    }

    const round = await closeRound(deps, rulebookId, month);
    const asOf = monthEnd(month);
    const version = await deps.store.ledgerVersion(rulebookId, a.year); // before computing
    const standings = await standingsAsOf(a, asOf);
    const snapshotRows = await deps.snapshots.write({
      rulebookId,
      year: a.year,
      label: monthLabel(month),
      asOf,
      version,
      standings,
    });
    // Catching up, an earlier month closes silently: a later month's notice covers it. The first
    // round of a month closed silently stays silent, whichever job (schedule or event) runs it.
    const silent =
      data.silent === true ||
      (round === 1 && beforeGoLive(deps.startDate, asOf)) ||
      (round === 1 && (await deps.ledger.settledAmong([silentKey])).size > 0);
    const sends = silent ? [] : await monthCloseSends(deps, a, month, round, data.catchUp ?? []);
    const enqueued = await enqueueUnsettled(deps.queues, deps.ledger, sends);
    const result = {
      month,
      closedNow,
      round,
      asOf,
      version: String(version),
      snapshotRows,
      sends: enqueued,
      ms: Date.now() - t0,
    };
    deps.logger.info(
      { job: job.id, cause: data.cause, silent, ...result },
      silent ? 'month closed silently (catching up)' : 'month closed and published',
    );
    return result;
  };
}
