import { z } from 'zod';
import { parseIsoDate } from '../../rules/dates.ts';
import { t } from '../../core/i18n/t.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import { context, message, paragraph } from '../../core/messages/message.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { publicationMessage } from '../../core/messages/publication.ts';
import { publishedStandingsMessage, standingsMessage } from './standings-message.ts';
import { guarded, localeOf } from './standings-format.ts';
import { assessmentOfYear } from './assessment-year.ts';

// /standings [YYYY-MM-DD] — organisers and inspectors: every group ranked as of today (or the
// given day, in that day's assessment year), the quota line, advanced units, ties at the cut, and
// the overdue list. Unit contacts: the latest published month of that year (advanced units and
// their own result).
// /standings YYYY-MM|YYYY [vN] — anyone known: what was published for a month or the year, the
// latest version or version N (unit contacts: the advanced units and their own result only).

const argsSchema = z.object({
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((d) => parseIsoDate(d) !== null)
    .optional(),
});

export async function handleStandings(deps: BotDeps, ix: Interaction, rawText: string): Promise<void> {
  await guarded(deps, ix, 'standings', async () => {
    const locale = localeOf(ix);
    if (!ix.actor.ok) return ix.replyPrivately(errorMessage(locale, ix.actor.error));
    const words = rawText.trim().split(/\s+/).filter(Boolean);
    const period = periodArgs(words);
    if (period) return publishedPeriod(deps, ix, period);
    const parsed = argsSchema.safeParse(words.length === 0 ? {} : { asOf: words[0] });
    if (!parsed.success || words.length > 1) {
      return ix.replyPrivately(
        message([
          paragraph(t(locale, 'bot.standings.usage.bad', { value: rawText.trim() })),
          context(t(locale, 'bot.standings.usage')),
        ]),
      );
    }
    // the day's assessment year (core/assessment-years.ts), or today's; a year without a rulebook is refused
    const of = assessmentOfYear(deps, parsed.data);
    if (!of.ok)
      return ix.replyPrivately(
        message([paragraph(of.error.userMessage(locale)), context(t(locale, 'bot.standings.usage'))]),
      );
    const a = of.value;
    if (ix.actor.value.role === 'unit_contact') {
      // Unit contacts see only what the office published (lifecycle.md), never live group standings.
      const published = await a.queries.publishedStandings(ix.actor.value);
      if (!published.ok) return ix.replyPrivately(errorMessage(locale, published.error));
      return ix.replyPrivately(publishedStandingsMessage(locale, published.value));
    }
    const r = await a.queries.groupStandings(ix.actor.value, parsed.data.asOf ? { asOf: parsed.data.asOf } : {});
    if (!r.ok) {
      if (r.error.code === 'AUTH.FORBIDDEN') {
        return ix.replyPrivately(
          message([
            paragraph(t(locale, 'bot.standings.forbidden')),
            context(t(locale, 'msg.error.code', { code: r.error.code })),
          ]),
        );
      }
      return ix.replyPrivately(errorMessage(locale, r.error));
    }
    await ix.replyPrivately(standingsMessage(locale, r.value));
  });
}

const periodArgsSchema = z.tuple([
  z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/),
  z
    .string()
    .regex(/^[vV]\d{1,4}$/)
    .transform((v) => Number(v.slice(1)))
    .optional(),
]);

/** `2017-10`, `2017-10 v1`, `2017`, `2017 v2` → the period and version; null for anything else. */
function periodArgs(words: readonly string[]): { period: string; version?: number } | null {
  const r = periodArgsSchema.safeParse(words.length === 1 ? [words[0]] : words);
  if (!r.success) return null;
  const [period, version] = r.data;
  return version === undefined ? { period } : { period, version };
}

async function publishedPeriod(
  deps: BotDeps,
  ix: Interaction,
  cmd: { period: string; version?: number },
): Promise<void> {
  if (!ix.actor.ok) return ix.replyPrivately(errorMessage(localeOf(ix), ix.actor.error));
  const actor = ix.actor.value;
  const locale = actor.locale;
  const r = await deps.months.publishedSnapshot(actor, cmd);
  if (!r.ok) return ix.replyPrivately(errorMessage(locale, r.error));
  if (!r.value) {
    const line =
      cmd.version === undefined
        ? t(locale, 'bot.standings.notPublished', { period: cmd.period })
        : t(locale, 'bot.standings.versionNotPublished', { period: cmd.period, version: cmd.version });
    return ix.replyPrivately(message([paragraph(line)], { text: line }));
  }
  const contact = actor.role === 'unit_contact';
  await ix.replyPrivately(
    publicationMessage(locale, deps.forYear(Number(cmd.period.slice(0, 4)))?.rulebook ?? deps.rulebook, r.value, {
      ranks: !contact,
      ...(contact && actor.unit ? { unit: actor.unit } : {}),
    }),
  );
}
