import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { handleMyScore } from '../../../handlers/myscore.ts';
import { answeringFailures, slashCommandInteraction } from '../../slack-interaction.ts';

// /myscore [unit] [why] [YYYY-MM-DD]: acknowledge, then answer privately through response_url.
export function registerMyScoreCommand(app: App, deps: BotDeps): void {
  app.command('/myscore', async ({ ack, command, client, context, respond }) => {
    await ack();
    const ix = slashCommandInteraction(deps, { client, context, respond, command });
    await answeringFailures(deps, ix, '/myscore', () => handleMyScore(deps, ix, command.text ?? ''));
  });
}
