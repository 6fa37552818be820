import type { Actor, FindingView } from '../../core/assessment-api.ts';
import type { Action } from '../../core/authorization.ts';
import type { AppError } from '../../core/errors.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { t, type MessageKey } from '../../core/i18n/t.ts';
import { identityOn } from '../../core/messages/format.ts';
import {
  bold,
  context,
  message,
  paragraph,
  text as plain,
  type Block,
  type Message,
} from '../../core/messages/message.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import type { OfficeCommand, OfficeKind, OfficeParse } from '../parsing/office-text.ts';
import { changerOrRefuse, readableError, tellUnit } from './finding-change-reply.ts';
import { channelOf } from './recipients.ts';
import { updateNotice } from './rectification.ts';
import { bestEffort, guarded, seqLabel } from './standings-format.ts';

// The office's cycle around a filed finding, typed in /finding on every platform (Slack, the
// console, DingTalk): appeals (申诉 → 复核) and extension requests (延期). Core decides who may and
// writes the audit log and ledger events; here: the refusal for the wrong role before any usage
// line, then the outcome told to the unit's group chat, the organisers' channel, the filer
// privately (when on this platform), and the person who typed it.

const KINDS: readonly OfficeKind[] = ['appeal', 'rule', 'reopen', 'extend', 'extension'];
const ACTION: Record<OfficeKind, Action> = {
  appeal: 'appeal.file',
  rule: 'appeal.rule',
  reopen: 'appeal.rule',
  extend: 'extension.request',
  extension: 'extension.decide',
};

export function officeUsageBlocks(locale: Locale, kinds: readonly OfficeKind[] = KINDS): Block[] {
  return kinds.map((k) => context(t(locale, `bot.office.usage.${k}`)));
}

/** For /finding help: the commands and who may use them. */
export function officeHelpBlocks(locale: Locale, rb: Rulebook): Block[] {
  const s = rb.data.settings;
  return [
    paragraph(bold(t(locale, 'bot.office.help.header'))),
    ...officeUsageBlocks(locale),
    context(
      t(locale, 'bot.office.help.who', {
        appealDays: s.appeals.windowWorkingDays,
        extensionDays: s.extensions.maxWorkingDays,
      }),
    ),
  ];
}

export async function handleOfficeCommand(deps: BotDeps, ix: Interaction, parsed: OfficeParse): Promise<void> {
  const kind = parsed.ok ? parsed.command.kind : parsed.issue.kind;
  await guarded(deps, ix, ACTION[kind], async () => {
    const actor = await changerOrRefuse(ix, ACTION[kind]);
    if (!actor) return;
    const locale = actor.locale;
    if (!parsed.ok) {
      const head = t(locale, `bot.office.parse.${kind}`);
      const problem = t(locale, `bot.office.problem.${parsed.issue.problem}` as MessageKey, {
        value: parsed.issue.value,
      });
      return ix.replyPrivately(
        message([paragraph(head), paragraph(problem), ...officeUsageBlocks(locale, [kind])], {
          text: `${head} ${problem}`,
        }),
      );
    }
    const outcome = await run(deps, actor, parsed.command);
    if (!outcome.ok) {
      const refused = errorMessage(locale, readableError(locale, outcome.error));
      return ix.replyPrivately(
        message([...refused.blocks, ...officeUsageBlocks(locale, [kind])], { text: refused.text }),
      );
    }
    await announce(deps, ix, actor, outcome.finding, outcome.say);
  });
}

type Say = (locale: Locale) => string;
type Outcome = { ok: true; finding: FindingView; say: Say } | { ok: false; error: AppError };

