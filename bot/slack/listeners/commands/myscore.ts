import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { handleMyScore } from '../../../handlers/myscore.ts';
import { slackInteraction } from '../../slack-interaction.ts';

// /myscore [unit] [why] [YYYY-MM-DD]: acknowledge, then answer privately through response_url.
export function registerMyScoreCommand(app: App, deps: BotDeps): void {
  app.command('/myscore', async ({ ack, command, client, context, respond }) => {
    await ack();
    const ix = slackInteraction(deps, { client, context, userId: command.user_id, channelId: command.channel_id, respond, requestKey: `slack:${command.trigger_id}` });
    await handleMyScore(deps, ix, command.text ?? '');
  });
}
