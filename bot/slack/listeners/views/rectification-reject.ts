import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { RECTIFICATION_FORM, FIELD, submitRejectForm } from '../../../handlers/rectification.ts';
import { slackInteraction } from '../../slack-interaction.ts';
import { formValuesFromView } from './rectification-modal.ts';
import { t } from '../../../../core/i18n/t.ts';

// The reviewer's "send back" reason modal is submitted.
export function registerRectificationRejectView(app: App, deps: BotDeps): void {
  app.view(RECTIFICATION_FORM.reject, async ({ ack, body, view, client, context }) => {
    const ix = slackInteraction(deps, { client, context, userId: body.user.id, requestKey: `slack:view:${view.id}` });
    let result: Awaited<ReturnType<typeof submitRejectForm>>;
    try {
      result = await submitRejectForm(deps, ix, {
        formId: view.callback_id,
        metadata: view.private_metadata,
        values: formValuesFromView(view),
        formKey: `slack:view:${view.id}`,
      });
    } catch (e) {
      deps.logger.error({ err: (e as Error).message }, 'rejection failed');
      await ack({ response_action: 'errors', errors: { [FIELD.reason]: t(ix.locale, 'error.INTERNAL') } });
      return;
    }
    await ack(result.outcome.ok ? undefined : { response_action: 'errors', errors: result.outcome.errors });
    await result.followUp();
  });
}
