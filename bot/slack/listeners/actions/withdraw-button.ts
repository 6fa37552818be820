import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION } from '../../../../core/messages/actions.ts';
import type { BotDeps } from '../../../interaction.ts';
import { openWithdrawForm } from '../../../handlers/withdraw.ts';
import { slackInteraction } from '../../slack-interaction.ts';
import { renderFormModal } from '../views/rectification-modal.ts';

// "Withdraw" on the filer's confirmation: open the reason modal within the trigger's 3 seconds;
// a refusal (not the filer, already withdrawn, unit contact) is answered privately instead.
export function registerWithdrawButton(app: App, deps: BotDeps): void {
  app.action<BlockButtonAction>(ACTION.withdraw, async ({ ack, body, action, client, context, respond }) => {
    await ack();
    const ix = slackInteraction(deps, {
      client,
      context,
      userId: body.user.id,
      channelId: body.channel?.id,
      respond,
      requestKey: `slack:${body.trigger_id}`,
    });
    const form = await openWithdrawForm(deps, ix, { findingId: action.value ?? '' });
    if (!form) return;
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: renderFormModal(form) });
    } catch (e) {
      deps.logger.warn({ err: (e as Error).message }, 'withdraw modal not opened');
    }
  });
}
