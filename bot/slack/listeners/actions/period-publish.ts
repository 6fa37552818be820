import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION } from '../../../../core/messages/actions.ts';
import { handlePublishButton } from '../../../handlers/months.ts';
import type { BotDeps } from '../../../interaction.ts';
import { answerAfterAck } from '../../slack-interaction.ts';

// "Publish" on the organisers' draft of a month or of the year: the button's value is the period;
// core decides who may (organisers) and refuses while a tie at the cut is open. The answer is private.
export function registerPeriodPublishButton(app: App, deps: BotDeps): void {
  app.action<BlockButtonAction>(ACTION.publishPeriod, async ({ ack, body, action, client, context, respond }) => {
    await ack();
    const input = {
      client,
      context,
      userId: body.user.id,
      channelId: body.channel?.id,
      respond,
      requestKey: `slack:${body.trigger_id}`,
    };
    await answerAfterAck(deps, input, ACTION.publishPeriod, (ix) => handlePublishButton(deps, ix, action.value ?? ''));
  });
}
