import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { t } from '../../../../core/i18n/t.ts';
import { message, paragraph } from '../../../../core/messages/message.ts';
import { handleFindingCommand } from '../../../handlers/finding.ts';
import type { SlackDeps } from '../../form-seal.ts';
import { answerAfterAck, slashCommandInput } from '../../slack-interaction.ts';
import { findingModalView } from '../../views/finding-modal.ts';

export const FINDING_COMMAND = '/finding';

/**
 * /finding: acknowledge at once; a complete quick form is filed, a bare or partial one opens the
 * form with views.open while the trigger_id is fresh (3 s). Retries of the same command carry the
 * same team + trigger_id, which is the finding's idempotency key.
 */
export function registerFindingCommand(app: App, deps: SlackDeps): void {
  app.command(
    FINDING_COMMAND,
    async ({ ack, command, context, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
      await ack();
      await answerAfterAck(deps, slashCommandInput({ client, context, respond, command }), FINDING_COMMAND, (ix) =>
        handleFindingCommand(deps, ix, command.text ?? '', {
          openForm: async (draft, actor) => {
            const form = findingModalView(deps.rulebook, actor.locale, draft, {
              today: deps.today(),
              channelId: command.channel_id,
            });
            const view = { ...form, private_metadata: deps.seal.seal(command.user_id, form.private_metadata ?? '') };
            try {
              await client.views.open({ trigger_id: command.trigger_id, view });
            } catch (e) {
              const code = (e as { data?: { error?: string } }).data?.error ?? (e as Error).message;
              deps.logger.warn({ code, user: command.user_id }, 'views.open failed for /finding');
              await ix.replyPrivately(message([paragraph(t(actor.locale, 'bot.finding.modal.openFailed', { code }))]));
            }
          },
        }),
      );
    },
  );
}
