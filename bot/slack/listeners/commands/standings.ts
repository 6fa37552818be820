import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { handleStandings } from '../../../handlers/standings.ts';
import { answerAfterAck, slashCommandInput } from '../../slack-interaction.ts';

// /standings [YYYY-MM-DD]: organisers and inspectors; answered privately.
export function registerStandingsCommand(app: App, deps: BotDeps): void {
  app.command('/standings', async ({ ack, command, client, context, respond }) => {
    await ack();
    await answerAfterAck(deps, slashCommandInput({ client, context, respond, command }), '/standings', (ix) =>
      handleStandings(deps, ix, command.text ?? ''),
    );
  });
}
