import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { RECTIFICATION_FORM, FIELD, submitRectificationForm } from '../../../handlers/rectification.ts';
import { slackInteraction } from '../../slack-interaction.ts';
import { formValuesFromView } from './rectification-modal.ts';
import { t } from '../../../../core/i18n/t.ts';

// The unit's evidence modal is submitted: check, call the core, answer the modal (errors land on
// their field), then tell the filing inspector and update the notice.
export function registerRectificationSubmitView(app: App, deps: BotDeps): void {
  app.view(RECTIFICATION_FORM.submit, async ({ ack, body, view, client, context }) => {
    const ix = slackInteraction(deps, { client, context, userId: body.user.id, requestKey: `slack:view:${view.id}` });
    let result: Awaited<ReturnType<typeof submitRectificationForm>>;
    try {
      result = await submitRectificationForm(deps, ix, {
        formId: view.callback_id,
        metadata: view.private_metadata,
        values: formValuesFromView(view),
        formKey: `slack:view:${view.id}`,
      });
    } catch (e) {
      deps.logger.error({ err: (e as Error).message }, 'rectification submission failed');
      await ack({ response_action: 'errors', errors: { [FIELD.evidenceText]: t(ix.locale, 'error.INTERNAL') } });
      return;
    }
    await ack(result.outcome.ok ? undefined : { response_action: 'errors', errors: result.outcome.errors });
    await result.followUp();
  });
}
