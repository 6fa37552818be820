import type { App } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { registerFindingUnitOptions } from './finding-unit.ts';

// One small file per listener in this folder; each is registered here.
export function registerOptions(app: App, deps: BotDeps): void {
  registerFindingUnitOptions(app, deps);
}
