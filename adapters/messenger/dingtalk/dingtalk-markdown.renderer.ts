import type { Block, Button, Inline, Message } from '../../../core/messages/message.ts';
import { assertNever } from '../../../rules/exhaustive.ts';

// Message descriptor → DingTalk robot message (the `msgtype` body accepted by group webhooks,
// robot one-to-one/group send APIs and sessionWebhook replies).
//
// - markdown: `{ msgtype: 'markdown', markdown: { title, text }, at: { atUserIds } }`. A mention
//   only notifies when the user id is in at.atUserIds AND "@<userId>" appears in the text.
// - actionCard: `{ msgtype: 'actionCard', actionCard: { title, text, btnOrientation, btns } }`.
//   Buttons are links; `dtmd://dingtalkclient/sendMessage?content=…` makes the client send the
//   content as the user's own message, which the bot then receives like a typed command
//   ("/press <actionId> <value>"). In group chats the robot only receives messages that @ it,
//   so such buttons are reliable in one-to-one chats. actionCard has no `at`: a message with
//   mentions is sent as markdown, with its buttons as links in the text.

export interface DingTalkMarkdownMessage {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
  at: { atUserIds: string[]; isAtAll: false };
}

export interface DingTalkActionCardMessage {
  msgtype: 'actionCard';
  actionCard: {
    title: string;
    text: string;
    btnOrientation: '0' | '1';
    btns: Array<{ title: string; actionURL: string }>;
  };
}

export type DingTalkMessage = DingTalkMarkdownMessage | DingTalkActionCardMessage;

const LINE_BREAK = '  \n';

/** The command a button sends when pressed (same syntax as the console). */
export function dingTalkPressUrl(button: Pick<Button, 'actionId' | 'value'>): string {
  return `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(`/press ${button.actionId} ${button.value}`)}`;
}

export function inlineToDingTalkMarkdown(content: readonly Inline[]): string {
  return content
    .map((i) => {
      switch (i.type) {
        case 'text':
          return i.text.replace(/\n/g, LINE_BREAK);
        case 'bold':
          return i.text.trim() === '' ? i.text : `**${i.text.trim()}**`;
        case 'link':
          return `[${i.text.replace(/[[\]]/g, '')}](${i.url.replace(/\)/g, '%29').replace(/ /g, '%20')})`;
        case 'mention':
          return `@${i.userId}`;
        default:
          return assertNever(i, 'inline type');
      }
    })
    .join('');
}

function renderBlock(block: Block, buttonsAsLinks: boolean): string | null {
  switch (block.type) {
    case 'header':
      return `### ${block.text}`;
    case 'paragraph':
      return inlineToDingTalkMarkdown(block.content);
    case 'fields':
      return block.fields.map((f) => `- **${f.label}**：${inlineToDingTalkMarkdown(f.value)}`).join('\n');
    case 'list':
      return block.items
        .map((item, i) => `${block.ordered ? `${i + 1}.` : '-'} ${inlineToDingTalkMarkdown(item)}`)
        .join('\n');
    case 'divider':
      return '---';
    case 'context':
      return `> ${inlineToDingTalkMarkdown(block.content)}`;
    case 'actions':
      return buttonsAsLinks ? block.buttons.map((b) => `[${b.label}](${dingTalkPressUrl(b)})`).join('　') : null;
  }
}

export function titleOf(message: Message): string {
  const head = message.blocks.find((b) => b.type === 'header');
  const title = head?.type === 'header' ? head.text : (message.text.split('\n')[0] ?? '');
  return [...title].slice(0, 64).join('');
}

/** The message's blocks as DingTalk markdown; buttons as press links, or left out. */
export function renderDingTalkMarkdown(message: Message, opts: { buttonsAsLinks: boolean }): string {
  return message.blocks
    .map((b) => renderBlock(b, opts.buttonsAsLinks))
    .filter((s): s is string => s !== null && s !== '')
    .join('\n\n');
}

export function renderDingTalkMessage(message: Message): DingTalkMessage {
  const buttons = message.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
  const asCard = buttons.length > 0 && message.mentions.length === 0;
  const text = renderDingTalkMarkdown(message, { buttonsAsLinks: !asCard });
  const title = titleOf(message);
  if (asCard) {
    return {
      msgtype: 'actionCard',
      actionCard: {
        title,
        text,
        btnOrientation: buttons.length <= 2 ? '1' : '0',
        btns: buttons.map((b) => ({ title: b.label, actionURL: dingTalkPressUrl(b) })),
      },
    };
  }
  return {
    msgtype: 'markdown',
    markdown: { title, text: text === '' ? message.text : text },
    at: { atUserIds: [...message.mentions], isAtAll: false },
  };
}
