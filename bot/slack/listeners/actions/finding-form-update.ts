import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../../interaction.ts';
import { draftFromState, findingModalView, readModalMeta } from '../../views/finding-modal.ts';

/**
 * Re-render the /finding form from what it holds (views.update, guarded by the view's hash):
 * the clause decides which fields are shown, the date decides the default deadline shown.
 */
export async function updateFindingForm(
  deps: BotDeps,
  { ack, body, client, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const view = body.view;
  if (!view) return;
  const locale = context.locale ?? deps.defaultLocale;
  const meta = readModalMeta(view);
  const draft = { ...meta.prefill, ...draftFromState(deps.rulebook, view.state.values) };
  const next = findingModalView(deps.rulebook, locale, draft, { today: deps.today(), channelId: meta.channel });
  try {
    await client.views.update({ view_id: view.id, hash: view.hash, view: next });
  } catch (e) {
    // hash_conflict: a newer update already went out; anything else is only cosmetic here
    deps.logger.info(
      { code: (e as { data?: { error?: string } }).data?.error ?? (e as Error).message },
      'finding form not updated',
    );
  }
}
