import type { App } from '@slack/bolt';
import type { SlackDeps } from '../form-seal.ts';
import { registerCommands } from './commands/index.ts';
import { registerViews } from './views/index.ts';
import { registerActions } from './actions/index.ts';
import { registerEvents } from './events/index.ts';
import { registerOptions } from './options/index.ts';

export function registerListeners(app: App, deps: SlackDeps): void {
  registerCommands(app, deps);
  registerViews(app, deps);
  registerActions(app, deps);
  registerEvents(app, deps);
  registerOptions(app, deps);
}
