import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';

// One small file per listener in this folder; each is registered here.
export function registerOptions(app: App, deps: BotDeps): void {
  void app;
  void deps;
}
