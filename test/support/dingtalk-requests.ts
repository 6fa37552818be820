import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cardCallbackSign, robotSign } from '../../bot/dingtalk/signature.ts';
import { sharedDir } from './slack-requests.ts';

// Requests to the DingTalk bot built from the real samples in ../shared/real-payloads/dingtalk/
// (only the fields a test needs are replaced) and signed as DingTalk signs them.

export const REAL_DINGTALK = `${path.join(sharedDir, 'real-payloads', 'dingtalk')}/`;

export function sample<T = Record<string, any>>(name: string): T {
  return JSON.parse(readFileSync(`${REAL_DINGTALK}${name}`, 'utf8')) as T;
}

export const ROBOT_USER_ID = '$:LWCP_v1:$kaopingrobot';

export interface MessageOptions {
  msgId: string;
  text: string;
  /** The sender's DingTalk userId (senderStaffId). */
  from: string;
  sessionWebhook: string;
  /** Group: its openConversationId. */
  conversationId?: string;
  conversationTitle?: string;
  /** Other people @-mentioned besides the robot (userIds). */
  mentions?: string[];
  now?: number;
}

/** A group message that @-mentions the robot (http_callback.group_at.body.json). */
export function groupMessage(o: MessageOptions & { conversationId: string }): Record<string, any> {
  const now = o.now ?? Date.now();
  return {
    ...sample('http_callback.group_at.body.json'),
    msgId: o.msgId,
    conversationId: o.conversationId,
    conversationTitle: o.conversationTitle ?? '市公安局考评群',
    chatbotUserId: ROBOT_USER_ID,
    atUsers: [
      { dingtalkId: ROBOT_USER_ID },
      ...(o.mentions ?? []).map((u) => ({ dingtalkId: `$:LWCP_v1:$${u}`, staffId: u })),
    ],
    senderStaffId: o.from,
    senderNick: o.from,
    // DingTalk takes the @robot (and other @names) out of the text; the leading space stays
    text: { content: ` ${o.text}` },
    sessionWebhook: o.sessionWebhook,
    sessionWebhookExpiredTime: now + 90 * 60_000,
    createAt: now,
  };
}

/** A one-to-one text message (robot_message.one_to_one.text.json). */
export function directMessage(o: MessageOptions): Record<string, any> {
  const now = o.now ?? Date.now();
  return {
    ...sample('robot_message.one_to_one.text.json'),
    msgId: o.msgId,
    conversationId: `cid-dm-${o.from}`,
    senderStaffId: o.from,
    text: { content: o.text },
    sessionWebhook: o.sessionWebhook,
    sessionWebhookExpiredTime: now + 90 * 60_000,
    createAt: now,
  };
}

/** A one-to-one file message (robot_message.one_to_one.file.json) with a downloadCode. */
export function fileMessage(o: Omit<MessageOptions, 'text'> & { fileName: string; downloadCode: string }) {
  const now = o.now ?? Date.now();
  const s = sample('robot_message.one_to_one.file.json');
  return {
    ...s,
    msgId: o.msgId,
    conversationId: `cid-dm-${o.from}`,
    senderStaffId: o.from,
    content: { ...s.content, fileName: o.fileName, downloadCode: o.downloadCode },
    sessionWebhook: o.sessionWebhook,
    sessionWebhookExpiredTime: now + 90 * 60_000,
    createAt: now,
  };
}

/** A card button press (card_callback.http.body.json) with kaoping's { action, value } params. */
export function cardPress(o: { outTrackId: string; userId: string; action: string; value: string }) {
  return {
    ...sample('card_callback.http.body.json'),
    outTrackId: o.outTrackId,
    userId: o.userId,
    content: JSON.stringify({ cardPrivateData: { actionIds: ['1'], params: { action: o.action, value: o.value } } }),
  };
}

export function robotHeaders(appSecret: string, timestamp: number = Date.now()): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    timestamp: String(timestamp),
    sign: robotSign(String(timestamp), appSecret),
  };
}

export function cardHeaders(apiSecret: string, timestamp: number = Date.now()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-ddpaas-signature-timestamp': String(timestamp),
    'x-ddpaas-signature': cardCallbackSign(String(timestamp), apiSecret),
  };
}

export async function post(url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}