async function run(deps: BotDeps, actor: Actor, cmd: OfficeCommand): Promise<Outcome> {
  const seqOf = (f: FindingView) => seqLabel(f.seq);
  switch (cmd.kind) {
    case 'appeal': {
      const r = await deps.appeals.file(actor, {
        findingId: cmd.ref,
        reasons: cmd.reasons,
        evidenceLinks: cmd.evidenceLinks,
      });
      if (!r.ok) return r;
      const f = r.value.finding;
      return {
        ok: true,
        finding: f,
        say: (loc) =>
          [
            t(loc, 'bot.office.appeal.filed', { unit: f.unit, seq: seqOf(f), clause: f.clause, reasons: cmd.reasons }),
            ...(cmd.evidenceLinks.length
              ? [t(loc, 'bot.office.appeal.links', { links: cmd.evidenceLinks.join(' ') })]
              : []),
          ].join('\n'),
      };
    }
    case 'rule': {
      const { ref, kind: _kind, ...ruling } = cmd;
      const r = await deps.appeals.rule(actor, { findingId: ref, ...ruling });
      if (!r.ok) return r;
      const f = r.value.finding;
      return {
        ok: true,
        finding: f,
        say: (loc) => t(loc, `bot.office.appeal.${cmd.outcome}`, { unit: f.unit, seq: seqOf(f), ruling: cmd.ruling }),
      };
    }
    case 'reopen': {
      const r = await deps.appeals.reopen(actor, { findingId: cmd.ref, reason: cmd.reason });
      if (!r.ok) return r;
      const f = r.value.finding;
      return {
        ok: true,
        finding: f,
        say: (loc) => t(loc, 'bot.office.appeal.reopened', { unit: f.unit, seq: seqOf(f), reason: cmd.reason }),
      };
    }
    case 'extend': {
      const r = await deps.extensions.request(actor, {
        findingId: cmd.ref,
        deadline: cmd.deadline,
        reason: cmd.reason,
      });
      if (!r.ok) return r;
      const e = r.value;
      return {
        ok: true,
        finding: e.finding,
        say: (loc) =>
          t(loc, 'bot.office.extension.requested', {
            unit: e.unit,
            seq: seqOf(e.finding),
            from: e.currentDeadline,
            to: e.requestedDeadline,
            reason: e.reason,
          }),
      };
    }
    case 'extension': {
      const { ref, kind: _kind, ...decision } = cmd;
      const r = await deps.extensions.decide(actor, { findingId: ref, ...decision });
      if (!r.ok) return r;
      const e = r.value;
      return {
        ok: true,
        finding: e.finding,
        say: (loc) =>
          e.state === 'approved'
            ? t(loc, 'bot.office.extension.approved', {
                unit: e.unit,
                seq: seqOf(e.finding),
                from: e.currentDeadline,
                to: e.approvedDeadline ?? '',
                reason: e.decisionReason ?? '',
              }).trim()
            : t(loc, 'bot.office.extension.refused', {
                unit: e.unit,
                seq: seqOf(e.finding),
                deadline: e.finding.deadline ?? '',
                reason: e.decisionReason ?? '',
              }),
      };
    }
  }
}

/** The unit's group chat, the organisers' channel, the filer privately, then the person who typed it. */
async function announce(deps: BotDeps, ix: Interaction, actor: Actor, f: FindingView, say: Say): Promise<void> {
  const text = (loc: Locale): Message => message([paragraph(say(loc))], { text: say(loc) });
  const told: string[] = [];
  const locale = actor.locale;
  const unit = await tellUnit(deps, ix, actor, f, text);
  if (unit.kind === 'posted') told.push(t(locale, 'bot.office.told.unit', { unit: f.unit }));
  // The unit's notice shows the finding as it is now: 待复核 while appealed, the new deadline, the ruling.
  await bestEffort(deps, 'office.notice', () =>
    updateNotice(deps, actor, ix.messenger, ix.platform, f, (loc) => [plain(say(loc))]),
  );
  const organisers = await channelOf(deps, actor, ix.platform, 'organisers');
  if (organisers) {
    const posted = await bestEffort(deps, 'office.organisers', () =>
      ix.messenger.postToChannel(organisers, text(deps.defaultLocale)),
    );
    if (posted) told.push(t(locale, 'bot.office.told.organisers'));
  }
  const filerId = identityOn(f.filedBy, ix.platform);
  if (filerId !== undefined && f.filedBy.memberId !== actor.memberId) {
    const posted = await bestEffort(deps, 'office.filer', () =>
      ix.messenger.postPrivate(filerId, text(deps.defaultLocale)),
    );
    if (posted) told.push(t(locale, 'bot.office.told.filer'));
  }
  const line = told.length ? t(locale, 'bot.office.told', { who: told.join('、') }) : t(locale, 'bot.office.told.none');
  await bestEffort(deps, 'office.confirm', () =>
    ix.replyPrivately(message([paragraph(say(locale)), context(line)], { text: say(locale) })),
  );
}
