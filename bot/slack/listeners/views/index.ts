import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../form-seal.ts';
import { registerFindingSubmit } from './finding-submit.ts';
import { registerRectificationSubmitView } from './rectification-submit.ts';
import { registerRectificationRejectView } from './rectification-reject.ts';
import { registerWithdrawSubmit } from './withdraw-submit.ts';

// One small file per listener in this folder; each is registered here.
export function registerViews(app: App, deps: SlackDeps): void {
  registerRectificationSubmitView(app, deps);
  registerRectificationRejectView(app, deps);
  registerWithdrawSubmit(app, deps);
  registerFindingSubmit(app, deps);
}
