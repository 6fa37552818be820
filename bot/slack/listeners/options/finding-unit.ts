import type { AllMiddlewareArgs, App, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { FINDING_FORM_ACTION, unitOptions } from '../../views/finding-modal.ts';

/** The /finding form's unit picker: units whose name or alias contains what was typed. */
export function registerFindingUnitOptions(app: App, deps: BotDeps): void {
  app.options(
    { action_id: FINDING_FORM_ACTION.unit },
    async ({ ack, body, context }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs) => {
      const locale = context.locale ?? deps.defaultLocale;
      // Only people who may file see the form; anyone else gets an empty list.
      const allowed = context.actor?.ok === true && context.actor.value.role !== 'unit_contact';
      await ack({ options: allowed ? unitOptions(deps.rulebook, locale, body.value ?? '') : [] });
    },
  );
}
