import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { WITHDRAW_FIELD, WITHDRAW_FORM, submitWithdrawForm } from '../../../handlers/withdraw.ts';
import { slackInteraction } from '../../slack-interaction.ts';
import { formValuesFromView } from './rectification-modal.ts';
import { t } from '../../../../core/i18n/t.ts';

// The withdraw reason modal is submitted: check, call the core, answer the modal (an empty reason
// or a refusal lands on the reason field), then update the notice and tell the unit. The view id
// is the form's key: the same view submitted again is a repeat, closed without a second withdrawal.
export function registerWithdrawSubmit(app: App, deps: BotDeps): void {
  app.view(WITHDRAW_FORM, async ({ ack, body, view, client, context }) => {
    const key = `slack:view:${view.id}`;
    const ix = slackInteraction(deps, { client, context, userId: body.user.id, requestKey: key });
    let result: Awaited<ReturnType<typeof submitWithdrawForm>>;
    try {
      result = await submitWithdrawForm(deps, ix, {
        formId: view.callback_id,
        metadata: view.private_metadata,
        values: formValuesFromView(view),
        formKey: key,
      });
    } catch (e) {
      deps.logger.error({ err: (e as Error).message }, 'withdrawal failed');
      await ack({ response_action: 'errors', errors: { [WITHDRAW_FIELD.reason]: t(ix.locale, 'error.INTERNAL') } });
      return;
    }
    await ack(result.outcome.ok ? undefined : { response_action: 'errors', errors: result.outcome.errors });
    try {
      await result.followUp();
    } catch (e) {
      deps.logger.error({ err: (e as Error).message }, 'finding withdrawn, but the follow-ups failed');
    }
  });
}
