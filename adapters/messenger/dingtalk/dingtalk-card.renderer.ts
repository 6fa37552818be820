import type { Message } from '../../../core/messages/message.ts';
import { renderDingTalkMarkdown, titleOf } from './dingtalk-markdown.renderer.ts';

// Message descriptor → the variables of kaoping's interactive card template (互动卡片, see README
// "DingTalk"). DingTalk requires every cardParamMap value to be a string, so the buttons travel
// as a JSON string that the template loops over; each button's callback params are
// { action: <actionId>, value: <value> }, which the bot routes like a Slack button press.

export interface CardButton {
  text: string;
  /** The action id (Slack action_id, console /press). */
  action: string;
  value: string;
  /** Template colour names. */
  color: 'blue' | 'red' | 'gray';
}

export interface KaopingCardParams {
  title: string;
  /** The body, DingTalk markdown (mentions as @userId, which the deliver model's atUserIds makes real). */
  markdown: string;
  /** JSON of CardButton[]; '[]' when the card has none. */
  buttons: string;
  /** Plain fallback (notification preview). */
  summary: string;
  [key: string]: string;
}

export function renderKaopingCard(message: Message): KaopingCardParams {
  const buttons: CardButton[] = message.blocks.flatMap((b) =>
    b.type === 'actions'
      ? b.buttons.map((x) => ({
          text: x.label,
          action: x.actionId,
          value: x.value,
          color:
            x.style === 'danger' ? ('red' as const) : x.style === 'primary' ? ('blue' as const) : ('gray' as const),
        }))
      : [],
  );
  const markdown = renderDingTalkMarkdown(message, { buttonsAsLinks: false });
  return {
    title: titleOf(message),
    markdown: markdown === '' ? message.text : markdown,
    buttons: JSON.stringify(buttons),
    summary: message.text,
  };
}
