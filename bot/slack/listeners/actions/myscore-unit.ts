import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION } from '../../../../core/messages/actions.ts';
import type { BotDeps } from '../../../interaction.ts';
import { handleUnitButton } from '../../../handlers/myscore.ts';
import { MYSCORE_CHART_ACTION, MYSCORE_WHY_ACTION } from '../../../handlers/myscore-message.ts';
import { answerAfterAck } from '../../slack-interaction.ts';

// "View unit" (overdue alerts, standings, home) and "why these deductions" (/myscore, home):
// the button's value is the unit's canonical name; the answer is private.
export function registerMyScoreUnitActions(app: App, deps: BotDeps): void {
  for (const [actionId, why, chart] of [
    [ACTION.viewUnit, false, false],
    [MYSCORE_WHY_ACTION, true, false],
    [MYSCORE_CHART_ACTION, false, true],
  ] as const) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, context, respond }) => {
      await ack();
      const input = {
        client,
        context,
        userId: body.user.id,
        channelId: body.channel?.id,
        respond,
        requestKey: `slack:${body.trigger_id}`,
      };
      await answerAfterAck(deps, input, actionId, (ix) => handleUnitButton(deps, ix, action.value ?? '', why, chart));
    });
  }
}
