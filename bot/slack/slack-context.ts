import type { AllMiddlewareArgs, AnyMiddlewareArgs, Context } from '@slack/bolt';
import type { Actor } from '../../core/assessment-api.ts';
import { AppError, err, type Result } from '../../core/errors.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import type { BotDeps } from '../interaction.ts';
import { currentRequestId, withRequestId } from '../../adapters/observability/request-context.ts';

/** Who is asking and in which language, once the store has been asked. */
export interface Requester {
  actor: Result<Actor, AppError>;
  locale: Locale;
}

declare module '@slack/bolt' {
  interface Context {
    /** The member behind the request, looked up on first use (after the listener acknowledged). */
    requester?: () => Promise<Requester>;
    /** Set once requester() has answered; listeners that must not wait read this. */
    resolved?: Requester;
    /** The receiver's request id (bot/slack/http/slack-events-route.ts). */
    requestId?: string;
  }
}

/**
 * Slack's own id of a request when it has one: an event's event_id (equal on Slack's retries),
 * else the trigger_id of a command or an interaction; undefined for anything else.
 */
export function slackRequestId(body: unknown): string | undefined {
  const b = body as { event_id?: unknown; trigger_id?: unknown } | null;
  const id = b?.event_id ?? b?.trigger_id;
  return typeof id === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(id) ? id : undefined;
}

/** The Slack user id behind any incoming body (commands, interactions, events). */
export function slackUserId(body: unknown): string | undefined {
  const b = body as { user_id?: string; user?: { id?: string } | string; event?: { user?: string } };
  if (typeof b.user_id === 'string') return b.user_id;
  if (b.user && typeof b.user === 'object' && typeof b.user.id === 'string') return b.user.id;
  if (typeof b.user === 'string') return b.user;
  if (b.event && typeof b.event.user === 'string') return b.event.user;
  return undefined;
}

/**
 * Global middleware: prepares — but does not run — the member lookup, so that every listener can
 * acknowledge before the store is touched (a slow or unreachable database must never delay the
 * 3-second acknowledgement). The lookup runs once, on the first `requester()` call; a failure of
 * the store rejects it, and the listener answers the person (bot/slack/slack-interaction.ts).
 */
export function actorMiddleware(deps: BotDeps) {
  return async ({ body, context, next }: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const userId = slackUserId(body);
    let pending: Promise<Requester> | undefined;
    context.requester = () => {
      pending ??= (async (): Promise<Requester> => {
        if (!userId) return unknownRequester(deps, 'no user in the request');
        const actor = await deps.membership.resolveActor('slack', userId);
        const resolved = { actor, locale: actor.ok ? actor.value.locale : deps.defaultLocale };
        context.resolved = resolved;
        return resolved;
      })();
      return pending;
    };
    // Over HTTP the receiver has opened the request's context already; in Socket Mode it is opened
    // here, so that the listener and every log line of the request carry its id.
    if (currentRequestId()) {
      context.requestId ??= currentRequestId();
      await next();
    } else
      await withRequestId(slackRequestId(body), async () => {
        context.requestId = currentRequestId();
        await next();
      });
  };
}

function unknownRequester(deps: BotDeps, why: string): Requester {
  return {
    actor: err(new AppError('AUTH.UNKNOWN_MEMBER', why)),
    locale: deps.defaultLocale,
  };
}

/** The requester of a request; without the middleware (tests of single listeners), an unknown one. */
export function requesterOf(deps: BotDeps, context: Context): Promise<Requester> {
  return context.requester ? context.requester() : Promise.resolve(unknownRequester(deps, 'no actor middleware'));
}
