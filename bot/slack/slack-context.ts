import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import type { Actor } from '../../core/assessment-api.ts';
import type { AppError, Result } from '../../core/errors.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import type { BotDeps } from '../interaction.ts';

declare module '@slack/bolt' {
  interface Context {
    actor?: Result<Actor, AppError>;
    locale?: Locale;
  }
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
 * Global middleware: resolves the member behind the request once, so listeners can ack() first
 * and then read context.actor. Unknown people get AUTH.UNKNOWN_MEMBER, never an exception.
 */
export function actorMiddleware(deps: BotDeps) {
  return async ({ body, context, next }: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const userId = slackUserId(body);
    if (userId) {
      const actor = await deps.membership.resolveActor('slack', userId);
      context.actor = actor;
      context.locale = actor.ok ? actor.value.locale : deps.defaultLocale;
    } else {
      context.locale = deps.defaultLocale;
    }
    await next();
  };
}
