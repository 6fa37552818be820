import type { ViewOutput, types as slack } from '@slack/bolt';
import type { FormSpec } from '../../../handlers/rectification-form.ts';
import { renderBlocks, SLACK_LIMITS } from '../../../../adapters/messenger/slack/block-kit.renderer.ts';
import type { BlockAction } from '@slack/bolt';
import { encodeSlackRef } from '../../../../adapters/messenger/slack/slack-messenger.adapter.ts';
import type { FormSeal, SlackDeps } from '../../form-seal.ts';

// FormSpec (bot/handlers/rectification-form.ts) ↔ Slack modal: title/submit/close at most 24
// characters, plain_text_input at most 3000, at most 100 blocks; each field is an input block whose
// block_id and action_id are the field id, so `response_action: errors` lands on the right field.

const plain = (text: string, max: number): slack.PlainTextElement => ({
  type: 'plain_text',
  text: [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`,
  emoji: true,
});

/** The modal of a form opened for `userId`; its metadata is sealed to that person (form-seal.ts). */
export function renderFormModal(form: FormSpec, seal: FormSeal, userId: string): slack.ModalView {
  const inputs: slack.InputBlock[] = form.fields.map((f) => ({
    type: 'input',
    block_id: f.id,
    optional: f.optional,
    label: plain(f.label, 2000),
    ...(f.hint ? { hint: plain(f.hint, 2000) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: f.id,
      multiline: f.multiline,
      max_length: Math.min(f.maxLength, 3000),
      ...(f.placeholder ? { placeholder: plain(f.placeholder, 150) } : {}),
    },
  }));
  const intro = renderBlocks(
    form.intro.blocks.filter((b) => b.type !== 'actions'),
    SLACK_LIMITS.blocksPerView - inputs.length,
  );
  return {
    type: 'modal',
    callback_id: form.formId,
    private_metadata: seal.seal(userId, form.metadata),
    title: plain(form.title, 24),
    submit: plain(form.submitLabel, 24),
    close: plain(form.closeLabel, 24),
    blocks: [...intro, ...inputs],
  };
}

/** Field id → typed text, from a submitted view. */
export function formValuesFromView(view: ViewOutput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(view.state?.values ?? {})) {
    const v = actions[blockId] ?? Object.values(actions)[0];
    out[blockId] = typeof v?.value === 'string' ? v.value : '';
  }
  return out;
}

/** The message whose button was pressed, when it can be edited later (not ephemeral). */
export function pressedMessageRef(body: BlockAction): string | null {
  const c = body.container as
    | { type?: string; channel_id?: string; message_ts?: string; is_ephemeral?: boolean }
    | undefined;
  if (c?.type !== 'message' || c.is_ephemeral || !c.channel_id || !c.message_ts) return null;
  return encodeSlackRef(c.channel_id, c.message_ts);
}

/**
 * A submitted view's metadata when its seal holds for the person submitting; null (logged) when
 * it was changed on the way or is submitted by someone else.
 */
export function openFormMetadata(
  deps: SlackDeps,
  view: Pick<ViewOutput, 'private_metadata' | 'callback_id' | 'id'>,
  userId: string,
): string | null {
  const opened = deps.seal.open(userId, view.private_metadata);
  if (opened === null)
    deps.logger.warn({ form: view.callback_id, view: view.id, user: userId }, 'tampered form metadata refused');
  return opened;
}
