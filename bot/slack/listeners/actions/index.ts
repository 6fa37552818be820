import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../form-seal.ts';
import { registerFindingFormClause } from './finding-form-clause.ts';
import { registerFindingFormDate } from './finding-form-date.ts';
import { registerRectificationSubmitAction } from './rectification-submit.ts';
import { registerRectificationVerifyAction } from './rectification-verify.ts';
import { registerRectificationRejectAction } from './rectification-reject.ts';
import { registerMyScoreUnitActions } from './myscore-unit.ts';
import { registerWithdrawButton } from './withdraw-button.ts';
import { registerPeriodPublishButton } from './period-publish.ts';

// One small file per listener in this folder; each is registered here.
export function registerActions(app: App, deps: SlackDeps): void {
  registerRectificationSubmitAction(app, deps);
  registerRectificationVerifyAction(app, deps);
  registerRectificationRejectAction(app, deps);
  registerMyScoreUnitActions(app, deps);
  registerWithdrawButton(app, deps);
  registerPeriodPublishButton(app, deps);
  registerFindingFormClause(app, deps);
  registerFindingFormDate(app, deps);
}
