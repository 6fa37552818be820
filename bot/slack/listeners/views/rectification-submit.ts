import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../form-seal.ts';
import { RECTIFICATION_FORM, FIELD, submitRectificationForm } from '../../../handlers/rectification.ts';
import { formValuesFromView, openFormMetadata } from './rectification-modal.ts';
import { answerForm, refuseTampered } from './answer-form.ts';

// The unit's evidence modal is submitted: check, call the core, answer the modal (errors land on
// their field), then tell the filing inspector and update the notice.
export function registerRectificationSubmitView(app: App, deps: SlackDeps): void {
  app.view(RECTIFICATION_FORM.submit, async ({ ack, body, view, client, context }) => {
    const key = `slack:view:${view.id}`;
    const input = { client, context, userId: body.user.id, requestKey: key };
    const form = { ack, input, what: `view:${RECTIFICATION_FORM.submit}`, field: FIELD.evidenceText };
    const metadata = openFormMetadata(deps, view, body.user.id);
    if (metadata === null) return refuseTampered(deps, form);
    await answerForm(deps, form, (ix) =>
      submitRectificationForm(deps, ix, {
        formId: view.callback_id,
        metadata,
        values: formValuesFromView(view),
        formKey: key,
      }),
    );
  });
}
