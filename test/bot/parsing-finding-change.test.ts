import { describe, expect, it } from 'vitest';
import { findingChangeKind, MAX_REASON, parseFindingChangeText } from '../../bot/parsing/finding-change-text.ts';
import { parseFindingText } from '../../bot/parsing/finding-text.ts';
import { loadRulebook } from '../../rules/rulebook.ts';

// /finding withdraw #123 理由 · /finding deadline #123 2017-10-20 理由 (and their Chinese keywords).

describe('/finding withdraw and deadline parser', () => {
  it.each([
    ['withdraw #123 重复记录', { kind: 'withdraw', ref: '#123', reason: '重复记录' }],
    ['撤销 #7 与 #5 重复记录', { kind: 'withdraw', ref: '#7', reason: '与 #5 重复记录' }],
    ['撤回 12 记录有误', { kind: 'withdraw', ref: '#12', reason: '记录有误' }],
    ['Withdraw ＃１２ wrong unit', { kind: 'withdraw', ref: '#12', reason: 'wrong unit' }],
    [
      'withdraw #3 see <https://example.gov.cn/x|the memo> and <@U0ORG|wang>',
      { kind: 'withdraw', ref: '#3', reason: 'see the memo and @wang' },
    ],
    [
      'deadline #123 2017-10-20 单位申请延期，已获批准',
      { kind: 'deadline', ref: '#123', deadline: '2017-10-20', reason: '单位申请延期，已获批准' },
    ],
    [
      '期限 #9 2017-11-01 国庆假期顺延',
      { kind: 'deadline', ref: '#9', deadline: '2017-11-01', reason: '国庆假期顺延' },
    ],
    ['整改期限 9 ２０１７-１１-０１ 顺延', { kind: 'deadline', ref: '#9', deadline: '2017-11-01', reason: '顺延' }],
    ['deadline 2017-10-20 #4 swapped', { kind: 'deadline', ref: '#4', deadline: '2017-10-20', reason: 'swapped' }],
    ['DUE #4 2017-10-20 x', { kind: 'deadline', ref: '#4', deadline: '2017-10-20', reason: 'x' }],
  ])('%j', (text, command) => {
    expect(parseFindingChangeText(text)).toEqual({ ok: true, command });
  });

  it.each([
    ['withdraw', 'withdraw', 'missing_ref', ''],
    ['withdraw #12', 'withdraw', 'missing_reason', ''],
    ['撤销 #abc 重复', 'withdraw', 'bad_ref', '#abc'],
    ['withdraw 市公安局 重复', 'withdraw', 'bad_ref', '市公安局'],
    ['withdraw #0 x', 'withdraw', 'bad_ref', '#0'],
    ['deadline', 'deadline', 'missing_ref', ''],
    ['deadline #12', 'deadline', 'missing_deadline', ''],
    ['deadline #12 单位申请延期', 'deadline', 'missing_deadline', ''],
    ['期限 #12 2017-02-30 延期', 'deadline', 'bad_deadline', '2017-02-30'],
    ['deadline #12 2017/10/20 延期', 'deadline', 'bad_deadline', '2017/10/20'],
    ['deadline #12 20171020 延期', 'deadline', 'bad_deadline', '20171020'],
    ['deadline #12 2017-10-20', 'deadline', 'missing_reason', ''],
    ['deadline 2017-10-20 延期', 'deadline', 'bad_ref', '2017-10-20'],
  ])('%j → %s %s', (text, kind, problem, value) => {
    expect(parseFindingChangeText(text)).toEqual({ ok: false, issue: { kind, problem, value } });
  });

  it('a reason longer than the limit is refused', () => {
    const r = parseFindingChangeText(`withdraw #1 ${'长'.repeat(MAX_REASON + 1)}`);
    expect(r).toMatchObject({ ok: false, issue: { kind: 'withdraw', problem: 'reason_too_long' } });
  });

  it('anything else is not a change command and is left to the filing parser', () => {
    const rb = loadRulebook('hz-2017');
    for (const text of [
      '',
      'help',
      '市公安局 2.1.1a x3 deadline=2017-07-01',
      '市公安局 2.1.1a 期限=2017-07-01',
      'withdrawal #1 x',
    ]) {
      expect(findingChangeKind(text)).toBeNull();
      expect(parseFindingChangeText(text)).toBeNull();
    }
    expect(parseFindingText(rb, '市公安局 2.1.1a 期限=2017-07-01').kind).toBe('complete');
  });
});
