import type { App, BlockAction } from '@slack/bolt';
import type { SlackDeps } from '../../form-seal.ts';
import { FINDING_FORM_ACTION } from '../../views/finding-modal.ts';
import { updateFindingForm } from './finding-form-update.ts';

/** The date changed in the /finding form: show the default deadline for the new date. */
export function registerFindingFormDate(app: App, deps: SlackDeps): void {
  app.action<BlockAction>({ type: 'block_actions', action_id: FINDING_FORM_ACTION.date }, (args) =>
    updateFindingForm(deps, args),
  );
}
