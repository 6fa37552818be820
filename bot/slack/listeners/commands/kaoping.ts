import type { App } from '@slack/bolt';
import { handleAdminCommand } from '../../../handlers/admin.ts';
import type { BotDeps } from '../../../interaction.ts';
import { answeringFailures, slashCommandInteraction } from '../../slack-interaction.ts';

export const KAOPING_COMMAND = '/kaoping';

/** /kaoping member|channel|lang|help — answered privately; core decides who may do what. */
export function registerKaopingCommand(app: App, deps: BotDeps): void {
  app.command(KAOPING_COMMAND, async ({ ack, command, client, context, respond }) => {
    await ack();
    const ix = slashCommandInteraction(deps, { client, context, respond, command });
    await answeringFailures(deps, ix, KAOPING_COMMAND, () => handleAdminCommand(deps, ix, command.text ?? ''));
  });
}
