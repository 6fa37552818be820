import type { Context, RespondFn, webApi } from '@slack/bolt';
import { AppError, err } from '../../core/errors.ts';
import type { Message } from '../../core/messages/message.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { SlackMessenger } from '../../adapters/messenger/slack/slack-messenger.adapter.ts';
import { renderSlackMessage } from '../../adapters/messenger/slack/block-kit.renderer.ts';

// Bolt listener arguments → the platform-neutral Interaction that bot/handlers/ take. Shared by
// every Slack listener: commands and actions answer through respond() (response_url, ephemeral);
// view submissions and events have none and answer with chat.postEphemeral or a DM.

export interface SlackInteractionInput {
  client: webApi.WebClient;
  context: Context;
  userId: string;
  channelId?: string | null | undefined;
  respond?: RespondFn | undefined;
  /** Unique to the request and equal on Slack's retries (trigger_id, view id, event id). */
  requestKey: string;
}

export function slackInteraction(deps: BotDeps, input: SlackInteractionInput): Interaction {
  const messenger = new SlackMessenger(input.client);
  const channelId = input.channelId ?? null;
  const actor = input.context.actor ?? err(new AppError('AUTH.UNKNOWN_MEMBER', `no member for slack:${input.userId}`));
  const locale = input.context.locale ?? deps.defaultLocale;
  return {
    platform: 'slack',
    userId: input.userId,
    channelId,
    actor,
    locale,
    messenger,
    requestKey: input.requestKey,
    async replyPrivately(message: Message): Promise<void> {
      if (input.respond) {
        try {
          await input.respond({ response_type: 'ephemeral', replace_original: false, ...renderSlackMessage(message) });
          return;
        } catch (e) {
          // response_url expired (30 min) or refused: fall back to the Web API
          deps.logger.warn({ err: (e as Error).message }, 'respond() failed; answering with the Web API');
        }
      }
      await messenger.postPrivate(channelId ? { userId: input.userId, channelId } : input.userId, message);
    },
  };
}

/** The Interaction of a slash command; its key (team + trigger_id) is equal on Slack's retries. */
export function slashCommandInteraction(
  deps: BotDeps,
  args: {
    client: webApi.WebClient;
    context: Context;
    respond: RespondFn;
    command: { user_id: string; channel_id: string; team_id: string; trigger_id: string };
  },
): Interaction {
  const { command } = args;
  return slackInteraction(deps, {
    client: args.client,
    context: args.context,
    userId: command.user_id,
    channelId: command.channel_id,
    respond: args.respond,
    requestKey: `slack:cmd:${command.team_id}:${command.trigger_id}`,
  });
}

/**
 * Runs a handler; anything unexpected is logged (no secrets, no stack to the user) and the user
 * gets the INTERNAL message in their language instead of silence.
 */
export async function answeringFailures(
  deps: BotDeps,
  ix: Interaction,
  what: string,
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (e) {
    deps.logger.error({ err: (e as Error).message, user: ix.userId, what }, 'Slack listener failed');
    await ix
      .replyPrivately(errorMessage(ix.locale, new AppError('INTERNAL', (e as Error).message)))
      .catch(() => undefined);
  }
}
