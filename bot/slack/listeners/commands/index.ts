import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../form-seal.ts';
import { registerFindingCommand } from './finding.ts';
import { registerKaopingCommand } from './kaoping.ts';
import { registerMyScoreCommand } from './myscore.ts';
import { registerStandingsCommand } from './standings.ts';

// One small file per listener in this folder; each is registered here.
export function registerCommands(app: App, deps: SlackDeps): void {
  registerMyScoreCommand(app, deps);
  registerStandingsCommand(app, deps);
  registerFindingCommand(app, deps);
  registerKaopingCommand(app, deps);
}
