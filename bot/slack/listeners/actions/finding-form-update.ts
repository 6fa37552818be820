import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../form-seal.ts';
import { requesterOf } from '../../slack-context.ts';
import { draftFromState, findingModalView, readModalMeta } from '../../views/finding-modal.ts';
import { openFormMetadata } from '../views/rectification-modal.ts';

/**
 * Re-render the /finding form from what it holds (views.update, guarded by the view's hash):
 * the clause decides which fields are shown, the date decides the default deadline shown.
 * Acknowledged first; the person's language needs the store, and the form is only cosmetic here,
 * so a failure leaves it as it is (logged).
 */
export async function updateFindingForm(
  deps: SlackDeps,
  { ack, body, client, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const view = body.view;
  if (!view) return;
  const sealed = openFormMetadata(deps, view, body.user.id);
  if (sealed === null) return;
  try {
    const { locale } = await requesterOf(deps, context);
    const meta = readModalMeta({ private_metadata: sealed });
    const draft = { ...meta.prefill, ...draftFromState(deps.rulebook, view.state.values) };
    const next = findingModalView(deps.rulebook, locale, draft, {
      today: deps.today(),
      channelId: meta.channel,
    });
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: { ...next, private_metadata: deps.seal.seal(body.user.id, next.private_metadata ?? '') },
    });
  } catch (e) {
    // hash_conflict: a newer update already went out; anything else is only cosmetic here
    deps.logger.info(
      { code: (e as { data?: { error?: string } }).data?.error ?? (e as Error).message },
      'finding form not updated',
    );
  }
}
