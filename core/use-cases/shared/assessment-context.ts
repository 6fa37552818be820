import type { LedgerEvent } from '../../assessment-api.ts';
import type { Locale } from '../../i18n/locale.ts';
import { LedgerCache } from '../../ledger-cache.ts';
import type { AssessmentStore } from '../../ports/assessment-store.port.ts';
import type { ClockPort } from '../../ports/clock.port.ts';
import type { LedgerEventsPort } from '../../ports/ledger-events.port.ts';
import { civilDate } from '../../../rules/dates.ts';
import type { Standings } from '../../../rules/engine/types.ts';
import type { Rulebook } from '../../../rules/rulebook.ts';

export interface AssessmentDeps {
  rulebook: Rulebook;
  store: AssessmentStore;
  clock: ClockPort;
  events?: LedgerEventsPort;
  /** Language for members without a preference (KAOPING_LOCALE); zh-CN when unset. */
  defaultLocale?: Locale;
  /** Called when publishing an event fails; the worker's reconcile pass repairs it later. */
  onEventError?: (e: unknown, event: LedgerEvent) => void;
}

/**
 * What every use case of one assessment year shares: the rulebook, the ports, the clock and the
 * ledger cache. One per process and rulebook, so all use cases read the same cache.
 */
export interface AssessmentContext {
  readonly rulebook: Rulebook;
  readonly rulebookId: string;
  readonly year: number;
  readonly store: AssessmentStore;
  readonly clock: ClockPort;
  readonly defaultLocale: Locale | undefined;
  /** Today's civil date in the rulebook's time zone. */
  today(): string;
  /** Standings of every assessed unit as of a day, from the incrementally refreshed ledger cache. */
  standings(day: string): Promise<Standings>;
  readonly ledger: LedgerCache;
  /**
   * Announces a committed change; never fails the change (the worker reconciles lost events).
   * True when the change was handed to the worker, false when there is no worker to tell or the
   * queue refused it (then whatever the worker would have done for this change alone is not coming).
   */
  publish(event: LedgerEvent): Promise<boolean>;
}

export function createAssessmentContext(deps: AssessmentDeps): AssessmentContext {
  const { rulebook, store, clock, events, onEventError } = deps;
  const year = rulebook.data.year;
  const ledger = new LedgerCache(rulebook, store, year);
  return {
    rulebook,
    rulebookId: rulebook.id,
    year,
    store,
    clock,
    defaultLocale: deps.defaultLocale,
    ledger,
    today: () => civilDate(clock.now(), rulebook.data.timeZone),
    standings: async (day) => {
      await ledger.refresh();
      return ledger.standings(day);
    },
    publish: async (event) => {
      if (!events) return false;
      try {
        await events.publish(event);
        return true;
      } catch (e) {
        // The change is committed; a lost event only delays recomputation until the worker reconciles.
        onEventError?.(e, event);
        return false;
      }
    },
  };
}
