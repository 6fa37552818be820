import type { App, BlockAction } from '@slack/bolt';
import type { SlackDeps } from '../../form-seal.ts';
import { FINDING_FORM_ACTION } from '../../views/finding-modal.ts';
import { updateFindingForm } from './finding-form-update.ts';

/** A clause chosen in the /finding form: show the fields that clause needs. */
export function registerFindingFormClause(app: App, deps: SlackDeps): void {
  app.action<BlockAction>({ type: 'block_actions', action_id: FINDING_FORM_ACTION.clause }, (args) =>
    updateFindingForm(deps, args),
  );
}
