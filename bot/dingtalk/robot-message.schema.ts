import { z } from 'zod';

// What DingTalk sends the robot (HTTP callback body = Stream frame `data`) and what a card
// button press carries, checked with zod. Only the fields kaoping reads are required; DingTalk
// adds fields over time and they are kept (loose). The published Stream example even misspells
// createAt ("createA"), so nothing here depends on it.

const atUser = z.object({ dingtalkId: z.string(), staffId: z.string().optional() }).loose();

export const robotMessageSchema = z
  .object({
    msgId: z.string().min(1).max(200),
    conversationId: z.string().min(1).max(200),
    /** '1' one to one, '2' group */
    conversationType: z.enum(['1', '2']),
    conversationTitle: z.string().optional(),
    chatbotUserId: z.string().optional(),
    senderId: z.string().optional(),
    /** The sender's userId in the organisation; absent for people outside it. */
    senderStaffId: z.string().min(1).max(200).optional(),
    senderNick: z.string().optional(),
    sessionWebhook: z.string().optional(),
    sessionWebhookExpiredTime: z.number().optional(),
    atUsers: z.array(atUser).optional(),
    isInAtList: z.boolean().optional(),
    msgtype: z.string(),
    text: z.object({ content: z.string() }).loose().optional(),
    content: z
      .object({ richText: z.array(z.object({ text: z.string().optional() }).loose()).optional() })
      .loose()
      .optional(),
  })
  .loose();

export type RobotMessage = z.infer<typeof robotMessageSchema>;

/** `content` (event-callback doc) or `value` (card send/update doc) — a JSON string either way. */
export const cardCallbackSchema = z
  .object({
    outTrackId: z.string().min(1).max(200),
    userId: z.string().min(1).max(200),
    corpId: z.string().optional(),
    content: z.string().optional(),
    value: z.string().optional(),
  })
  .loose();

export type CardCallback = z.infer<typeof cardCallbackSchema>;

const pressParams = z.object({ action: z.string().min(1).max(100), value: z.string().max(2000).default('') }).loose();

/**
 * The button's params ({ action, value } in kaoping's template). The docs print them inside
 * cardPrivateData and, in one example, beside it: both are read.
 */
export function cardPress(cb: CardCallback): { action: string; value: string } | null {
  const raw = cb.content ?? cb.value;
  if (!raw) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  const p = parsed as { cardPrivateData?: { params?: unknown }; params?: unknown };
  const r = pressParams.safeParse(p.cardPrivateData?.params ?? p.params);
  return r.success ? { action: r.data.action, value: r.data.value } : null;
}
