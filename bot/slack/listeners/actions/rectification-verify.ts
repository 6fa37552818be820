import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION } from '../../../../core/messages/actions.ts';
import type { BotDeps } from '../../../interaction.ts';
import { handleVerify } from '../../../handlers/rectification.ts';
import { answerAfterAck } from '../../slack-interaction.ts';
import { pressedMessageRef } from '../views/rectification-modal.ts';

// "Verify (close)" on the review request: the core verifies; the request and the notice update.
export function registerRectificationVerifyAction(app: App, deps: BotDeps): void {
  app.action<BlockButtonAction>(ACTION.verify, async ({ ack, body, action, client, context, respond }) => {
    await ack();
    const input = {
      client,
      context,
      userId: body.user.id,
      channelId: body.channel?.id,
      respond,
      requestKey: `slack:${body.trigger_id}`,
    };
    await answerAfterAck(deps, input, ACTION.verify, (ix) =>
      handleVerify(deps, ix, { findingId: action.value ?? '', sourceRef: pressedMessageRef(body) }),
    );
  });
}
