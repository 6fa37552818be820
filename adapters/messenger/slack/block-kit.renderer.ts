import type { types as slack } from '@slack/bolt';
import type { Block, Button, Inline, Message } from '../../../core/messages/message.ts';
import { assertNever } from '../../../rules/exhaustive.ts';

// Message descriptor → Slack Block Kit. Limits from the Block Kit reference: header text 150,
// section text 3000, section field 2000 and at most 10 fields, button text 75, button value 2000,
// actions block 25 elements, 50 blocks per message and 100 per Home tab view.

export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  elementsPerActions: 25,
  blocksPerMessage: 50,
  blocksPerView: 100,
} as const;

export type SlackBlock = slack.KnownBlock;

export interface SlackMessagePayload {
  text: string;
  blocks: SlackBlock[];
}

/** Escape the three characters Slack treats as control characters in mrkdwn and `text`. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeUrl(url: string): string {
  // Inside <url|label> a raw '|' or '>' would end the URL; '&' must be entity-encoded.
  return url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
}

// mrkdwn only recognises *bold* at a word boundary: next to CJK characters or full-width
// punctuation (中文*粗体*中文) the asterisks show literally. A space restores the boundary.
const needsGap = (ch: string | undefined): boolean => ch !== undefined && !/[\s!-/:-@[-`{-~]/u.test(ch);

export function inlineToMrkdwn(content: readonly Inline[]): string {
  let out = '';
  content.forEach((node, i) => {
    switch (node.type) {
      case 'text':
        out += escapeMrkdwn(node.text);
        break;
      case 'bold': {
        const inner = node.text.trim().replace(/\*/g, '∗');
        if (inner === '') {
          out += escapeMrkdwn(node.text);
          break;
        }
        if (needsGap(out.at(-1))) out += ' ';
        out += `*${escapeMrkdwn(inner)}*`;
        const next = content[i + 1];
        const nextChar =
          next === undefined ? undefined : next.type === 'text' || next.type === 'bold' ? next.text[0] : '<';
        if (needsGap(nextChar)) out += ' ';
        break;
      }
      case 'link':
        out +=
          node.text === node.url ? `<${escapeUrl(node.url)}>` : `<${escapeUrl(node.url)}|${escapeMrkdwn(node.text)}>`;
        break;
      case 'mention':
        out += `<@${node.userId}>`;
        break;
      default:
        assertNever(node, 'inline type');
    }
  });
  return out;
}

function truncate(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

/** Split mrkdwn into pieces of at most `max` characters, preferring line breaks. */
function chunk(value: string, max: number): string[] {
  if (value.length <= max) return [value];
  const out: string[] = [];
  let current = '';
  for (const line of value.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current !== '') out.push(current);
    let rest = line;
    while (rest.length > max) {
      out.push(rest.slice(0, max));
      rest = rest.slice(max);
    }
    current = rest;
  }
  if (current !== '') out.push(current);
  return out;
}

const section = (mrkdwn: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text: mrkdwn } });

function renderButton(b: Button): slack.Button {
  if (b.value.length > SLACK_LIMITS.buttonValue)
    throw new Error(`button value longer than ${SLACK_LIMITS.buttonValue} characters (${b.actionId})`);
  if (b.actionId.length > SLACK_LIMITS.actionId)
    throw new Error(`action_id longer than ${SLACK_LIMITS.actionId} characters`);
  return {
    type: 'button',
    action_id: b.actionId,
    text: { type: 'plain_text', text: truncate(b.label, SLACK_LIMITS.buttonText), emoji: true },
    value: b.value,
    ...(b.style ? { style: b.style } : {}),
  };
}

export function renderBlock(block: Block): SlackBlock[] {
  switch (block.type) {
    case 'header':
      return [
        {
          type: 'header',
          text: { type: 'plain_text', text: truncate(block.text, SLACK_LIMITS.headerText), emoji: true },
        },
      ];
    case 'paragraph':
      return chunk(inlineToMrkdwn(block.content), SLACK_LIMITS.sectionText).map(section);
    case 'list': {
      const lines = block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '•'} ${inlineToMrkdwn(item)}`);
      return chunk(lines.join('\n'), SLACK_LIMITS.sectionText).map(section);
    }
    case 'fields': {
      const out: SlackBlock[] = [];
      for (let i = 0; i < block.fields.length; i += SLACK_LIMITS.fieldsPerSection) {
        out.push({
          type: 'section',
          fields: block.fields.slice(i, i + SLACK_LIMITS.fieldsPerSection).map((f) => {
            const value = inlineToMrkdwn(f.value);
            const label = `*${escapeMrkdwn(f.label.replace(/\*/g, '∗'))}*`;
            return {
              type: 'mrkdwn' as const,
              text: truncate(value === '' ? label : `${label}\n${value}`, SLACK_LIMITS.fieldText),
            };
          }),
        });
      }
      return out;
    }
    case 'divider':
      return [{ type: 'divider' }];
    case 'context':
      return [
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: truncate(inlineToMrkdwn(block.content), SLACK_LIMITS.contextText) }],
        },
      ];
    case 'actions': {
      const out: SlackBlock[] = [];
      for (let i = 0; i < block.buttons.length; i += SLACK_LIMITS.elementsPerActions) {
        out.push({
          type: 'actions',
          elements: block.buttons.slice(i, i + SLACK_LIMITS.elementsPerActions).map(renderButton),
        });
      }
      return out;
    }
  }
}

/** Render to blocks, cut to `maxBlocks` with a final "⋯ +N" context line when too long. */
export function renderBlocks(
  blocks: readonly Block[],
  maxBlocks: number = SLACK_LIMITS.blocksPerMessage,
): SlackBlock[] {
  const all = blocks.flatMap(renderBlock);
  if (all.length <= maxBlocks) return all;
  const kept = all.slice(0, maxBlocks - 1);
  return [...kept, { type: 'context', elements: [{ type: 'mrkdwn', text: `⋯ +${all.length - kept.length}` }] }];
}

/**
 * The notification text: the message's plain fallback, escaped, with "@<userId>" of the
 * message's mentions turned into real Slack mentions.
 */
export function renderFallbackText(message: Message): string {
  let out = escapeMrkdwn(message.text);
  for (const id of message.mentions) {
    const safe = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(^|[^<\\w])@${safe}(?![A-Za-z0-9])`, 'g'), `$1<@${id}>`);
  }
  return out;
}

/** chat.postMessage / chat.update / chat.postEphemeral arguments (text + blocks). */
export function renderSlackMessage(message: Message): SlackMessagePayload {
  return { text: renderFallbackText(message), blocks: renderBlocks(message.blocks) };
}

/** views.publish `view` for the App Home tab. */
export function renderSlackHomeView(message: Message): slack.HomeView {
  return { type: 'home', blocks: renderBlocks(message.blocks, SLACK_LIMITS.blocksPerView) };
}
