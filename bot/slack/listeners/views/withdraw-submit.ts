import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../form-seal.ts';
import { WITHDRAW_FIELD, WITHDRAW_FORM, submitWithdrawForm } from '../../../handlers/withdraw.ts';
import { formValuesFromView, openFormMetadata } from './rectification-modal.ts';
import { answerForm, refuseTampered } from './answer-form.ts';

// The withdraw reason modal is submitted: check, call the core, answer the modal (an empty reason
// or a refusal lands on the reason field), then update the notice and tell the unit. The view id
// is the form's key: the same view submitted again is a repeat, closed without a second withdrawal.
export function registerWithdrawSubmit(app: App, deps: SlackDeps): void {
  app.view(WITHDRAW_FORM, async ({ ack, body, view, client, context }) => {
    const key = `slack:view:${view.id}`;
    const input = { client, context, userId: body.user.id, requestKey: key };
    const form = { ack, input, what: `view:${WITHDRAW_FORM}`, field: WITHDRAW_FIELD.reason };
    const metadata = openFormMetadata(deps, view, body.user.id);
    if (metadata === null) return refuseTampered(deps, form);
    await answerForm(deps, form, (ix) =>
      submitWithdrawForm(deps, ix, {
        formId: view.callback_id,
        metadata,
        values: formValuesFromView(view),
        formKey: key,
      }),
    );
  });
}
