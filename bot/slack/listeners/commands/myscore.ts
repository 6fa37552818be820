import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { handleMyScore } from '../../../handlers/myscore.ts';
import { answerAfterAck, slashCommandInput } from '../../slack-interaction.ts';

// /myscore [unit] [why] [YYYY-MM-DD]: acknowledge, then answer privately through response_url.
export function registerMyScoreCommand(app: App, deps: BotDeps): void {
  app.command('/myscore', async ({ ack, command, client, context, respond }) => {
    await ack();
    await answerAfterAck(deps, slashCommandInput({ client, context, respond, command }), '/myscore', (ix) =>
      handleMyScore(deps, ix, command.text ?? ''),
    );
  });
}
