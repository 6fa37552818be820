import type { Actor, FindingView } from '../../core/assessment-api.ts';
import { t } from '../../core/i18n/t.ts';
import { deadlineChangedMessage } from '../../core/messages/findings.ts';
import { deadlineText, tInline } from '../../core/messages/format.ts';
import { mention, message, paragraph } from '../../core/messages/message.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { changeRefusedMessage, changerOrRefuse, tellUnit, unitToldBlock } from './finding-change-reply.ts';
import { updateNotice } from './rectification.ts';
import { bestEffort, findingOptions, guarded, seqLabel } from './standings-format.ts';

// Changing a finding's rectification deadline in chat (inspectors and organisers, with a reason):
//   /finding deadline #123 2017-10-20 理由   → service.changeDeadline
// Then: the unit's notice re-rendered with the new deadline and a status line,
// deadlineChangedMessage (from → to, reason) to the unit's channel, a private confirmation. The
// worker moves the reminders from the ledger event; the core writes the audit log.
//
// Asking for the deadline the finding already has (a Slack retry of the same command, or simply
// the same date) changes nothing and says so: no second audit row, no second message to the unit.

export async function handleDeadlineCommand(
  deps: BotDeps,
  ix: Interaction,
  cmd: { ref: string; deadline: string; reason: string },
): Promise<void> {
  await guarded(deps, ix, 'finding.change_deadline', async () => {
    const actor = await changerOrRefuse(ix, 'finding.change_deadline');
    if (!actor) return;
    const locale = actor.locale;
    const before = await deps.queries.getFinding(actor, cmd.ref);
    if (!before.ok) return ix.replyPrivately(changeRefusedMessage(locale, 'deadline', before.error));
    const b = before.value;
    if (b.deadline === cmd.deadline && (b.status === 'filed' || b.status === 'submitted')) {
      return ix.replyPrivately(
        message([paragraph(t(locale, 'bot.deadline.same', { seq: seqLabel(b.seq), deadline: cmd.deadline }))]),
      );
    }
    const r = await deps.findings.changeDeadline(actor, {
      findingId: b.id,
      deadline: cmd.deadline,
      reason: cmd.reason,
    });
    if (!r.ok) return ix.replyPrivately(changeRefusedMessage(locale, 'deadline', r.error));
    await afterDeadlineChange(deps, ix, actor, { from: b.deadline ?? '', f: r.value, reason: cmd.reason.trim() });
  });
}

async function afterDeadlineChange(
  deps: BotDeps,
  ix: Interaction,
  actor: Actor,
  c: { from: string; f: FindingView; reason: string },
): Promise<void> {
  const { f, from, reason } = c;
  const who = mention(ix.userId);
  const date = deps.today();
  await updateNotice(deps, actor, ix.messenger, ix.platform, f, (loc) =>
    tInline(loc, 'bot.deadline.notice', { who, date, deadline: f.deadline ?? '', reason }),
  );
  const told = await tellUnit(deps, ix, actor, f, (loc) =>
    deadlineChangedMessage(loc, f, { ...findingOptions(deps.rulebook, loc, f, ix.platform), from, reason }),
  );
  const locale = actor.locale;
  await bestEffort(deps, 'finding.change_deadline.confirm', () =>
    ix.replyPrivately(
      message([
        paragraph(
          t(locale, 'bot.deadline.done', { unit: f.unit, seq: seqLabel(f.seq), from, to: deadlineText(locale, f) }),
        ),
        unitToldBlock(locale, f.unit, told),
      ]),
    ),
  );
}
