import type { Actor } from '../../core/assessment-api.ts';
import type { AppError } from '../../core/errors.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t, type MessageKey } from '../../core/i18n/t.ts';
import { tInline } from '../../core/messages/format.ts';
import { context, header, list, mention, message, paragraph, type Message } from '../../core/messages/message.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { parseAdminText, type AdminCommand, type AdminIssue } from '../parsing/admin-text.ts';
import { tokenize } from '../parsing/command-tokens.ts';
import { isMonthCommand } from '../parsing/month-text.ts';
import { handleMonthCommand, monthUsageLines } from './months.ts';
import { isReportCommand } from '../parsing/report-text.ts';
import { handleReportCommand, reportUsageLines } from './reports.ts';

// /kaoping: organisers register members and bind channels; anyone registered sets their language.
// Core checks who may do what; this only parses, calls and answers privately.

const USAGES = ['member_add', 'member_link', 'member_remove', 'channel', 'lang'] as const;

export function adminHelpMessage(locale: Locale): Message {
  return message([
    header(t(locale, 'bot.admin.help.header')),
    list([
      ...USAGES.map((u) => t(locale, `bot.admin.usage.${u}`)),
      ...monthUsageLines(locale),
      ...reportUsageLines(locale),
    ]),
    context(t(locale, 'bot.admin.help.roles')),
    context(t(locale, 'bot.admin.help.organisersOnly')),
  ]);
}

export function adminParseErrorMessage(locale: Locale, issue: AdminIssue): Message {
  const problem = t(locale, `bot.admin.problem.${issue.problem}` as MessageKey, { value: issue.value });
  const usages = issue.usage === 'all' ? USAGES : [issue.usage];
  return message(
    [
      paragraph(t(locale, 'bot.admin.parse.header')),
      paragraph(problem),
      context(t(locale, 'bot.admin.usage.header')),
      list(usages.map((u) => t(locale, `bot.admin.usage.${u}`))),
    ],
    { text: `${t(locale, 'bot.admin.parse.header')} ${problem}` },
  );
}

const PLATFORM_KEYS = ['slack', 'dingtalk', 'console'] as const;
const platformKey = (platform: string): (typeof PLATFORM_KEYS)[number] | 'other' =>
  (PLATFORM_KEYS as readonly string[]).includes(platform) ? (platform as (typeof PLATFORM_KEYS)[number]) : 'other';

export async function handleAdminCommand(deps: BotDeps, ix: Interaction, text: string): Promise<void> {
  // /kaoping month|year …: the month review cycle (handlers/months.ts)
  if (isMonthCommand(tokenize(text)[0]?.norm)) return handleMonthCommand(deps, ix, text);
  // /kaoping export|report|import …: files the office hands on (handlers/reports.ts)
  if (isReportCommand(tokenize(text)[0]?.norm)) return handleReportCommand(deps, ix, text);
  const parsed = parseAdminText(text);
  const locale = ix.actor.ok ? ix.actor.value.locale : ix.locale;
  if (!parsed.ok) return ix.replyPrivately(adminParseErrorMessage(locale, parsed.issue));
  if (parsed.command.kind === 'help') return ix.replyPrivately(adminHelpMessage(locale));
  if (!ix.actor.ok) return ix.replyPrivately(errorMessage(locale, ix.actor.error));
  const reply = await runAdminCommand(deps, ix, ix.actor.value, parsed.command);
  await ix.replyPrivately(reply);
}

async function runAdminCommand(
  deps: BotDeps,
  ix: Interaction,
  actor: Actor,
  cmd: Exclude<AdminCommand, { kind: 'help' }>,
): Promise<Message> {
  const { membership } = deps;
  const locale = actor.locale;
  const refused = (e: AppError) => errorMessage(locale, e);
  switch (cmd.kind) {
    case 'member_add': {
      const r = await membership.addMember(actor, {
        platform: ix.platform,
        externalId: cmd.userId,
        role: cmd.role,
        ...(cmd.unit !== undefined ? { unit: cmd.unit } : {}),
        ...(cmd.displayName !== undefined ? { displayName: cmd.displayName } : {}),
      });
      if (!r.ok) return refused(r.error);
      const who = mention(cmd.userId);
      if (cmd.role === 'unit_contact') {
        const unit = deps.rulebook.resolveUnit(cmd.unit ?? '') ?? cmd.unit ?? '';
        return message([paragraph(...tInline(locale, 'bot.admin.memberAddedContact', { who, unit }))]);
      }
      return message([
        paragraph(...tInline(locale, 'bot.admin.memberAdded', { who, role: t(locale, `domain.role.${cmd.role}`) })),
      ]);
    }
    case 'member_link': {
      const r = await membership.linkIdentity(actor, {
        member: { platform: ix.platform, externalId: cmd.userId },
        identity: cmd.identity,
      });
      if (!r.ok) return refused(r.error);
      const { member, replaced, changed } = r.value;
      const params = {
        who: mention(cmd.userId),
        platform: t(locale, `bot.admin.platform.${platformKey(cmd.identity.platform)}`),
        id: cmd.identity.externalId,
      };
      if (!changed) return message([paragraph(...tInline(locale, 'bot.admin.memberAlreadyLinked', params))]);
      const role =
        member.role === 'unit_contact'
          ? t(locale, 'bot.admin.roleOfUnit', { role: t(locale, 'domain.role.unit_contact'), unit: member.unit ?? '' })
          : t(locale, `domain.role.${member.role}`);
      return message([
        paragraph(...tInline(locale, 'bot.admin.memberLinked', { ...params, role })),
        ...(replaced
          ? [
              context(
                t(locale, 'bot.admin.identityReplaced', {
                  platform: t(locale, `bot.admin.platform.${platformKey(replaced.platform)}`),
                  id: replaced.externalId,
                }),
              ),
            ]
          : []),
      ]);
    }
    case 'member_remove': {
      const r = await membership.removeMember(actor, { platform: ix.platform, externalId: cmd.userId });
      if (!r.ok) return refused(r.error);
      return message([paragraph(...tInline(locale, 'bot.admin.memberRemoved', { who: mention(cmd.userId) }))]);
    }
    case 'channel': {
      const r = await membership.bindChannel(actor, {
        platform: ix.platform,
        scope: cmd.scope,
        channelId: cmd.channelId,
      });
      if (!r.ok) return refused(r.error);
      const channel = `#${cmd.channelName ?? cmd.channelId}`;
      const done =
        r.value.scope === 'organisers'
          ? t(locale, 'bot.admin.channelBoundOrganisers', { channel })
          : t(locale, 'bot.admin.channelBound', { scope: r.value.scope, channel });
      return message([paragraph(done), context(t(locale, 'bot.admin.channelInvite'))]);
    }
    case 'lang': {
      const r = await membership.setLocale(actor, cmd.locale);
      if (!r.ok) return refused(r.error);
      return message([paragraph(t(cmd.locale, 'bot.admin.langSet'))]);
    }
  }
}
