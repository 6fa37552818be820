import { describe, expect, it } from 'vitest';
import { parseAdminText } from '../../bot/parsing/admin-text.ts';

describe('/kaoping parser', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    [
      'member add <@U0INSP|wang> inspector',
      { kind: 'member_add', userId: 'U0INSP', displayName: 'wang', role: 'inspector' },
    ],
    ['member add <@U0ORG> organizer', { kind: 'member_add', userId: 'U0ORG', role: 'organiser' }],
    [
      'member add <@U0C|li> contact 市公安局',
      { kind: 'member_add', userId: 'U0C', displayName: 'li', role: 'unit_contact', unit: '市公安局' },
    ],
    [
      'member add <@U0C> 联系人 市地震局',
      { kind: 'member_add', userId: 'U0C', role: 'unit_contact', unit: '市地震局' },
    ],
    ['成员 添加 U0C 督查员', { kind: 'member_add', userId: 'U0C', role: 'inspector' }],
    ['member remove <@U0C|li>', { kind: 'member_remove', userId: 'U0C' }],
    [
      'channel 市公安局 <#C0GA|gongan>',
      { kind: 'channel', scope: '市公安局', channelId: 'C0GA', channelName: 'gongan' },
    ],
    ['channel organisers <#C0ORG>', { kind: 'channel', scope: 'organisers', channelId: 'C0ORG' }],
    ['channel Organizers C0ORG', { kind: 'channel', scope: 'organisers', channelId: 'C0ORG' }],
    ['lang en', { kind: 'lang', locale: 'en' }],
    ['lang ZH', { kind: 'lang', locale: 'zh-CN' }],
    ['语言 中文', { kind: 'lang', locale: 'zh-CN' }],
  ])('%j', (text, command) => {
    expect(parseAdminText(text)).toEqual({ ok: true, command });
  });

  it.each([
    ['frobnicate', 'unknown_subcommand', 'frobnicate', 'all'],
    ['member list', 'unknown_subcommand', 'member list', 'all'],
    ['member add', 'missing_user', '', 'member_add'],
    ['member add bob inspector', 'bad_user', 'bob', 'member_add'],
    ['member add <@U1>', 'missing_role', '', 'member_add'],
    ['member add <@U1> boss', 'unknown_role', 'boss', 'member_add'],
    ['member add <@U1> contact', 'missing_unit', '', 'member_add'],
    ['member add <@U1> inspector 市公安局', 'extra_words', '市公安局', 'member_add'],
    ['member remove', 'missing_user', '', 'member_remove'],
    ['channel', 'missing_scope', '', 'channel'],
    ['channel 市公安局', 'missing_channel', '', 'channel'],
    ['channel 市公安局 #general', 'bad_channel', '#general', 'channel'],
    ['lang', 'missing_locale', '', 'lang'],
    ['lang fr', 'unknown_locale', 'fr', 'lang'],
  ])('%j → %s', (text, problem, value, usage) => {
    expect(parseAdminText(text)).toEqual({ ok: false, issue: { problem, value, usage } });
  });
});
