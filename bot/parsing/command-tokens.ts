// Tokens of a command's text as messengers send it. Slack escapes mentions, channels and links
// in slash-command text ("Escape channels, users, and links" in the app's settings):
//   <@U024BE7LH|bob>  <#C024BE7LR|general>  <https://example.gov.cn/a|label>  <mailto:a@b.cn>
// A token is either one such escape (which may contain spaces in its label) or a run of
// non-space characters; full-width spaces (U+3000) separate tokens too.

export interface Token {
  /** As typed (escapes included). */
  raw: string;
  /** NFKC-normalised, trimmed: full-width letters, digits and '＝' become ASCII. */
  norm: string;
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/<[^<>]*>|[^\s<]+|</gu)) {
    const raw = m[0];
    out.push({ raw, norm: raw.normalize('NFKC').trim() });
  }
  return out;
}

export interface UserRef {
  id: string;
  /** The label Slack adds (`<@U1|bob>` → 'bob'), when any. */
  name?: string;
}

/**
 * `<@U123|name>`, `<@U123>`, `@U123` or a bare `U123`/`W123` member id. The escaped form takes
 * any id without spaces: the DingTalk bot writes its @-mentions (DingTalk user ids) that way.
 */
export function parseUserRef(raw: string): UserRef | null {
  const escaped = /^<@([^\s|<>]+)(?:\|([^>]*))?>$/.exec(raw.trim());
  if (escaped) return escaped[2] ? { id: escaped[1]!, name: escaped[2] } : { id: escaped[1]! };
  const bare = /^@?([UW][A-Z0-9]{2,})$/.exec(raw.trim());
  return bare ? { id: bare[1]! } : null;
}

export interface ChannelRef {
  id: string;
  name?: string;
}

/** `<#C123|name>`, `<#C123>` or a bare `C123`/`G123` conversation id (escaped: any id, e.g. DingTalk's cid…==). */
export function parseChannelRef(raw: string): ChannelRef | null {
  const escaped = /^<#([^\s|<>]+)(?:\|([^>]*))?>$/.exec(raw.trim());
  if (escaped) return escaped[2] ? { id: escaped[1]!, name: escaped[2] } : { id: escaped[1]! };
  const bare = /^([CG][A-Z0-9]{2,})$/.exec(raw.trim());
  return bare ? { id: bare[1]! } : null;
}

/** `<https://x|label>` or `<https://x>` → 'https://x'; a bare http(s) URL as is; else null. */
export function parseLinkToken(raw: string): string | null {
  const escaped = /^<((?:https?):\/\/[^|>]+)(?:\|[^>]*)?>$/i.exec(raw.trim());
  if (escaped) return unescapeSlack(escaped[1]!);
  return /^https?:\/\//i.test(raw.trim()) ? unescapeSlack(raw.trim()) : null;
}

/** Slack escapes &, < and > in command text as entities. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Evidence words back into text: escapes that are not links become their label or target. */
export function plainWord(raw: string): string {
  const user = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(raw);
  if (user) return `@${user[2] || user[1]}`;
  const channel = /^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(raw);
  if (channel) return `#${channel[2] || channel[1]}`;
  const other = /^<([^|>]+)(?:\|([^>]*))?>$/.exec(raw);
  if (other) return unescapeSlack(other[2] || other[1]!);
  return unescapeSlack(raw);
}
