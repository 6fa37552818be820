import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { AppError } from '../../../../core/errors.ts';
import { errorMessage } from '../../../../core/messages/standings.ts';
import { handleAdminCommand } from '../../../handlers/admin.ts';
import type { BotDeps } from '../../../interaction.ts';
import { slackInteraction } from '../../slack-interaction.ts';

export const KAOPING_COMMAND = '/kaoping';

/** /kaoping member|channel|lang|help — answered privately; core decides who may do what. */
export function registerKaopingCommand(app: App, deps: BotDeps): void {
  app.command(KAOPING_COMMAND, async ({ ack, command, context, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const ix = slackInteraction(deps, {
      client,
      context,
      userId: command.user_id,
      channelId: command.channel_id,
      respond,
      requestKey: `slack:cmd:${command.team_id}:${command.trigger_id}`,
    });
    try {
      await handleAdminCommand(deps, ix, command.text ?? '');
    } catch (e) {
      deps.logger.error({ err: (e as Error).message, user: command.user_id }, '/kaoping failed');
      await ix.replyPrivately(errorMessage(ix.locale, new AppError('INTERNAL', (e as Error).message))).catch(() => undefined);
    }
  });
}
