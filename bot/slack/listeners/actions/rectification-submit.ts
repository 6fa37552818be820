import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION } from '../../../../core/messages/actions.ts';
import type { SlackDeps } from '../../form-seal.ts';
import { openSubmitForm } from '../../../handlers/rectification.ts';
import { answerAfterAck } from '../../slack-interaction.ts';
import { pressedMessageRef, renderFormModal } from '../views/rectification-modal.ts';

// "Submit rectification" (notice, reminders, /myscore, home): open the evidence modal within
// the trigger's 3 seconds; a refusal (not the unit's contact, wrong state) is answered privately.
export function registerRectificationSubmitAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ACTION.submitRectification, async ({ ack, body, action, client, context, respond }) => {
    await ack();
    const input = {
      client,
      context,
      userId: body.user.id,
      channelId: body.channel?.id,
      respond,
      requestKey: `slack:${body.trigger_id}`,
    };
    await answerAfterAck(deps, input, ACTION.submitRectification, async (ix) => {
      const form = await openSubmitForm(deps, ix, {
        findingId: action.value ?? '',
        sourceRef: pressedMessageRef(body),
      });
      if (!form) return;
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: renderFormModal(form, deps.seal, body.user.id) });
      } catch (e) {
        deps.logger.warn({ err: (e as Error).message }, 'rectification modal not opened');
      }
    });
  });
}
