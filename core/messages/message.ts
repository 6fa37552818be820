// Platform-neutral message descriptors. Core and worker build these; the adapters render them
// (Slack Block Kit, console text, DingTalk markdown). Texts come from the i18n catalogs: nothing
// here knows a language, and nothing here knows a platform.
import { assertNever } from '../../rules/exhaustive.ts';

/** Inline content of a paragraph, field value, list item or context line ("markdown-lite"). */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'bold'; text: string }
  | { type: 'link'; url: string; text: string }
  | { type: 'mention'; userId: string };

/** What the builders accept for inline content: plain strings are text. */
export type InlineInput = Inline | string;

export type ButtonStyle = 'primary' | 'danger';

export interface Button {
  label: string;
  /** Routed by the bot (Slack `action_id`, console `/press <actionId>`). Unique within one actions block. */
  actionId: string;
  /** Opaque payload handed back when pressed (a finding id, usually). At most 2000 characters. */
  value: string;
  style?: ButtonStyle;
}

export interface Field {
  label: string;
  value: Inline[];
}

export type Block =
  | { type: 'header'; text: string }
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'fields'; fields: Field[] }
  | { type: 'list'; items: Inline[][]; ordered: boolean }
  | { type: 'divider' }
  | { type: 'context'; content: Inline[] }
  | { type: 'actions'; buttons: Button[] };

export interface Message {
  /** Plain fallback text: notifications, screen readers, platforms without blocks. */
  text: string;
  blocks: Block[];
  /** Every user mentioned anywhere in the blocks, in order of first appearance (DingTalk needs them apart). */
  mentions: string[];
}

// ---- inline elements ---------------------------------------------------------------------------

export const text = (value: string): Inline => ({ type: 'text', text: value });
export const bold = (value: string): Inline => ({ type: 'bold', text: value });
export const link = (url: string, label?: string): Inline => ({ type: 'link', url, text: label ?? url });
export const mention = (userId: string): Inline => ({ type: 'mention', userId });

export function inlines(parts: readonly InlineInput[]): Inline[] {
  const out: Inline[] = [];
  for (const p of parts) {
    const node = typeof p === 'string' ? text(p) : p;
    if ((node.type === 'text' || node.type === 'bold') && node.text === '') continue;
    out.push(node);
  }
  return out;
}

// ---- blocks ------------------------------------------------------------------------------------

export const header = (value: string): Block => ({ type: 'header', text: value });
export const paragraph = (...parts: InlineInput[]): Block => ({ type: 'paragraph', content: inlines(parts) });
export const context = (...parts: InlineInput[]): Block => ({ type: 'context', content: inlines(parts) });
export const divider = (): Block => ({ type: 'divider' });

export function field(label: string, ...value: InlineInput[]): Field {
  return { label, value: inlines(value) };
}

export function fields(...items: Field[]): Block {
  return { type: 'fields', fields: items };
}

export function list(
  items: ReadonlyArray<InlineInput | readonly InlineInput[]>,
  opts: { ordered?: boolean } = {},
): Block {
  return {
    type: 'list',
    ordered: opts.ordered ?? false,
    items: items.map((item) => inlines(Array.isArray(item) ? (item as readonly InlineInput[]) : [item as InlineInput])),
  };
}

export function button(label: string, actionId: string, value: string, style?: ButtonStyle): Button {
  return style ? { label, actionId, value, style } : { label, actionId, value };
}

/** Throws on a programming error: two buttons with one actionId in a block cannot be told apart. */
export function actions(...buttons: Button[]): Block {
  const seen = new Set<string>();
  for (const b of buttons) {
    if (seen.has(b.actionId)) throw new Error(`duplicate actionId "${b.actionId}" in one actions block`);
    seen.add(b.actionId);
  }
  return { type: 'actions', buttons };
}

// ---- message -----------------------------------------------------------------------------------

/**
 * Build a message. `text` is the fallback shown in notifications; when omitted it is derived
 * from the header and the first paragraph. Empty blocks (a paragraph of nothing) are dropped.
 */
export function message(
  blocks: ReadonlyArray<Block | null | undefined | false>,
  opts: { text?: string } = {},
): Message {
  const kept = blocks.filter((b): b is Block => Boolean(b) && !isEmptyBlock(b as Block));
  return { text: opts.text ?? fallbackText(kept), blocks: kept, mentions: collectMentions(kept) };
}

function isEmptyBlock(b: Block): boolean {
  switch (b.type) {
    case 'paragraph':
    case 'context':
      return b.content.length === 0;
    case 'fields':
      return b.fields.length === 0;
    case 'list':
      return b.items.length === 0;
    case 'actions':
      return b.buttons.length === 0;
    case 'header':
      return b.text === '';
    case 'divider':
      return false;
  }
}

export function collectMentions(blocks: readonly Block[]): string[] {
  const out = new Set<string>();
  const visit = (content: readonly Inline[]) => {
    for (const i of content) if (i.type === 'mention') out.add(i.userId);
  };
  for (const b of blocks) {
    switch (b.type) {
      case 'paragraph':
      case 'context':
        visit(b.content);
        break;
      case 'fields':
        for (const f of b.fields) visit(f.value);
        break;
      case 'list':
        for (const item of b.items) visit(item);
        break;
      case 'actions':
      case 'header':
      case 'divider':
        break; // no inline content
      default:
        assertNever(b, 'block type');
    }
  }
  return [...out];
}

/** Plain rendering of inline content; mentions become "@<name>" through `userName`. */
export function inlineToPlain(content: readonly Inline[], userName: (userId: string) => string = (id) => id): string {
  return content
    .map((i) => {
      switch (i.type) {
        case 'text':
        case 'bold':
          return i.text;
        case 'link':
          return i.text === i.url ? i.url : `${i.text} (${i.url})`;
        case 'mention':
          return `@${userName(i.userId)}`;
        default:
          return assertNever(i, 'inline type');
      }
    })
    .join('');
}

/** Header and first paragraph, joined: a short one-line-ish summary for notifications. */
export function fallbackText(blocks: readonly Block[]): string {
  const parts: string[] = [];
  const head = blocks.find((b) => b.type === 'header');
  if (head?.type === 'header') parts.push(head.text);
  const para = blocks.find((b) => b.type === 'paragraph');
  if (para?.type === 'paragraph') parts.push(inlineToPlain(para.content));
  if (parts.length === 0) {
    const any = blocks.find((b) => b.type === 'context' || b.type === 'list' || b.type === 'fields');
    if (any?.type === 'context') parts.push(inlineToPlain(any.content));
    else if (any?.type === 'list') parts.push(any.items.map((i) => inlineToPlain(i)).join('; '));
    else if (any?.type === 'fields')
      parts.push(any.fields.map((f) => `${f.label}: ${inlineToPlain(f.value)}`).join('; '));
  }
  return parts.join('\n');
}
