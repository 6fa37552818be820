// A finding's points explained in words — the engine's reasons (inspection, repeat, threshold,
// supersession, withdrawal, disqualification) — shared by the bot's /myscore and the reports'
// findings sheet, so both say the same thing.
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import type { FindingReason, FindingResult } from '../../rules/engine/types.ts';
import { assertNever } from '../../rules/exhaustive.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import { formatNumber, sourceLabel } from './format.ts';

/** A disqualification's name in the reader's language (its id if the rulebook lacks it). */
export function disqualificationName(rb: Rulebook, locale: Locale, id: string): string {
  return rb.data.disqualifications.find((d) => d.id === id)?.name[locale] ?? id;
}

/** The engine's reasons for a finding's points, in words; finding ids shown as #seq. */
export function reasonTexts(
  rb: Rulebook,
  locale: Locale,
  r: Pick<FindingResult, 'reasons'>,
  seqOf: (id: string) => string,
): string[] {
  return r.reasons.map((reason: FindingReason) => {
    switch (reason.kind) {
      case 'inspection':
        return t(locale, 'domain.reason.inspection', {
          source: sourceLabel(locale, reason.source),
          factor: formatNumber(reason.factor),
        });
      case 'repeat':
        return t(locale, 'domain.reason.repeat', {
          count: reason.count,
          ids: reason.ids.map(seqOf).join(t(locale, 'msg.common.listSeparator')),
          factor: formatNumber(reason.factor),
        });
      case 'threshold':
        return t(locale, 'domain.reason.threshold', {
          value: formatNumber(reason.value),
          threshold: formatNumber(reason.threshold),
          shortfall: formatNumber(reason.shortfall),
        });
      case 'superseded':
        return t(locale, 'domain.reason.superseded', { by: seqOf(reason.by) });
      case 'withdrawn':
        return t(locale, 'domain.reason.withdrawn');
      case 'disqualifies':
        return t(locale, 'bot.standing.reason.disqualifies', {
          name: disqualificationName(rb, locale, reason.disqualification),
        });
      default:
        return assertNever(reason, 'finding reason');
    }
  });
}
