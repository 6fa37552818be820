import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { registerAppHomeOpened } from './app-home-opened.ts';
import { registerFileImport } from './file-import.ts';

// One small file per listener in this folder; each is registered here.
export function registerEvents(app: App, deps: BotDeps): void {
  registerAppHomeOpened(app, deps);
  registerFileImport(app, deps);
}
