import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { handleStandings } from '../../../handlers/standings.ts';
import { slackInteraction } from '../../slack-interaction.ts';

// /standings [YYYY-MM-DD]: organisers and inspectors; answered privately.
export function registerStandingsCommand(app: App, deps: BotDeps): void {
  app.command('/standings', async ({ ack, command, client, context, respond }) => {
    await ack();
    const ix = slackInteraction(deps, { client, context, userId: command.user_id, channelId: command.channel_id, respond, requestKey: `slack:${command.trigger_id}` });
    await handleStandings(deps, ix, command.text ?? '');
  });
}
