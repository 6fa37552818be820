import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../form-seal.ts';
import { RECTIFICATION_FORM, FIELD, submitRejectForm } from '../../../handlers/rectification.ts';
import { formValuesFromView, openFormMetadata } from './rectification-modal.ts';
import { answerForm, refuseTampered } from './answer-form.ts';

// The reviewer's "send back" reason modal is submitted.
export function registerRectificationRejectView(app: App, deps: SlackDeps): void {
  app.view(RECTIFICATION_FORM.reject, async ({ ack, body, view, client, context }) => {
    const key = `slack:view:${view.id}`;
    const input = { client, context, userId: body.user.id, requestKey: key };
    const form = { ack, input, what: `view:${RECTIFICATION_FORM.reject}`, field: FIELD.reason };
    const metadata = openFormMetadata(deps, view, body.user.id);
    if (metadata === null) return refuseTampered(deps, form);
    await answerForm(deps, form, (ix) =>
      submitRejectForm(deps, ix, {
        formId: view.callback_id,
        metadata,
        values: formValuesFromView(view),
        formKey: key,
      }),
    );
  });
}
