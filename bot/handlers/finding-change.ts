import type { BotDeps, Interaction } from '../interaction.ts';
import type { FindingChangeParse } from '../parsing/finding-change-text.ts';
import { handleDeadlineCommand } from './deadline.ts';
import { changeParseErrorMessage, changerOrRefuse } from './finding-change-reply.ts';
import { handleWithdrawCommand } from './withdraw.ts';

// `/finding withdraw …` and `/finding deadline …`, routed here by handleFindingCommand. People who
// may not make the change are refused before being told how to type it.
export async function handleFindingChangeCommand(
  deps: BotDeps,
  ix: Interaction,
  parsed: FindingChangeParse,
): Promise<void> {
  if (!parsed.ok) {
    const actor = await changerOrRefuse(
      ix,
      parsed.issue.kind === 'withdraw' ? 'finding.withdraw' : 'finding.change_deadline',
    );
    if (!actor) return;
    return ix.replyPrivately(changeParseErrorMessage(actor.locale, parsed.issue));
  }
  const cmd = parsed.command;
  switch (cmd.kind) {
    case 'withdraw':
      return handleWithdrawCommand(deps, ix, cmd);
    case 'deadline':
      return handleDeadlineCommand(deps, ix, cmd);
  }
}
