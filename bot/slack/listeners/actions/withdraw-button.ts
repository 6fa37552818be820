import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION } from '../../../../core/messages/actions.ts';
import type { SlackDeps } from '../../form-seal.ts';
import { openWithdrawForm } from '../../../handlers/withdraw.ts';
import { answerAfterAck } from '../../slack-interaction.ts';
import { renderFormModal } from '../views/rectification-modal.ts';

// "Withdraw" on the filer's confirmation: open the reason modal within the trigger's 3 seconds;
// a refusal (not the filer, already withdrawn, unit contact) is answered privately instead.
export function registerWithdrawButton(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ACTION.withdraw, async ({ ack, body, action, client, context, respond }) => {
    await ack();
    const input = {
      client,
      context,
      userId: body.user.id,
      channelId: body.channel?.id,
      respond,
      requestKey: `slack:${body.trigger_id}`,
    };
    await answerAfterAck(deps, input, ACTION.withdraw, async (ix) => {
      const form = await openWithdrawForm(deps, ix, { findingId: action.value ?? '' });
      if (!form) return;
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: renderFormModal(form, deps.seal, body.user.id) });
      } catch (e) {
        deps.logger.warn({ err: (e as Error).message }, 'withdraw modal not opened');
      }
    });
  });
}
