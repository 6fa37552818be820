import { createHash, randomUUID } from 'node:crypto';
import type { Message } from '../../../core/messages/message.ts';
import {
  fileTooLarge,
  MessengerError,
  type FileDestination,
  type OutgoingFile,
  type SentFile,
  recipientChannelId,
  recipientUserId,
  type MessageRef,
  type MessengerPort,
  type Posted,
  type PostedPrivate,
  type PrivateRecipient,
} from '../../../core/ports/messenger.port.ts';
import { type DingTalkApiClient, requiredText } from './dingtalk-api.client.ts';
import { renderKaopingCard } from './dingtalk-card.renderer.ts';
import { PLATFORM, toDingTalkError } from './dingtalk-errors.ts';
import { renderDingTalkMarkdown, renderDingTalkMessage, titleOf } from './dingtalk-markdown.renderer.ts';

// MessengerPort over DingTalk's robot. Everything posted is an interactive card (卡片平台
// createAndDeliver) because only cards can be (a) updated later — the unit's notice changes
// when a rectification is submitted or verified — (b) pressed in a group chat (card callbacks
// reach the bot; a robot only receives group messages that @ it), and (c) @-mention people in a
// group through the API (imGroupOpenDeliverModel.atUserIds; the robot's plain group send cannot).
// Channel ids are openConversationIds (the `conversationId` of a robot callback); user ids are
// DingTalk userIds (`senderStaffId`). Refs are "dingtalk:<outTrackId>".

export interface DingTalkMessengerConfig {
  /** The robot's code (for an enterprise-internal app: its AppKey). */
  robotCode: string;
  /** kaoping's card template (README "DingTalk": the variables it must bind). */
  cardTemplateId: string;
  /** How DingTalk delivers card button presses: over the Stream connection or to an HTTP URL. */
  callbackType: 'STREAM' | 'HTTP';
  /** With HTTP callbacks: the route key registered for the callback URL. */
  callbackRouteKey?: string | undefined;
  /**
   * The app's AgentId: when set, a private message without buttons (detail to read, nothing to
   * press) goes as a work notification (工作通知) instead of a card in the chat with the robot.
   */
  workNoticeAgentId?: string | undefined;
}

const REF = /^dingtalk:([A-Za-z0-9_-]{1,100})$/;

/** DingTalk's media store takes images and files up to 20 MB. */
export const DINGTALK_MAX_FILE_BYTES = 20 * 1024 * 1024;

export class DingTalkMessenger implements MessengerPort {
  readonly platform = PLATFORM;
  readonly maxFileBytes: number;

  constructor(
    private readonly api: DingTalkApiClient,
    private readonly config: DingTalkMessengerConfig,
    opts: { maxFileBytes?: number } = {},
  ) {
    this.maxFileBytes = opts.maxFileBytes ?? DINGTALK_MAX_FILE_BYTES;
  }

  /**
   * Where to fetch a file a person sent the robot (a message of msgtype file carries its
   * downloadCode): robot/messageFiles/download answers a short-lived URL that needs no token.
   */
  async messageFileUrl(downloadCode: string): Promise<string> {
    const operation = 'robot.messageFiles.download';
    const answer = await this.api.call(operation, 'POST', '/v1.0/robot/messageFiles/download', {
      downloadCode,
      robotCode: this.config.robotCode,
    });
    return requiredText(answer, 'downloadUrl', operation);
  }

  /**
   * A file is uploaded to the media store, then sent by the robot as an image message
   * (sampleImageMsg: a mediaId works as its photoURL) or a file message (sampleFile) — into a group
   * (robot/groupMessages/send) or one person's chat with the robot (robot/oToMessages/batchSend).
   */
  async sendFile(to: FileDestination, file: OutgoingFile): Promise<SentFile> {
    if (file.bytes.byteLength > this.maxFileBytes)
      throw fileTooLarge(PLATFORM, 'media.upload', file.bytes.byteLength, this.maxFileBytes);
    const mediaId = await this.api.uploadMedia(file.kind, file.filename, file.bytes);
    const extension = /\.([A-Za-z0-9]{1,8})$/.exec(file.filename)?.[1]?.toLowerCase() ?? 'bin';
    const msg =
      file.kind === 'image'
        ? { msgKey: 'sampleImageMsg', msgParam: JSON.stringify({ photoURL: mediaId }) }
        : {
            msgKey: 'sampleFile',
            msgParam: JSON.stringify({ mediaId, fileName: file.filename, fileType: extension }),
          };
    if ('channelId' in to)
      await this.api.call('robot.groupMessages.send', 'POST', '/v1.0/robot/groupMessages/send', {
        robotCode: this.config.robotCode,
        openConversationId: to.channelId,
        ...msg,
      });
    else
      await this.api.call('robot.oToMessages.batchSend', 'POST', '/v1.0/robot/oToMessages/batchSend', {
        robotCode: this.config.robotCode,
        userIds: [to.userId],
        ...msg,
      });
    return { fileId: mediaId };
  }

