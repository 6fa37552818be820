import type { Actor } from '../../core/assessment-api.ts';
import { forbidden, may } from '../../core/authorization.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t, type MessageKey } from '../../core/i18n/t.ts';
import { context, list, message, paragraph, type Message } from '../../core/messages/message.ts';
import { periodDraftMessage } from '../../core/messages/publication.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { parseMonthText, type MonthAction, type MonthCommand } from '../parsing/month-text.ts';
import { guarded } from './standings-format.ts';

// /kaoping month|year draft|close|tiebreak|publish|reopen — the organisers' month review cycle
// (lifecycle.md "Months: close → draft → publish") on every platform that routes /kaoping here
// (Slack, the console, DingTalk). Core decides who may and audits; here: the refusal for the
// wrong role before any usage line, then the answer privately. The 通报 itself is the worker's.

const ACTIONS: readonly MonthAction[] = ['draft', 'close', 'tiebreak', 'publish', 'reopen'];

export function monthUsageLines(locale: Locale, actions: readonly MonthAction[] = ACTIONS): string[] {
  return actions.map((a) => t(locale, `bot.month.usage.${a}`));
}

export async function handleMonthCommand(deps: BotDeps, ix: Interaction, text: string): Promise<void> {
  await guarded(deps, ix, 'month', async () => {
    if (!ix.actor.ok) return ix.replyPrivately(errorMessage(ix.locale, ix.actor.error));
    const actor = ix.actor.value;
    const locale = actor.locale;
    if (!may(actor, 'month.manage')) return ix.replyPrivately(errorMessage(locale, forbidden(actor, 'month.manage')));
    const parsed = parseMonthText(text);
    if (!parsed.ok) {
      const { problem, value, usage } = parsed.issue;
      const head = t(locale, 'bot.month.parse');
      const why = t(locale, `bot.month.problem.${problem}` as MessageKey, { value });
      return ix.replyPrivately(
        message(
          [
            paragraph(head),
            paragraph(why),
            context(t(locale, 'bot.month.usage.header')),
            list(monthUsageLines(locale, usage === 'all' ? ACTIONS : [usage])),
          ],
          { text: `${head} ${why}` },
        ),
      );
    }
    await ix.replyPrivately(await run(deps, actor, parsed.command));
  });
}

/** The Publish button on an organisers' draft (value: the period): the same as /kaoping month publish. */
export async function handlePublishButton(deps: BotDeps, ix: Interaction, period: string): Promise<void> {
  await guarded(deps, ix, 'month.publish_button', async () => {
    if (!ix.actor.ok) return ix.replyPrivately(errorMessage(ix.locale, ix.actor.error));
    const actor = ix.actor.value;
    if (!may(actor, 'month.manage'))
      return ix.replyPrivately(errorMessage(actor.locale, forbidden(actor, 'month.manage')));
    await ix.replyPrivately(await run(deps, actor, { kind: 'publish', period }));
  });
}

async function run(deps: BotDeps, actor: Actor, cmd: MonthCommand): Promise<Message> {
  const locale = actor.locale;
  const done = (line: string, next?: string) =>
    message([paragraph(line), ...(next ? [context(next)] : [])], { text: line });
  switch (cmd.kind) {
    case 'draft': {
      const r = await deps.months.draft(actor, { period: cmd.period });
      return r.ok ? periodDraftMessage(locale, deps.rulebook, r.value) : errorMessage(locale, r.error);
    }
    case 'close': {
      const r = await deps.months.setState(actor, { month: cmd.period, state: 'closed' });
      if (!r.ok) return errorMessage(locale, r.error);
      return done(
        t(locale, 'bot.month.closed', { month: cmd.period }),
        t(locale, 'bot.month.next.draft', { period: cmd.period }),
      );
    }
    case 'tiebreak': {
      const r = await deps.months.tieBreak(actor, {
        period: cmd.period,
        group: cmd.group,
        choice: cmd.choice,
        reason: cmd.reason,
      });
      if (!r.ok) return errorMessage(locale, r.error);
      const sep = t(locale, 'msg.common.listSeparator');
      const g = deps.rulebook.data.groups.find((x) => x.id === r.value.group)!;
      return done(
        t(locale, 'bot.month.tieBroken', {
          period: r.value.period,
          group: g.name[locale],
          count: r.value.tied.length,
          remaining: r.value.remaining,
          units: r.value.advanced.join(sep),
          reason: r.value.reason,
        }),
        t(locale, 'bot.month.next.publish', { period: r.value.period }),
      );
    }
    case 'publish': {
      const r = await deps.months.publish(actor, { period: cmd.period });
      if (!r.ok) return errorMessage(locale, r.error);
      const p = r.value.publication;
      return done(
        p.version > 1
          ? t(locale, 'bot.month.republished', {
              period: p.period,
              version: p.version,
              count: p.changes.length,
              reason: p.reason ?? '',
            })
          : t(locale, 'bot.month.published', { period: p.period }),
        t(locale, 'bot.month.next.retrieve', { period: p.period, version: p.version }),
      );
    }
    case 'reopen': {
      const r = await deps.months.reopen(actor, { period: cmd.period, ...(cmd.reason ? { reason: cmd.reason } : {}) });
      if (!r.ok) return errorMessage(locale, r.error);
      const v = r.value;
      return done(
        v.reopenedVersion !== null
          ? t(locale, 'bot.month.reopenedPublished', {
              period: v.period,
              version: v.reopenedVersion,
              reason: cmd.reason,
            })
          : t(locale, 'bot.month.reopened', { period: v.period }),
        v.monthReopened
          ? t(locale, 'bot.month.next.close', { period: v.period })
          : t(locale, 'bot.month.next.publish', { period: v.period }),
      );
    }
  }
}
