import type { AllMiddlewareArgs, App, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { requesterOf, type Requester } from '../../slack-context.ts';
import { FINDING_FORM_ACTION, unitOptions } from '../../views/finding-modal.ts';

/** Time the member lookup gets before the picker answers with nothing (its ack carries the list). */
const OPTIONS_BUDGET_MS = 1_500;

/** The /finding form's unit picker: units whose name or alias contains what was typed. */
export function registerFindingUnitOptions(app: App, deps: BotDeps): void {
  app.options(
    { action_id: FINDING_FORM_ACTION.unit },
    async ({ ack, body, context }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs) => {
      let timer: NodeJS.Timeout | undefined;
      const requester = await Promise.race([
        requesterOf(deps, context).catch((e: unknown) => {
          deps.logger.warn({ err: (e as Error).message }, 'unit options: lookup failed');
          return null;
        }),
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), OPTIONS_BUDGET_MS);
        }),
      ]);
      clearTimeout(timer);
      // Only people who may file see the form; anyone else (or nobody known, in time) gets an empty list.
      const allowed = (r: Requester | null): r is Requester =>
        r?.actor.ok === true && r.actor.value.role !== 'unit_contact';
      await ack({
        options: allowed(requester) ? unitOptions(deps.rulebook, requester.locale, body.value ?? '') : [],
      });
    },
  );
}
