// month/month-close: close a month (if the schedule says so), snapshot its standings as
// 'month:YYYY-MM', then (lifecycle.md "Months: close → draft → publish"):
//   - by default, send the organisers' channel the month's draft (periodDraftMessage) and nothing
//     else: the 通报 goes out when an organiser publishes (month-published.processor.ts);
//   - with auto-publish (KAOPING_AUTO_PUBLISH), publish the month at once as the system (ties at
//     the cut announced as ties) and send what the office publishes:
//   - the organisers' channel: the ranked summary of every group with the quota line and the
//     overdue list (monthClosedSummaryMessage);
//   - each unit's contacts, privately: the unit's own breakdown (unitBreakdownMessage), in the
//     contact's language;
//   - each unit's group channel: only what the publish policy allows (default: the names of the
//     advanced units and the unit's own result) — never another unit's breakdown.
// Exactly once: every message has a ledger row keyed by month, kind 'month-close', stage and
// recipient. A republication is a new round ('summary-2', … by publication version): the corrected
// results are news; so is each draft after a reopening ('draft-2', … by close round).
//
// cause 'schedule' (month-close-check): closes the month as the system ('system:worker' in the
// audit log) when its close moment has passed. cause 'event' (the office closed it): publishes.

import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { context, message, type Block, type Message } from '../../core/messages/message.ts';
import type { GroupStandings } from '../../core/assessment-api.ts';
import { monthClosedSummaryMessage, unitBreakdownMessage, type BreakdownText } from '../../core/messages/standings.ts';
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
import type { PublicationRecord } from '../../core/ports/publications.port.ts';
import { periodDraftMessage, publicationNoteBlocks } from '../../core/messages/publication.ts';
import { announcedBreakdown, announcedStandings, type AnnouncedStandings } from '../published-standings.ts';

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
  | 'autoPublish'
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

/**
 * Every message of a month's 通报, for every platform, from its publication (the ranked summary,
 * the overdue list and each unit's detail as frozen when published, the advanced units as the
 * office announced them, a republication's changes); `round` is the publication's version;
 * `catchUp` names the months closed silently with it.
 */
