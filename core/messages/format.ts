import { hasMessage, t, type MessageKey } from '../i18n/t.ts';
import type { Locale } from '../i18n/locale.ts';
import type { FindingState, FindingView } from '../assessment-api.ts';
import { mention, text, type Inline } from './message.ts';

export type InlineParam = string | number | Inline | readonly Inline[];

/**
 * Translate a catalog text into inline content: placeholders may take inline elements
 * (mentions, bold, links) as well as strings and numbers.
 *   tInline('zh-CN', 'msg.reminder.dueSoon.body', { people: [mention('U1')], id: 'F-1', … })
 */
export function tInline(locale: Locale, key: MessageKey, params: Record<string, InlineParam> = {}): Inline[] {
  const template = t(locale, key);
  const out: Inline[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    const name = m[1]!;
    if (!(name in params)) continue;
    if (m.index > last) out.push(text(template.slice(last, m.index)));
    const value = params[name]!;
    if (typeof value === 'string' || typeof value === 'number') out.push(text(String(value)));
    else if (Array.isArray(value)) out.push(...(value as readonly Inline[]));
    else out.push(value as Inline);
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push(text(template.slice(last)));
  return mergeText(out);
}

function mergeText(content: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const node of content) {
    const prev = out.at(-1);
    if (node.type === 'text' && prev?.type === 'text') out[out.length - 1] = text(prev.text + node.text);
    else if (!(node.type === 'text' && node.text === '')) out.push(node);
  }
  return out;
}

/** Up to two decimals, no trailing zeros: 1.5, 0.25, 3. */
export function formatNumber(n: number): string {
  return String(Number(n.toFixed(2)));
}

/** Signed points: +1, -0.5, 0. */
export function formatPoints(n: number): string {
  const s = formatNumber(n);
  return n > 0 ? `+${s}` : s;
}

export function statusLabel(locale: Locale, status: FindingState): string {
  return t(locale, `domain.status.${status}`);
}

/**
 * A finding's state as people read it: a bonus or a measured (threshold) finding has no
 * rectification, so "filed" is "recorded", never "awaiting rectification".
 */
/**
 * The finding's state in words; under a pending appeal marked provisional (待复核), so every view
 * that shows the finding says its points may still change (lifecycle.md "Appeals").
 */
export function findingStatusLabel(
  locale: Locale,
  f: Pick<FindingView, 'status' | 'deadline'> & { underAppeal?: boolean },
): string {
  const label =
    f.deadline === null && f.status === 'filed' ? t(locale, 'domain.status.recorded') : statusLabel(locale, f.status);
  return f.underAppeal ? `${label} ${provisionalMark(locale)}` : label;
}

/** 【待复核】 / [provisional: under appeal]: points that count for now but may change on the ruling. */
export function provisionalMark(locale: Locale): string {
  return t(locale, 'msg.finding.provisional');
}

export function sourceLabel(locale: Locale, source: string): string {
  const key = `domain.source.${source}`;
  return hasMessage(key) ? t(locale, key) : source;
}

/** Mentions separated by the locale's list separator. */
export function people(locale: Locale, userIds: readonly string[]): Inline[] {
  const sep = t(locale, 'msg.common.listSeparator');
  return userIds.flatMap((id, i) => (i === 0 ? [mention(id)] : [text(sep), mention(id)]));
}

export interface PersonLike {
  platform: string;
  externalId: string;
  displayName: string | null;
  /** All their user ids, one per platform (a member on Slack and DingTalk has two). */
  identities?: readonly { platform: string; externalId: string }[];
}

/** A mention when the person has a user id on the messenger's platform, else their name as text. */
export function personInline(person: PersonLike, platform: string | undefined): Inline {
  const here = platform === undefined ? undefined : identityOn(person, platform);
  if (here !== undefined) return mention(here);
  return text(person.displayName ?? person.externalId);
}

/** The person's user id on a platform, if they have one. */
export function identityOn(person: PersonLike, platform: string): string | undefined {
  if (person.platform === platform) return person.externalId;
  return person.identities?.find((i) => i.platform === platform)?.externalId;
}

/** The deadline with how much time is left, e.g. "2024-05-10（还剩 3 个工作日）". */
export function deadlineText(locale: Locale, finding: Pick<FindingView, 'deadline' | 'workingDaysLeft'>): string {
  if (finding.deadline === null) return t(locale, 'msg.value.none');
  const days = finding.workingDaysLeft;
  if (days === null) return finding.deadline;
  if (days > 0) return t(locale, 'msg.value.deadlineLeft', { deadline: finding.deadline, days });
  if (days === 0) return t(locale, 'msg.value.deadlineToday', { deadline: finding.deadline });
  return t(locale, 'msg.value.deadlineOverdue', { deadline: finding.deadline, days: -days });
}
