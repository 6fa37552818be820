import type { Block, Inline, Message } from '../../../core/messages/message.ts';
import type { PrismaClient } from '../../../prisma/client.ts';

// What the command-level conformance suite (test/bot/command-conformance.test.ts) asks of a
// platform: type a command as someone, press a button someone received, fill the form a press
// opened — each through the platform's real entry (console session, Slack HTTP receiver, DingTalk
// callback) — and read back what was delivered, normalised to the same shape whatever the
// platform: who or where it went, its words, the people it @-mentions, its buttons.

/** The people of the scenarios (the same roles on every platform, each with its platform's id). */
export type Person = 'organiser' | 'inspector' | 'contact' | 'contact2';

/** The unit of the scenarios; its contacts are `contact` and `contact2`, its group is bound. */
export const UNIT = '市公安局';
/** Today in every driver (a Monday in October 2017). */
export const TODAY = '2017-10-09T10:00:00+08:00';

export interface Delivered {
  /** A person (private reply, direct message) or the unit's group. */
  to: Person | 'unit-group';
  /** An edit of a message delivered before (Slack chat.update, DingTalk card update, console update). */
  updated: boolean;
  /** The words, normalised (normalise below); mentions written @<person>. */
  text: string;
  mentions: Person[];
  buttons: Array<{ action: string; value: string }>;
}

export interface CommandDriver {
  readonly platform: 'console' | 'slack' | 'dingtalk';
  /** The platform's store (one database per driver). */
  readonly prisma: PrismaClient;
  /** A command typed by a person where they work (Slack: a channel; DingTalk: one to one; console: /as first). */
  command(who: Person, text: string): Promise<void>;
  /** The last command delivered again by the platform (Slack and DingTalk retry); null on the console, which never does. */
  readonly redeliverLast: (() => Promise<void>) | null;
  /** A button pressed, on the message it was delivered in. */
  press(who: Person, button: { action: string; value: string }, on: Delivered): Promise<void>;
  /** The form the last press opened, answered item by item in the form's order ('' leaves an optional item empty). */
  fillForm(who: Person, answers: readonly string[]): Promise<void>;
  /** What was delivered since the last call, normalised. */
  take(): Delivered[];
  close(): Promise<void>;
}

/** Platform markup → plain words: Slack mrkdwn and entities, DingTalk markdown, whitespace. */
export function normalise(s: string, people: ReadonlyMap<string, Person> = new Map()): string {
  let out = s
    .replace(/\[[^\]]*\]\(dtmd:[^)\s]*\)/g, ' ') // a DingTalk link button: compared by its action
    .replace(/<@([A-Za-z0-9_-]+)(?:\|[^>]*)?>/g, '@$1') // Slack mention
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1') // Slack channel
    .replace(/<((?:https?|dtmd):[^|>]+)\|([^>]+)>/g, '$2') // Slack link with text
    .replace(/<((?:https?|dtmd):[^>]+)>/g, '$1')
    .replace(/\[([^\]]*)\]\((?:[^()\s]|\([^)\s]*\))*\)/g, '$1') // markdown link
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  // people by their platform id, longest first (one id may start another)
  for (const [id, person] of [...people].sort((a, b) => b[0].length - a[0].length))
    out = out.split(`@${id}`).join(`@<${person}>`);
  return out
    .replace(/(^|\n)\s*(#{1,6}|>|-)\s+/g, '$1') // markdown headings, quotes, list bullets
    .replace(/\*\*|[*_~`]/g, '') // emphasis
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a platform-neutral message, as a platform would show them (the console's side). */
export function messageWords(m: Message): string {
  const inline = (c: readonly Inline[]) =>
    c.map((i) => (i.type === 'mention' ? `@${i.userId}` : i.type === 'link' ? i.text : i.text)).join('');
  const block = (b: Block): string => {
    switch (b.type) {
      case 'header':
        return b.text;
      case 'paragraph':
      case 'context':
        return inline(b.content);
      case 'fields':
        return b.fields.map((f) => `${f.label} ${inline(f.value)}`).join('\n');
      case 'list':
        return b.items.map((i) => inline(i)).join('\n');
      case 'actions':
        return ''; // buttons are compared by their action, not their label
      case 'divider':
        return '';
    }
  };
  return m.blocks.map(block).join('\n') || m.text;
}

/** The buttons of a platform-neutral message. */
export function messageButtons(m: Message): Array<{ action: string; value: string }> {
  return m.blocks.flatMap((b) =>
    b.type === 'actions' ? b.buttons.map((x) => ({ action: x.actionId, value: x.value })) : [],
  );
}

/** `/press <action> <value>` (a DingTalk link button's content) → the button. */
export function pressOf(content: string): { action: string; value: string } | null {
  const m = /^\/press\s+(\S+)\s*(.*)$/.exec(content.trim());
  return m ? { action: m[1]!, value: m[2]!.trim() } : null;
}

/** Persons mentioned, in order, from platform ids (unknown ids are dropped). */
export function peopleOf(ids: Iterable<string>, people: ReadonlyMap<string, Person>): Person[] {
  const out: Person[] = [];
  for (const id of ids) {
    const p = people.get(id);
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * What must be equal on every platform: the letters, digits and @-mentioned people of a text,
 * without the punctuation, bullets and separators each platform lays a message out with.
 */
export function skeleton(text: string): string {
  return text.replace(/@<(\w+)>/g, ' $1 ').replace(/[^\p{L}\p{N}]+/gu, '');
}
