import { currentRequestId } from '../../adapters/observability/request-context.ts';
import type { DingTalkMessenger } from '../../adapters/messenger/dingtalk/dingtalk-messenger.adapter.ts';
import type { Message } from '../../core/messages/message.ts';
import type { BotDeps, Interaction } from '../interaction.ts';
import type { GuidedForms } from './guided-forms.ts';
import type { RobotMessage } from './robot-message.schema.ts';

// What the DingTalk handlers share, and the Interaction of a robot message or a card press.

export const DINGTALK = 'dingtalk';

export interface DingTalkBotDeps extends BotDeps {
  messenger: DingTalkMessenger;
  forms: GuidedForms;
  /** Wall clock in ms (sessionWebhook validity, request freshness). */
  now: () => number;
}

/** A sessionWebhook is used only while it has this much life left. */
const WEBHOOK_MARGIN_MS = 10_000;

/**
 * A robot message. Private replies to a one-to-one message go back through its sessionWebhook
 * while that is valid (no token, no API quota); otherwise, and for messages in a group (DingTalk
 * has no "only you can see this"), to the person's chat with the robot.
 */
export async function robotMessageInteraction(deps: DingTalkBotDeps, msg: RobotMessage): Promise<Interaction> {
  const userId = msg.senderStaffId ?? msg.senderId ?? '';
  const actor = await deps.membership.resolveActor(DINGTALK, userId);
  const locale = actor.ok ? actor.value.locale : deps.defaultLocale;
  const webhook = msg.sessionWebhook;
  const expires = msg.sessionWebhookExpiredTime ?? 0;
  return {
    platform: DINGTALK,
    userId,
    channelId: msg.conversationType === '2' ? msg.conversationId : null,
    actor,
    locale,
    messenger: deps.messenger,
    requestKey: `dingtalk:msg:${msg.msgId}`,
    requestId: currentRequestId(),
    async replyPrivately(message: Message): Promise<void> {
      if (msg.conversationType === '1' && webhook && expires - WEBHOOK_MARGIN_MS > deps.now()) {
        try {
          await deps.messenger.replyBySession(webhook, message);
          return;
        } catch (e) {
          deps.logger.warn({ err: (e as Error).message }, 'sessionWebhook reply failed; sending with the robot API');
        }
      }
      await deps.messenger.postPrivate(userId, message);
    },
  };
}

/** A button press on a card (or a form answered after one): replies go to the person's chat with the robot. */
export async function pressInteraction(
  deps: DingTalkBotDeps,
  userId: string,
  requestKey: string,
): Promise<Interaction> {
  const actor = await deps.membership.resolveActor(DINGTALK, userId);
  const locale = actor.ok ? actor.value.locale : deps.defaultLocale;
  return {
    platform: DINGTALK,
    userId,
    channelId: null,
    actor,
    locale,
    messenger: deps.messenger,
    requestKey,
    requestId: currentRequestId(),
    async replyPrivately(message: Message): Promise<void> {
      await deps.messenger.postPrivate(userId, message);
    },
  };
}