  async postToChannel(channelId: string, message: Message): Promise<Posted> {
    const outTrackId = newTrackId();
    await this.#deliver(outTrackId, message, {
      openSpaceId: `dtv1.card//IM_GROUP.${channelId}`,
      imGroupOpenSpaceModel: { supportForward: false },
      imGroupOpenDeliverModel: {
        robotCode: this.config.robotCode,
        // the value is the name DingTalk shows after '@'; the id is what notifies
        ...(message.mentions.length > 0 ? { atUserIds: Object.fromEntries(message.mentions.map((u) => [u, u])) } : {}),
      },
    });
    return { ref: `dingtalk:${outTrackId}` };
  }

  /**
   * One-to-one with the robot. DingTalk has no "only you can see this" in a group, so a private
   * message with a channel goes to the person's chat with the robot as well (ref null, as the
   * port says for such messages).
   */
  async postPrivate(to: PrivateRecipient, message: Message): Promise<PostedPrivate> {
    const agentId = this.config.workNoticeAgentId;
    if (agentId && recipientChannelId(to) === undefined && !hasButtons(message)) {
      await this.#workNotice(agentId, recipientUserId(to), message);
      return { ref: null }; // a work notification cannot be edited afterwards
    }
    const outTrackId = newTrackId();
    await this.#deliverToUser(outTrackId, recipientUserId(to), message);
    return { ref: recipientChannelId(to) === undefined ? `dingtalk:${outTrackId}` : null };
  }

  async updateMessage(ref: MessageRef, message: Message): Promise<void> {
    const m = REF.exec(ref);
    if (!m)
      throw new MessengerError(`not a DingTalk message ref: "${ref}"`, {
        code: 'invalid_ref',
        permanent: true,
        platform: PLATFORM,
        operation: 'card.update',
      });
    await this.api.call('card.update', 'PUT', '/v1.0/card/instances', {
      outTrackId: m[1],
      cardData: { cardParamMap: renderKaopingCard(message) },
      cardUpdateOptions: { updateCardDataByKey: true },
      userIdType: 1,
    });
  }

  /**
   * DingTalk has no home tab: each person's "home" is one card in their chat with the robot,
   * updated in place (created the first time).
   */
  async publishHome(userId: string, message: Message): Promise<void> {
    const outTrackId = `kp-home-${createHash('sha256').update(userId).digest('hex').slice(0, 32)}`;
    try {
      await this.updateMessage(`dingtalk:${outTrackId}`, message);
    } catch (e) {
      if (!(e instanceof MessengerError) || e.code !== 'message_not_found') throw e;
      await this.#deliverToUser(outTrackId, userId, message);
    }
  }

  /** A reply through a callback's sessionWebhook (no token, valid ~90 minutes): markdown, real @s. */
  async replyBySession(sessionWebhook: string, message: Message): Promise<void> {
    await this.api.postSessionWebhook(sessionWebhook, renderDingTalkMessage(message));
  }

  /**
   * 工作通知 (oapi topapi/message/corpconversation/asyncsend_v2): shown under the app in the
   * person's work notifications, markdown with real formatting; buttons could only be links there,
   * so messages with buttons never come this way. DingTalk answers with a task id and delivers
   * asynchronously; a refusal (an unknown user, a missing permission) comes back as errcode.
   */
  async #workNotice(agentId: string, userId: string, message: Message): Promise<void> {
    await this.api.callOapi('workNotice.send', '/topapi/message/corpconversation/asyncsend_v2', {
      agent_id: /^\d+$/.test(agentId) ? Number(agentId) : agentId,
      userid_list: userId,
      msg: {
        msgtype: 'markdown',
        markdown: {
          title: titleOf(message),
          text: renderDingTalkMarkdown(message, { buttonsAsLinks: false }) || message.text,
        },
      },
    });
  }

  #deliverToUser(outTrackId: string, userId: string, message: Message): Promise<void> {
    return this.#deliver(outTrackId, message, {
      openSpaceId: `dtv1.card//IM_ROBOT.${userId}`,
      imRobotOpenSpaceModel: { supportForward: false },
      imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: this.config.robotCode },
    });
  }

  async #deliver(outTrackId: string, message: Message, space: Record<string, unknown>): Promise<void> {
    const operation = 'card.createAndDeliver';
    const res = await this.api.call(operation, 'POST', '/v1.0/card/instances/createAndDeliver', {
      cardTemplateId: this.config.cardTemplateId,
      outTrackId,
      callbackType: this.config.callbackType,
      ...(this.config.callbackType === 'HTTP' && this.config.callbackRouteKey
        ? { callbackRouteKey: this.config.callbackRouteKey }
        : {}),
      cardData: { cardParamMap: renderKaopingCard(message) },
      userIdType: 1,
      ...space,
    });
    // HTTP 200 can still carry a failed delivery per space.
    const result = res.result as { deliverResults?: Array<{ success?: boolean; errorMsg?: string }> } | undefined;
    const results = result?.deliverResults ?? [];
    const failed = results.find((r) => r.success === false);
    if (failed) {
      const msg = String(failed.errorMsg ?? 'delivery failed');
      throw toDingTalkError({ operation, status: 200, code: deliveryCode(msg), message: msg });
    }
  }
}

function hasButtons(message: Message): boolean {
  return message.blocks.some((b) => b.type === 'actions' && b.buttons.length > 0);
}

function newTrackId(): string {
  return `kp-${randomUUID()}`;
}

/** A per-space delivery failure has only a message: name the two cases callers act on. */
function deliveryCode(msg: string): string {
  if (/(conversation|群|openConversationId)/i.test(msg)) return 'channel_not_found';
  if (/(user|用户)/i.test(msg)) return 'user_not_found';
  return 'delivery_failed';
}
