import { z } from 'zod';
import type { Role } from '../../core/assessment-api.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import { parseChannelRef, parseUserRef, tokenize } from './command-tokens.ts';

// `/kaoping …` — administration in chat:
//   /kaoping member add @user inspector|organiser|contact [单位]
//   /kaoping member add @user slack:U123|dingtalk:userid   (the same person on another messenger;
//                                                          also `member link …`)
//   /kaoping member remove @user
//   /kaoping channel <单位|organisers> #channel
//   /kaoping lang en|zh
//   /kaoping help
// Slack sends mentions as <@U123|name> and channels as <#C123|name>.

export type AdminCommand =
  | { kind: 'help' }
  | { kind: 'member_add'; userId: string; displayName?: string; role: Role; unit?: string }
  | {
      kind: 'member_link';
      userId: string;
      displayName?: string;
      /** The same person's user id on another platform. */
      identity: { platform: string; externalId: string };
    }
  | { kind: 'member_remove'; userId: string }
  | { kind: 'channel'; scope: string; channelId: string; channelName?: string }
  | { kind: 'lang'; locale: Locale };

export type AdminProblem =
  | 'unknown_subcommand'
  | 'missing_user'
  | 'bad_user'
  | 'missing_role'
  | 'missing_identity'
  | 'bad_identity'
  | 'unknown_role'
  | 'missing_unit'
  | 'missing_scope'
  | 'missing_channel'
  | 'bad_channel'
  | 'missing_locale'
  | 'unknown_locale'
  | 'extra_words';

export interface AdminIssue {
  problem: AdminProblem;
  value: string;
  /** Which usage line to show with the message. */
  usage: 'member_add' | 'member_link' | 'member_remove' | 'channel' | 'lang' | 'all';
}

export type AdminParse = { ok: true; command: AdminCommand } | { ok: false; issue: AdminIssue };

const ROLE_WORDS: Record<string, Role> = {
  inspector: 'inspector',
  督查员: 'inspector',
  督查: 'inspector',
  organiser: 'organiser',
  organizer: 'organiser',
  admin: 'organiser',
  组织单位: 'organiser',
  考核组织单位: 'organiser',
  组织者: 'organiser',
  管理员: 'organiser',
  contact: 'unit_contact',
  unit_contact: 'unit_contact',
  联系人: 'unit_contact',
  单位联系人: 'unit_contact',
};

/** The messengers a user id may be given for, as people write them. */
const PLATFORM_WORDS: Record<string, string> = {
  slack: 'slack',
  dingtalk: 'dingtalk',
  钉钉: 'dingtalk',
  浙政钉: 'dingtalk',
  console: 'console',
};

/** `slack:U123`, `dingtalk:manager1234`, `钉钉:manager1234` → the identity; null when not of that form. */
export function parseIdentity(word: string): { platform: string; externalId: string } | null {
  const m = /^([^:：\s]+)[:：](\S+)$/.exec(word.normalize('NFKC').trim());
  if (!m) return null;
  const platform = PLATFORM_WORDS[m[1]!.toLowerCase()];
  // a Slack mention pasted after the colon counts as its id
  const externalId = parseUserRef(m[2]!)?.id ?? m[2]!;
  return platform ? { platform, externalId } : null;
}

const looksLikeIdentity = (word: string) => /^[^:：\s<]+[:：]\S/.test(word.normalize('NFKC'));

const LOCALE_WORDS: Record<string, Locale> = {
  en: 'en',
  english: 'en',
  'en-us': 'en',
  'en-gb': 'en',
  英文: 'en',
  英语: 'en',
  zh: 'zh-CN',
  'zh-cn': 'zh-CN',
  cn: 'zh-CN',
  chinese: 'zh-CN',
  中文: 'zh-CN',
  简体中文: 'zh-CN',
};

const ORGANISER_SCOPES = new Set([
  'organisers',
  'organizers',
  'organiser',
  'organizer',
  '组织单位',
  '考核组织单位',
  '考评办',
]);

const userSchema = z.string().transform((s, ctx) => {
  const ref = parseUserRef(s);
  if (!ref) {
    ctx.addIssue({ code: 'custom', message: 'bad_user' });
    return z.NEVER;
  }
  return ref;
});

const channelSchema = z.string().transform((s, ctx) => {
  const ref = parseChannelRef(s);
  if (!ref) {
    ctx.addIssue({ code: 'custom', message: 'bad_channel' });
    return z.NEVER;
  }
  return ref;
});

const roleSchema = z.string().transform((s, ctx) => {
  const role = ROLE_WORDS[s.normalize('NFKC').toLowerCase()];
  if (!role) {
    ctx.addIssue({ code: 'custom', message: 'unknown_role' });
    return z.NEVER;
  }
  return role;
});

