import type { Context, RespondFn, webApi } from '@slack/bolt';
import type { AppError } from '../../core/errors.ts';
import type { Message } from '../../core/messages/message.ts';
import { errorMessage } from '../../core/messages/standings.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import { SlackMessenger } from '../../adapters/messenger/slack/slack-messenger.adapter.ts';
import { renderSlackMessage } from '../../adapters/messenger/slack/block-kit.renderer.ts';
import { requesterOf } from './slack-context.ts';
import { shortRef, unexpectedError } from '../handlers/failure.ts';

// Bolt listener arguments → the platform-neutral Interaction that bot/handlers/ take. Shared by
// every Slack listener: commands and actions answer through respond() (response_url, ephemeral);
// view submissions and events have none and answer with chat.postEphemeral or a DM.
//
// Building an Interaction asks the store who the person is, so listeners acknowledge first and
// build it after (answerAfterAck below).

export interface SlackInteractionInput {
  client: webApi.WebClient;
  context: Context;
  userId: string;
  channelId?: string | null | undefined;
  respond?: RespondFn | undefined;
  /** Unique to the request and equal on Slack's retries (trigger_id, view id, event id). */
  requestKey: string;
}

/** A private reply with respond() (response_url) when there is one, else the Web API. */
function privateReplier(deps: BotDeps, input: SlackInteractionInput, messenger: SlackMessenger) {
  const channelId = input.channelId ?? null;
  return async (message: Message): Promise<void> => {
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
  };
}

/** The Interaction of a request; resolves the member (a store lookup, memoised per request). */
export async function slackInteraction(deps: BotDeps, input: SlackInteractionInput): Promise<Interaction> {
  const messenger = new SlackMessenger(input.client);
  const { actor, locale } = await requesterOf(deps, input.context);
  return {
    platform: 'slack',
    userId: input.userId,
    channelId: input.channelId ?? null,
    actor,
    locale,
    messenger,
    requestKey: input.requestKey,
    requestId: input.context.requestId,
    replyPrivately: privateReplier(deps, input, messenger),
  };
}

/** The input for a slash command; its key (team + trigger_id) is equal on Slack's retries. */
export function slashCommandInput(args: {
  client: webApi.WebClient;
  context: Context;
  respond: RespondFn;
  command: { user_id: string; channel_id: string; team_id: string; trigger_id: string };
}): SlackInteractionInput {
  const { command } = args;
  return {
    client: args.client,
    context: args.context,
    userId: command.user_id,
    channelId: command.channel_id,
    respond: args.respond,
    requestKey: `slack:cmd:${command.team_id}:${command.trigger_id}`,
  };
}

/**
 * The body of every listener after its ack(): build the Interaction (the member lookup), run the
 * handler, count the outcome. Whatever fails — the store unreachable, a bug — the person is told
 * in their language (or the default one, when even the lookup failed) with an error code and the
 * request's reference; it is logged once, without secrets or stack traces for the user.
 */
export async function answerAfterAck(
  deps: BotDeps,
  input: SlackInteractionInput,
  what: string,
  run: (ix: Interaction) => Promise<void>,
): Promise<void> {
  const work = async () => {
    let ix: Interaction | undefined;
    try {
      ix = await slackInteraction(deps, input);
      await run(ix);
      deps.metrics?.requests.inc({ command: what, outcome: 'ok' });
    } catch (e) {
      const error = unexpectedError(e, what);
      await tellFailure(deps, input, ix, what, error, e);
    }
  };
  await (deps.work ? deps.work.run(work) : work());
}

export async function tellFailure(
  deps: BotDeps,
  input: SlackInteractionInput,
  ix: Interaction | undefined,
  what: string,
  error: AppError,
  cause: unknown,
): Promise<void> {
  const unavailable = error.code === 'SERVICE.UNAVAILABLE';
  deps.metrics?.requests.inc({ command: what, outcome: unavailable ? 'unavailable' : 'failed' });
  deps.logger.error(
    {
      err: { message: (cause as Error)?.message, code: (cause as { code?: string })?.code },
      code: error.code,
      what,
      user: input.userId,
    },
    'Slack request failed after its acknowledgement',
  );
  const locale = ix?.locale ?? input.context.resolved?.locale ?? deps.defaultLocale;
  const reply = ix?.replyPrivately ?? privateReplier(deps, input, new SlackMessenger(input.client));
  await reply(errorMessage(locale, error, shortRef(input.context.requestId))).catch((e2: unknown) =>
    deps.logger.warn({ err: (e2 as Error).message, what }, 'could not tell the person about the failure'),
  );
}
