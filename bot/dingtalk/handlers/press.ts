import { t } from '../../../core/i18n/t.ts';
import { ACTION } from '../../../core/messages/actions.ts';
import { message, paragraph } from '../../../core/messages/message.ts';
import type { BotDeps, Interaction } from '../../interaction.ts';
import { handleUnitButton } from '../../handlers/myscore.ts';
import { handlePublishButton } from '../../handlers/months.ts';
import { MYSCORE_CHART_ACTION, MYSCORE_WHY_ACTION } from '../../handlers/myscore-message.ts';
import {
  handleVerify,
  openRejectForm,
  openSubmitForm,
  RECTIFICATION_FORM,
  submitRectificationForm,
  submitRejectForm,
} from '../../handlers/rectification.ts';
import { openWithdrawForm, submitWithdrawForm, WITHDRAW_FORM } from '../../handlers/withdraw.ts';
import type { FormSubmitter } from '../guided-forms.ts';
import type { DingTalkBotDeps } from '../dingtalk-interaction.ts';

// A button, pressed on a card (card callback) or as `/press <action> <value>` typed or sent by a
// markdown link: the same routes as Slack's app.action() listeners and the console's /press.
// Buttons that open a Slack modal open a guided form in the one-to-one chat instead.

/** What each form a button opens does when its last item is answered (in whichever bot process). */
export function formSubmitters(deps: BotDeps): Record<string, FormSubmitter> {
  return {
    [RECTIFICATION_FORM.submit]: (ix, sub) => submitRectificationForm(deps, ix, sub),
    [RECTIFICATION_FORM.reject]: (ix, sub) => submitRejectForm(deps, ix, sub),
    [WITHDRAW_FORM]: (ix, sub) => submitWithdrawForm(deps, ix, sub),
  };
}

export async function pressButton(
  deps: DingTalkBotDeps,
  ix: Interaction,
  action: string,
  value: string,
  sourceRef: string | null,
): Promise<void> {
  const target = { findingId: value, sourceRef };
  switch (action) {
    case ACTION.submitRectification: {
      const form = await openSubmitForm(deps, ix, target);
      if (form) await deps.forms.start(ix, form);
      return;
    }
    case ACTION.verify:
      return handleVerify(deps, ix, target);
    case ACTION.reject: {
      const form = await openRejectForm(deps, ix, target);
      if (form) await deps.forms.start(ix, form);
      return;
    }
    case ACTION.withdraw: {
      const form = await openWithdrawForm(deps, ix, { findingId: value });
      if (form) await deps.forms.start(ix, form);
      return;
    }
    case ACTION.viewUnit:
      return handleUnitButton(deps, ix, value, false);
    case ACTION.publishPeriod:
      return handlePublishButton(deps, ix, value);
    case MYSCORE_WHY_ACTION:
      return handleUnitButton(deps, ix, value, true);
    case MYSCORE_CHART_ACTION:
      return handleUnitButton(deps, ix, value, false, true);
    default:
      return ix.replyPrivately(message([paragraph(t(ix.locale, 'bot.dingtalk.noButton', { action }))]));
  }
}
