import type { Actor } from '../../core/assessment-api.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import {
  actions,
  context,
  divider,
  header,
  message,
  paragraph,
  type Block,
  type Message,
} from '../../core/messages/message.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import {
  disqualificationBlocks,
  openItemBlocks,
  scoreSummaryBlocks,
  submitButtons,
  whyButton,
} from './myscore-message.ts';
import { groupBlocks, overdueBlocks, viewUnitButtons } from './standings-message.ts';
import { localeOf } from './standings-format.ts';

// App Home (Slack's Home tab; the console's /home): what this person needs at a glance.
//   unit contact → their unit's standing and open items, with submit buttons;
//   organiser / inspector → every group's standings and the overdue list;
//   anyone else → how to get access.

const HOME_OPEN_ITEMS = 10;
const HOME_OVERDUE_ITEMS = 15;

function roleLine(locale: Locale, actor: Actor): string {
  return t(locale, 'bot.home.you', { role: t(locale, `domain.role.${actor.role}`), unit: actor.unit ?? '' }).trim();
}

export function unknownHome(locale: Locale, platform: string, userId: string): Message {
  return message([
    header(t(locale, 'bot.home.unknown.header')),
    paragraph(t(locale, 'bot.home.unknown.body')),
    context(t(locale, 'bot.home.unknown.id', { platform, userId })),
  ]);
}

/** The home page for whoever is asking. */
export async function buildHome(deps: BotDeps, ix: Interaction): Promise<Message> {
  const locale = localeOf(ix);
  if (!ix.actor.ok) return unknownHome(locale, ix.platform, ix.userId);
  const actor = ix.actor.value;
  if (actor.role === 'unit_contact') {
    const r = await deps.queries.unitBreakdown(actor, {});
    if (!r.ok) return errorMessage(locale, r.error);
    const b = r.value;
    return message(
      [
        header(t(locale, 'bot.home.unit.header', { unit: b.unit })),
        context(`${roleLine(locale, actor)} · ${t(locale, 'bot.home.asOf', { asOf: b.asOf })}`),
        ...scoreSummaryBlocks(deps.rulebook, locale, b),
        ...disqualificationBlocks(deps.rulebook, locale, b),
        divider(),
        ...openItemBlocks(locale, b, HOME_OPEN_ITEMS),
        actions(whyButton(locale, b)),
        ...submitButtons(locale, b).map((x) => actions(x)),
        divider(),
        context(t(locale, 'bot.home.help.unit')),
      ],
      { text: t(locale, 'bot.home.unit.header', { unit: b.unit }) },
    );
  }
  const r = await deps.queries.groupStandings(actor, {});
  if (!r.ok) return errorMessage(locale, r.error);
  const s = r.value;
  const blocks: Block[] = [
    header(t(locale, 'bot.home.staff.header', { year: s.year })),
    context(`${roleLine(locale, actor)} · ${t(locale, 'bot.home.asOf', { asOf: s.asOf })}`),
  ];
  for (const g of s.groups) blocks.push(divider(), ...groupBlocks(locale, g));
  blocks.push(divider(), ...overdueBlocks(locale, s, HOME_OVERDUE_ITEMS));
  blocks.push(...viewUnitButtons(locale, s));
  blocks.push(
    divider(),
    context(t(locale, actor.role === 'organiser' ? 'bot.home.help.organiser' : 'bot.home.help.inspector')),
  );
  return message(blocks, { text: t(locale, 'bot.home.staff.header', { year: s.year }) });
}

/** app_home_opened (Slack) or /home (console): build and publish. Failures are logged, not shown. */
export async function handleHomeOpened(deps: BotDeps, ix: Interaction): Promise<void> {
  try {
    await ix.messenger.publishHome(ix.userId, await buildHome(deps, ix));
  } catch (e) {
    deps.logger.error(
      {
        err: { message: (e as Error).message, code: (e as { code?: string }).code },
        user: ix.userId,
        platform: ix.platform,
      },
      'home not published',
    );
  }
}
