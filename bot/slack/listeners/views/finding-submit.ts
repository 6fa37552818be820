import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { AppError } from '../../../../core/errors.ts';
import type { Message } from '../../../../core/messages/message.ts';
import { MessengerError } from '../../../../core/ports/messenger.port.ts';
import { announceFiledFinding, fileFinding } from '../../../handlers/finding.ts';
import type { BotDeps, Interaction } from '../../../interaction.ts';
import { slackInteraction } from '../../slack-interaction.ts';
import { FINDING_MODAL_CALLBACK, modalErrorsFor, readFindingModal, readModalMeta } from '../../views/finding-modal.ts';
import { may, forbidden } from '../../../../core/authorization.ts';

/**
 * The /finding form submitted: field errors go back onto the form (response_action: errors);
 * a good form is filed (idempotency key: the view id, so a double-clicked or re-sent submit is
 * one finding), the form closes, and the filer and the unit are told.
 */
export function registerFindingSubmit(app: App, deps: BotDeps): void {
  app.view<ViewSubmitAction>(
    FINDING_MODAL_CALLBACK,
    async ({ ack, view, body, context, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
      const locale = context.locale ?? deps.defaultLocale;
      const actor = context.actor;
      if (!actor?.ok || !may(actor.value, 'finding.file')) {
        const error =
          actor && !actor.ok
            ? actor.error
            : actor?.ok
              ? forbidden(actor.value, 'finding.file')
              : new AppError('AUTH.UNKNOWN_MEMBER', `no member for slack:${body.user.id}`);
        await ack({ response_action: 'errors', errors: modalErrorsFor(view, locale, error) });
        return;
      }
      const filer = actor.value;
      const reading = readFindingModal(deps.rulebook, filer.locale, view);
      if (!reading.ok) {
        await ack({ response_action: 'errors', errors: reading.errors });
        return;
      }
      const meta = readModalMeta(view);
      const ix = withDmFallback(
        slackInteraction(deps, {
          client,
          context,
          userId: body.user.id,
          channelId: meta.channel,
          requestKey: `slack:view:${body.team?.id ?? view.team_id}:${view.id}`,
        }),
        deps,
      );
      let filed: Awaited<ReturnType<typeof fileFinding>>;
      try {
        filed = await fileFinding(deps, ix, filer, reading.draft, ix.requestKey);
      } catch (e) {
        deps.logger.error({ err: (e as Error).message, user: body.user.id }, '/finding form submission failed');
        await ack({
          response_action: 'errors',
          errors: modalErrorsFor(view, filer.locale, new AppError('INTERNAL', (e as Error).message)),
        });
        return;
      }
      if (!filed.ok) {
        await ack({ response_action: 'errors', errors: modalErrorsFor(view, filer.locale, filed.error) });
        return;
      }
      await ack();
      try {
        await announceFiledFinding(deps, ix, filer, filed.value);
      } catch (e) {
        deps.logger.error(
          { err: (e as Error).message, findingId: filed.value.finding.id },
          'finding filed, but the confirmation failed',
        );
      }
    },
  );
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
