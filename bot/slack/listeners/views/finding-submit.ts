import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { AppError } from '../../../../core/errors.ts';
import type { Message } from '../../../../core/messages/message.ts';
import { MessengerError } from '../../../../core/ports/messenger.port.ts';
import { announceFiledFinding, fileFinding } from '../../../handlers/finding.ts';
import { noFollowUp, type FormResult } from '../../../handlers/rectification-form.ts';
import type { BotDeps, Interaction } from '../../../interaction.ts';
import type { SlackDeps } from '../../form-seal.ts';
import { FINDING_MODAL_CALLBACK, modalErrorsFor, readFindingModal, readModalMeta } from '../../views/finding-modal.ts';
import { may, forbidden } from '../../../../core/authorization.ts';
import { answerForm, refuseTampered } from './answer-form.ts';
import { openFormMetadata } from './rectification-modal.ts';

/**
 * The /finding form submitted: field errors go back onto the form (response_action: errors);
 * a good form is filed (idempotency key: the view id, so a double-clicked or re-sent submit is
 * one finding), the form closes, and the filer and the unit are told. The channel the filer is
 * answered in comes from the form's sealed metadata: a changed one is refused.
 */
export function registerFindingSubmit(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(
    FINDING_MODAL_CALLBACK,
    async ({ ack, view, body, context, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
      const sealed = openFormMetadata(deps, view, body.user.id);
      const meta = readModalMeta({ private_metadata: sealed ?? '' });
      const input = {
        client,
        context,
        userId: body.user.id,
        channelId: meta.channel,
        requestKey: `slack:view:${body.team?.id ?? view.team_id}:${view.id}`,
      };
      const form = { ack, input, what: `view:${FINDING_MODAL_CALLBACK}`, field: modalField(view) };
      if (sealed === null) return refuseTampered(deps, form);
      await answerForm(deps, form, async (base): Promise<FormResult> => {
        const ix = withDmFallback(base, deps);
        const refuse = (error: AppError): FormResult => ({
          outcome: { ok: false, errors: modalErrorsFor(view, ix.locale, error) },
          followUp: noFollowUp,
        });
        if (!ix.actor.ok) return refuse(ix.actor.error);
        const filer = ix.actor.value;
        if (!may(filer, 'finding.file')) return refuse(forbidden(filer, 'finding.file'));
        const reading = readFindingModal(deps.rulebook, filer.locale, view);
        if (!reading.ok) return { outcome: { ok: false, errors: reading.errors }, followUp: noFollowUp };
        const filed = await fileFinding(deps, ix, filer, reading.draft, ix.requestKey);
        if (!filed.ok)
          return {
            outcome: { ok: false, errors: modalErrorsFor(view, filer.locale, filed.error) },
            followUp: noFollowUp,
          };
        return { outcome: { ok: true }, followUp: () => announceFiledFinding(deps, ix, filer, filed.value) };
      });
    },
  );
}

/** The block that shows a failure belonging to no field (the unit picker, first on the form). */
function modalField(view: ViewSubmitAction['view']): string {
  const key = Object.keys(modalErrorsFor(view, 'zh-CN', new AppError('INTERNAL', 'probe')))[0];
  return key ?? 'unit';
}

/** Ephemeral in the channel the form came from; a DM when the app cannot post there. */
function withDmFallback(ix: Interaction, deps: BotDeps): Interaction {
  return {
    ...ix,
    async replyPrivately(message: Message) {
      try {
        await ix.replyPrivately(message);
      } catch (e) {
        if (!MessengerError.is(e) || ix.channelId === null) throw e;
        deps.logger.info({ code: e.code }, 'ephemeral reply not possible; sending a DM');
        await ix.messenger.postPrivate(ix.userId, message);
      }
    },
  };
}
