import type { Block, Button, Inline, Message } from '../../../core/messages/message.ts';
import { assertNever } from '../../../rules/exhaustive.ts';

// Message descriptor → terminal text. Buttons become the command that presses them, so the
// console bot can be driven by typing: `[销号] (/press finding.verify F-2024-0001)`.

export interface ConsoleRenderOptions {
  /** ANSI bold/dim; off by default so that recorded output is plain. */
  ansi?: boolean;
  /** Display name for a mention; default: the user id. */
  userName?: (userId: string) => string;
  width?: number;
  /** How a button is pressed, shown after its label; default the full `/press <action> <value>`. */
  pressCommand?: (button: Button) => string;
}

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export function pressCommand(button: Pick<Button, 'actionId' | 'value'>): string {
  return `/press ${button.actionId} ${button.value}`;
}

/** Parse a line typed into the console: "/press <actionId> <value…>". */
export function parsePressCommand(line: string): { actionId: string; value: string } | null {
  const m = /^\s*\/press\s+(\S+)(?:\s+(.*?))?\s*$/.exec(line);
  return m ? { actionId: m[1]!, value: m[2] ?? '' } : null;
}

export function inlineToConsole(content: readonly Inline[], opts: ConsoleRenderOptions = {}): string {
  const name = opts.userName ?? ((id: string) => id);
  return content
    .map((i) => {
      switch (i.type) {
        case 'text':
          return i.text;
        case 'bold':
          return opts.ansi ? `${BOLD}${i.text}${RESET}` : i.text;
        case 'link':
          return i.text === i.url ? `<${i.url}>` : `${i.text} <${i.url}>`;
        case 'mention':
          return `@${name(i.userId)}`;
        default:
          return assertNever(i, 'inline type');
      }
    })
    .join('');
}

function renderBlock(block: Block, opts: ConsoleRenderOptions): string {
  const width = opts.width ?? 40;
  switch (block.type) {
    case 'header':
      return opts.ansi ? `${BOLD}== ${block.text} ==${RESET}` : `== ${block.text} ==`;
    case 'paragraph':
      return inlineToConsole(block.content, opts);
    case 'fields':
      return block.fields.map((f) => `${f.label}: ${inlineToConsole(f.value, opts)}`).join('\n');
    case 'list':
      return block.items
        .map(
          (item, i) => `  ${block.ordered ? `${i + 1}.` : '•'} ${inlineToConsole(item, opts).replace(/\n/g, '\n    ')}`,
        )
        .join('\n');
    case 'divider':
      return '─'.repeat(width);
    case 'context': {
      const line = inlineToConsole(block.content, opts);
      return opts.ansi ? `${DIM}${line}${RESET}` : line;
    }
    case 'actions':
      return block.buttons.map((b) => `[${b.label}] (${(opts.pressCommand ?? pressCommand)(b)})`).join('\n');
  }
}

export function renderConsoleText(message: Message, opts: ConsoleRenderOptions = {}): string {
  if (message.blocks.length === 0) return message.text;
  return message.blocks.map((b) => renderBlock(b, opts)).join('\n');
}
