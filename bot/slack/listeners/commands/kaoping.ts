import type { App } from '@slack/bolt';
import { handleAdminCommand } from '../../../handlers/admin.ts';
import type { BotDeps } from '../../../interaction.ts';
import { answerAfterAck, slashCommandInput } from '../../slack-interaction.ts';

export const KAOPING_COMMAND = '/kaoping';

/** /kaoping member|channel|lang|help — answered privately; core decides who may do what. */
export function registerKaopingCommand(app: App, deps: BotDeps): void {
  app.command(KAOPING_COMMAND, async ({ ack, command, client, context, respond }) => {
    await ack();
    await answerAfterAck(deps, slashCommandInput({ client, context, respond, command }), KAOPING_COMMAND, (ix) =>
      handleAdminCommand(deps, ix, command.text ?? ''),
    );
  });
}
