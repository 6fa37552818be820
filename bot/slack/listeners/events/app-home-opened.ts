import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { handleHomeOpened } from '../../../handlers/home.ts';
import { slackInteraction } from '../../slack-interaction.ts';

// app_home_opened on the Home tab: publish this person's home (the Messages tab is left alone).
// Bolt acknowledges events before the listener runs; a failure here is logged (nobody asked for
// an answer, so nobody is sent one).
export function registerAppHomeOpened(app: App, deps: BotDeps): void {
  app.event('app_home_opened', async ({ event, body, client, context }) => {
    if (event.tab !== 'home') return;
    try {
      const ix = await slackInteraction(deps, {
        client,
        context,
        userId: event.user,
        requestKey: `slack:event:${(body as { event_id?: string }).event_id ?? event.event_ts}`,
      });
      await handleHomeOpened(deps, ix);
    } catch (e) {
      deps.logger.error({ err: (e as Error).message }, 'home tab not published');
    }
  });
}