const localeSchema = z.string().transform((s, ctx) => {
  const locale = LOCALE_WORDS[s.normalize('NFKC').toLowerCase()];
  if (!locale) {
    ctx.addIssue({ code: 'custom', message: 'unknown_locale' });
    return z.NEVER;
  }
  return locale;
});

function check<T>(
  schema: z.ZodType<T, string>,
  value: string,
  usage: AdminIssue['usage'],
): { ok: true; value: T } | { ok: false; issue: AdminIssue } {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, issue: { problem: r.error.issues[0]!.message as AdminProblem, value, usage } };
}

const fail = (problem: AdminProblem, value: string, usage: AdminIssue['usage']): AdminParse => ({
  ok: false,
  issue: { problem, value, usage },
});

export function parseAdminText(text: string): AdminParse {
  const words = tokenize(text).map((t) => t.raw);
  const [sub, ...rest] = words;
  const head = (sub ?? '').normalize('NFKC').toLowerCase();
  if (head === '' || head === 'help' || head === '帮助' || head === '?') return { ok: true, command: { kind: 'help' } };

  if (head === 'member' || head === 'members' || head === '成员') {
    const op = (rest[0] ?? '').normalize('NFKC').toLowerCase();
    const link = op === 'link' || op === '关联';
    if (op === 'add' || op === '添加' || op === '登记' || link) {
      const usage = link ? 'member_link' : 'member_add';
      const [userWord, roleWord, ...unitWords] = rest.slice(1);
      if (userWord === undefined) return fail('missing_user', '', usage);
      const user = check(userSchema, userWord, usage);
      if (!user.ok) return user;
      if (link || (roleWord !== undefined && looksLikeIdentity(roleWord))) {
        if (roleWord === undefined) return fail('missing_identity', '', 'member_link');
        const identity = parseIdentity(roleWord);
        if (!identity) return fail('bad_identity', roleWord, 'member_link');
        if (unitWords.length > 0) return fail('extra_words', unitWords.join(' '), 'member_link');
        return {
          ok: true,
          command: {
            kind: 'member_link',
            userId: user.value.id,
            identity,
            ...(user.value.name ? { displayName: user.value.name } : {}),
          },
        };
      }
      if (roleWord === undefined) return fail('missing_role', '', 'member_add');
      const role = check(roleSchema, roleWord, 'member_add');
      if (!role.ok) return role;
      const unit = unitWords.join(' ').trim();
      if (role.value === 'unit_contact' && unit === '') return fail('missing_unit', '', 'member_add');
      if (role.value !== 'unit_contact' && unit !== '') return fail('extra_words', unit, 'member_add');
      return {
        ok: true,
        command: {
          kind: 'member_add',
          userId: user.value.id,
          role: role.value,
          ...(user.value.name ? { displayName: user.value.name } : {}),
          ...(unit ? { unit } : {}),
        },
      };
    }
    if (op === 'remove' || op === 'rm' || op === 'delete' || op === '移除' || op === '删除') {
      const [userWord, ...extra] = rest.slice(1);
      if (userWord === undefined) return fail('missing_user', '', 'member_remove');
      const user = check(userSchema, userWord, 'member_remove');
      if (!user.ok) return user;
      if (extra.length > 0) return fail('extra_words', extra.join(' '), 'member_remove');
      return { ok: true, command: { kind: 'member_remove', userId: user.value.id } };
    }
    return fail('unknown_subcommand', [sub, rest[0]].filter(Boolean).join(' '), 'all');
  }

  if (head === 'channel' || head === '频道' || head === '群') {
    const [scopeWord, channelWord, ...extra] = rest;
    if (scopeWord === undefined) return fail('missing_scope', '', 'channel');
    if (channelWord === undefined) return fail('missing_channel', '', 'channel');
    const channel = check(channelSchema, channelWord, 'channel');
    if (!channel.ok) return channel;
    if (extra.length > 0) return fail('extra_words', extra.join(' '), 'channel');
    const scope = ORGANISER_SCOPES.has(scopeWord.normalize('NFKC').toLowerCase()) ? 'organisers' : scopeWord.trim();
    return {
      ok: true,
      command: {
        kind: 'channel',
        scope,
        channelId: channel.value.id,
        ...(channel.value.name ? { channelName: channel.value.name } : {}),
      },
    };
  }

  if (head === 'lang' || head === 'language' || head === '语言') {
    const [word, ...extra] = rest;
    if (word === undefined) return fail('missing_locale', '', 'lang');
    const locale = check(localeSchema, word, 'lang');
    if (!locale.ok) return locale;
    if (extra.length > 0) return fail('extra_words', extra.join(' '), 'lang');
    return { ok: true, command: { kind: 'lang', locale: locale.value } };
  }

  return fail('unknown_subcommand', sub ?? '', 'all');
}
