import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION } from '../../../../core/messages/actions.ts';
import type { BotDeps } from '../../../interaction.ts';
import { openSubmitForm } from '../../../handlers/rectification.ts';
import { slackInteraction } from '../../slack-interaction.ts';
import { pressedMessageRef, renderFormModal } from '../views/rectification-modal.ts';

// "Submit rectification" (notice, reminders, /myscore, home): open the evidence modal within
// the trigger's 3 seconds; a refusal (not the unit's contact, wrong state) is answered privately.
export function registerRectificationSubmitAction(app: App, deps: BotDeps): void {
  app.action<BlockButtonAction>(ACTION.submitRectification, async ({ ack, body, action, client, context, respond }) => {
    await ack();
    const ix = slackInteraction(deps, {
      client,
      context,
      userId: body.user.id,
      channelId: body.channel?.id,
      respond,
      requestKey: `slack:${body.trigger_id}`,
    });
    const form = await openSubmitForm(deps, ix, { findingId: action.value ?? '', sourceRef: pressedMessageRef(body) });
    if (!form) return;
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: renderFormModal(form) });
    } catch (e) {
      deps.logger.warn({ err: (e as Error).message }, 'rectification modal not opened');
    }
  });
}