export async function monthCloseSends(
  deps: Omit<Deps, 'autoPublish'>,
  a: Assessment,
  month: string,
  round: number,
  catchUp: readonly string[] = [],
  publication: PublicationRecord | null = null,
): Promise<SendJobData[]> {
  const asOf = monthEnd(month);
  const rulebookId = a.rulebook.id;
  const suffix = round > 1 ? `-${round}` : '';
  // a published month's 通报 says what its version froze; the standings as of the month's last
  // day only for a publication stored before its detail was frozen
  const frozen = publication ? announcedStandings(a.rulebook, deps.locale, publication) : null;
  let standings: AnnouncedStandings;
  if (frozen) standings = frozen;
  else {
    const live = await a.queries.groupStandings(workerActor(deps.locale), { asOf });
    if (!live.ok) throw new Error(`month close ${month}: standings refused: ${live.error.message}`);
    standings = publication ? asAnnounced(live.value, publication) : live.value;
  }
  const breakdowns = new Map<string, Promise<BreakdownText>>();
  const breakdown = (unit: string, locale: Locale): Promise<BreakdownText> => {
    const published = publication && announcedBreakdown(a.rulebook, locale, publication, unit);
    if (published) return Promise.resolve(published);
    const k = `${unit}\u0000${locale}`;
    let p = breakdowns.get(k);
    if (!p) {
      p = a.queries.unitBreakdown(workerActor(locale), { unit, asOf }).then((b) => {
        if (!b.ok) throw new Error(`month close ${month}: breakdown of ${unit} refused: ${b.error.message}`);
        return b.value;
      });
      breakdowns.set(k, p);
    }
    return p;
  };

  const covering = (m: Message, locale: Locale) => {
    const noted = publication ? withNotes(m, publicationNoteBlocks(locale, a.rulebook, publication)) : m;
    return catchUp.length > 0 ? withCatchUp(noted, catchUp, locale) : noted;
  };
  const recipients = new Recipients(deps, a);
  // the live breakdowns in the channel language, all at once (they share one ledger refresh)
  if (!frozen) await Promise.all([...a.rulebook.units.keys()].map((unit) => breakdown(unit, deps.locale)));
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
        message: covering(monthClosedSummaryMessage(deps.locale, { month, standings }), deps.locale),
      });
    } else deps.logger.warn({ platform, month }, 'month close: no organisers channel bound');
    for (const unit of a.rulebook.units.keys()) {
      const contacts = await recipients.contactMembers(platform, unit);
      for (const c of contacts) {
        const b = await breakdown(unit, c.locale);
        sends.push({
          key: monthCloseKey(rulebookId, month, `unit-detail${suffix}`, userRecipient(platform, c.userId)),
          target: { kind: 'private', platform, userId: c.userId },
          message: covering(unitBreakdownMessage(c.locale, b, { month }), c.locale),
        });
      }
      const channelId = await recipients.channel(platform, unit);
      const published = channelId
        ? monthPublishedMessage(deps.locale, {
            month,
            unit,
            standings,
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

/** The live standings with the advanced units and ties as the publication announced them. */
function asAnnounced(s: GroupStandings, p: PublicationRecord): GroupStandings {
  const advanced = new Set(p.content.units.filter((u) => u.advanced).map((u) => u.unit));
  return {
    ...s,
    groups: s.groups.map((g) => {
      const pg = p.content.groups.find((x) => x.group === g.group);
      // a tie the office resolved is its decision; one still open is announced as a tie
      const open = pg ? pg.tied.length > 0 && !pg.tieBreak : g.tiedAtCut;
      return {
        ...g,
        tiedAtCut: open,
        units: g.units.map((u) => ({ ...u, advanced: open ? u.advanced : advanced.has(u.unit) })),
      };
    }),
  };
}

/** Notes inserted after a message's header. */
function withNotes(m: Message, notes: Block[]): Message {
  if (notes.length === 0) return m;
  return message([m.blocks[0] ?? null, ...notes, ...m.blocks.slice(1)], { text: m.text });
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
    let sends: SendJobData[] = [];
    if (deps.autoPublish || (silent && beforeGoLive(deps.startDate, asOf))) {
      // published at close; months before go-live are history, published silently in either mode
      const publication = await publishAtClose(a, month, deps.locale);
      if (!silent) sends = await monthCloseSends(deps, a, month, publication.version, data.catchUp ?? [], publication);
    } else if (!silent) sends = await draftSends(deps, a, month, round, data.catchUp ?? []);
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
      silent
        ? 'month closed silently (catching up)'
        : deps.autoPublish
          ? 'month closed and published'
          : 'month closed; draft sent to the organisers',
    );
    return result;
  };
}

/** The system publishes the month (ties announced as ties); a retry finds it published already. */
async function publishAtClose(a: Assessment, month: string, locale: Locale): Promise<PublicationRecord> {
  const actor = workerActor(locale);
  const r = await a.months.publish(actor, { period: month, announceTies: true });
  if (r.ok) return r.value.publication;
  if (r.error.code !== 'PERIOD.ALREADY_PUBLISHED')
    throw new Error(`publishing ${month}: ${r.error.code}: ${r.error.message}`);
  const latest = await a.months.publishedSnapshot(actor, { period: month });
  if (!latest.ok || !latest.value) throw new Error(`publishing ${month}: published but not found`);
  return latest.value;
}

/** The month's draft to the organisers' channel on every platform (round: the close's). */
async function draftSends(
  deps: Deps,
  a: Assessment,
  month: string,
  round: number,
  catchUp: readonly string[],
): Promise<SendJobData[]> {
  const draft = await a.months.draft(workerActor(deps.locale), { period: month });
  if (!draft.ok) throw new Error(`month close ${month}: draft refused: ${draft.error.message}`);
  const recipients = new Recipients(deps, a);
  const suffix = round > 1 ? `-${round}` : '';
  const sends: SendJobData[] = [];
  for (const platform of deps.platforms) {
    const organisers = await recipients.channel(platform, ORGANISERS_SCOPE);
    if (!organisers) {
      deps.logger.warn({ platform, month }, 'month close: no organisers channel bound for the draft');
      continue;
    }
    const m = periodDraftMessage(deps.locale, a.rulebook, draft.value);
    sends.push({
      key: monthCloseKey(a.rulebook.id, month, `draft${suffix}`, channelRecipient(platform, ORGANISERS_SCOPE)),
      target: { kind: 'channel', platform, scope: ORGANISERS_SCOPE, channelId: organisers },
      message: catchUp.length > 0 ? withCatchUp(m, catchUp, deps.locale) : m,
    });
  }
  return sends;
}
