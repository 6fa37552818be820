import type { RobotMessage } from './robot-message.schema.ts';

// A robot message → the command text the shared handlers parse. DingTalk takes the @-mentions
// out of the text and lists them in atUsers (the robot's own among them), so `/kaoping member
// add @张三 contact 市公安局` arrives without the person: the mentioned DingTalk user ids are put
// back as <@userId> tokens, the way Slack escapes mentions. `/kaoping channel <unit>` sent in a
// group binds that group (its conversation id becomes the <#channel> token).

/** The typed text: text messages, or the text parts of a rich-text message; null for others. */
export function messageText(msg: RobotMessage): string | null {
  if (msg.msgtype === 'text' && msg.text) return normalise(msg.text.content);
  if (msg.msgtype === 'richText' && msg.content?.richText)
    return normalise(
      msg.content.richText
        .map((p) => p.text ?? '')
        .filter((s) => s !== '')
        .join('\n'),
    );
  return null;
}

function normalise(s: string): string {
  // phones type full-width slashes and spaces
  return s
    .replace(/\u3000/g, ' ')
    .trim()
    .replace(/^／/, '/');
}

/** The people @-mentioned besides the robot (DingTalk user ids). */
export function mentionedUsers(msg: RobotMessage): string[] {
  const out: string[] = [];
  for (const u of msg.atUsers ?? []) {
    if (!u.staffId || u.dingtalkId === msg.chatbotUserId) continue;
    if (!out.includes(u.staffId)) out.push(u.staffId);
  }
  return out;
}

const HERE = new Set(['here', 'this', '这里', '本群', '此群', '#here', '#本群']);

/** `/kaoping …` text with DingTalk's mentions and the current group written as tokens. */
export function adminText(text: string, msg: RobotMessage): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const head = (words[0] ?? '').toLowerCase();
  const users = mentionedUsers(msg);
  if ((head === 'member' || head === '成员') && users.length > 0) {
    // `member add|remove [@name] …`: the first word after the verb that is not already a token
    const at = words.findIndex((w, i) => i >= 2 && w.startsWith('@'));
    const token = `<@${users[0]}>`;
    if (at >= 0) words[at] = token;
    else words.splice(Math.min(2, words.length), 0, token);
    return words.join(' ');
  }
  if ((head === 'channel' || head === '频道' || head === '群') && msg.conversationType === '2') {
    const here = `<#${msg.conversationId}|${(msg.conversationTitle ?? msg.conversationId).replace(/[|>\s]/g, '')}>`;
    if (words.length === 2) words.push(here);
    else if (words.length === 3 && HERE.has(words[2]!.toLowerCase())) words[2] = here;
    return words.join(' ');
  }
  return text;
}
