import { describe, expect, it } from 'vitest';
import type { FindingView, GroupStandings, UnitBreakdown } from '../../core/assessment-api.ts';
import { AppError } from '../../core/errors.ts';
import { messagesCatalog } from '../../core/i18n/catalogs/messages.ts';
import { allKeys, t } from '../../core/i18n/t.ts';
import { ACTION } from '../../core/messages/actions.ts';
import {
  findingFiledReplyMessage,
  findingNoticeMessage,
  findingWithdrawnMessage,
  rectificationRejectedMessage,
  rectificationSubmittedMessage,
  reminderMessage,
} from '../../core/messages/findings.ts';
import { deadlineText, formatPoints, tInline } from '../../core/messages/format.ts';
import {
  actions,
  bold,
  button,
  fallbackText,
  field,
  fields,
  header,
  inlineToPlain,
  list,
  mention,
  message,
  paragraph,
  text,
  type Block,
  type Message,
} from '../../core/messages/message.ts';
import {
  errorMessage,
  monthClosedSummaryMessage,
  monthEndReminderForUnit,
  unitBreakdownMessage,
  MAX_LIST_ITEMS,
} from '../../core/messages/standings.ts';
import { MessengerError } from '../../core/ports/messenger.port.ts';
import type { FindingResult } from '../../rules/engine/types.ts';

const finding = (over: Partial<FindingView> = {}): FindingView => ({
  id: 'F-2024-0007',
  seq: 7,
  rulebookId: 'hz-2017',
  unit: '市公安局',
  group: '党政机关',
  clause: '2.1.1a',
  section: '2.1',
  date: '2024-05-06',
  count: 1,
  value: null,
  level: null,
  source: 'municipal_inspection',
  deadline: '2024-05-13',
  status: 'filed',
  rectifiedOn: null,
  overdue: false,
  workingDaysLeft: 3,
  evidenceText: '窗口未公示办事指南',
  evidenceLinks: ['https://example.gov.cn/photo/1'],
  filedBy: {
    memberId: 2,
    platform: 'slack',
    externalId: 'U0INSPECT',
    displayName: '王督查',
    identities: [{ platform: 'slack', externalId: 'U0INSPECT' }],
  },
  filedAt: '2024-05-06T02:00:00.000Z',
  withdrawReason: null,
  underAppeal: false,
  noticeRef: null,
  ...over,
});

const result = (points: number): FindingResult => ({
  id: 'F-2024-0007',
  clause: '2.1.1a',
  section: '2.1',
  date: '2024-05-06',
  status: 'counted',
  points,
  multiplier: 2,
  base: points / 2,
  amount: points / 2,
  count: 1,
  value: undefined,
  level: undefined,
  shortfall: undefined,
  supersededBy: undefined,
  inspectionMultiplier: 2,
  repeatMultiplier: 1,
  repeatOf: [],
  deadline: '2024-05-13',
  overdue: false,
  reasons: [],
});

const buttonsOf = (m: Message) => m.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
const allText = (m: Message) =>
  m.blocks
    .map((b: Block) => {
      switch (b.type) {
        case 'header':
          return b.text;
        case 'paragraph':
        case 'context':
          return inlineToPlain(b.content);
        case 'fields':
          return b.fields.map((f) => `${f.label}: ${inlineToPlain(f.value)}`).join('\n');
        case 'list':
          return b.items.map((i) => inlineToPlain(i)).join('\n');
        default:
          return '';
      }
    })
    .join('\n');

describe('message descriptors', () => {
  it('collects mentions from every block, once, in order', () => {
    const m = message([
      paragraph('a ', mention('U2'), ' b ', mention('U1')),
      fields(field('by', mention('U3')), field('also', mention('U2'))),
      list([[mention('U4')], 'x']),
    ]);
    expect(m.mentions).toEqual(['U2', 'U1', 'U3', 'U4']);
  });

  it('derives the fallback text from the header and first paragraph unless given', () => {
    const blocks = [header('Title'), paragraph('Hello ', bold('you'), ' ', mention('U1')), paragraph('more')];
    expect(fallbackText(blocks)).toBe('Title\nHello you @U1');
    expect(message(blocks, { text: 'custom' }).text).toBe('custom');
    expect(message([list(['one', 'two'])]).text).toBe('one; two');
  });

  it('drops empty and falsy blocks', () => {
    const m = message([header('H'), paragraph(), false, null, undefined, fields(), actions(), paragraph('', bold(''))]);
    expect(m.blocks).toEqual([header('H')]);
  });

  it('refuses two buttons with one actionId in a block', () => {
    expect(() => actions(button('a', 'x', '1'), button('b', 'x', '2'))).toThrow(/duplicate actionId/);
  });

  it('is plain data that survives JSON (job payloads)', () => {
    const m = findingNoticeMessage('zh-CN', finding(), { platform: 'slack', contacts: ['U0CONTACT'] });
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});

describe('tInline and formatting', () => {
  it('puts inline elements into catalog placeholders', () => {
    const out = tInline('zh-CN', 'msg.reminder.dueSoon.body', {
      id: 'F-1',
      deadline: '2024-05-13',
      days: 3,
      people: [mention('U1'), text('、'), mention('U2')],
    });
    expect(out).toEqual([
      text('事项 F-1 的整改期限是 2024-05-13，还剩 3 个工作日。请 '),
      mention('U1'),
      text('、'),
      mention('U2'),
      text(' 尽快完成整改并提交。'),
    ]);
  });

  it('leaves unknown placeholders as written', () => {
    expect(inlineToPlain(tInline('en', 'msg.value.deadlineLeft', { deadline: '2024-05-13' }))).toBe(
      '2024-05-13 ({days} working days left)',
    );
  });

  it('formats points and deadlines', () => {
    expect([formatPoints(-0.5), formatPoints(1), formatPoints(0), formatPoints(-1.125)]).toEqual([
      '-0.5',
      '+1',
      '0',
      '-1.13',
    ]);
    expect(deadlineText('zh-CN', { deadline: '2024-05-13', workingDaysLeft: 3 })).toBe('2024-05-13（还剩 3 个工作日）');
    expect(deadlineText('zh-CN', { deadline: '2024-05-13', workingDaysLeft: 0 })).toBe('2024-05-13（今天到期）');
    expect(deadlineText('en', { deadline: '2024-05-13', workingDaysLeft: -2 })).toBe(
      '2024-05-13 (overdue by 2 working days)',
    );
    expect(deadlineText('en', { deadline: null, workingDaysLeft: null })).toBe('none');
  });
});

describe('messages catalog', () => {
  it('has the same keys in zh-CN and en, and is registered', () => {
    expect(Object.keys(messagesCatalog.en).sort()).toEqual(Object.keys(messagesCatalog['zh-CN']).sort());
    for (const k of Object.keys(messagesCatalog['zh-CN'])) expect(allKeys('zh-CN')).toContain(k);
  });

  it('uses the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [k, zh] of Object.entries(messagesCatalog['zh-CN'])) {
      expect(names(messagesCatalog.en[k as keyof typeof messagesCatalog.en]), k).toEqual(names(zh));
    }
  });
});

describe('finding messages', () => {
  it('notice: header, contacts mentioned, fields, evidence, a submit button carrying the finding id', () => {
    const m = findingNoticeMessage('zh-CN', finding(), {
      platform: 'slack',
      contacts: ['U0CONTACT', 'U0CONTACT2'],
      result: result(-2),
      clauseTitle: '办事指南公示',
    });
    expect(m.blocks[0]).toEqual(header('考评事项通知：市公安局'));
    expect(m.mentions).toEqual(['U0INSPECT', 'U0CONTACT', 'U0CONTACT2']);
    const body = allText(m);
    expect(body).toContain('@U0INSPECT 记录了市公安局的一条扣分事项。请 @U0CONTACT、@U0CONTACT2 在整改期限前完成整改');
    expect(body).toContain('条款: 2.1.1a 办事指南公示');
    expect(body).toContain('来源: 市级督查');
    expect(body).toContain('整改期限: 2024-05-13（还剩 3 个工作日）');
    expect(body).toContain('状态: 待整改');
    expect(body).toContain('计分: -2 分');
    expect(body).toContain('窗口未公示办事指南');
    expect(body).toContain('https://example.gov.cn/photo/1');
    expect(buttonsOf(m)).toEqual([button('提交整改', ACTION.submitRectification, 'F-2024-0007', 'primary')]);
  });

  it('notice names (does not mention) a filer from another platform, and has no button without a deadline', () => {
    const m = findingNoticeMessage('en', finding({ deadline: null, workingDaysLeft: null, value: 82.4 }), {
      platform: 'dingtalk',
    });
    expect(m.mentions).toEqual([]);
    expect(allText(m)).toContain('王督查 filed a measured deduction against 市公安局; it needs no rectification.');
    expect(allText(m)).toContain('Measured: 82.4%');
    expect(buttonsOf(m)).toEqual([]);
  });

  it('bonus notice', () => {
    const m = findingNoticeMessage('zh-CN', finding({ deadline: null, workingDaysLeft: null }), { result: result(1) });
    expect(allText(m)).toContain('王督查 为市公安局记录了一条加分事项。');
  });

  it('filed reply says whether it was new and what it counts, with a withdraw button', () => {
    const filed = { finding: finding(), created: false, result: result(-2), published: false, earlier: [] };
    const m = findingFiledReplyMessage('zh-CN', filed);
    expect(allText(m)).toContain('该事项此前已经记录（#7），本次没有重复记录。');
    expect(allText(m)).toContain('本条计分 -2 分。');
    expect(buttonsOf(m)).toEqual([button('撤销事项', ACTION.withdraw, 'F-2024-0007', 'danger')]);
  });

  it.each([
    ['due_soon', 3, '事项 #7 的整改期限是 2024-05-13，还剩 3 个工作日。请 @U0CONTACT 尽快完成整改并提交。'],
    ['due_today', 0, '今天（2024-05-13）是事项 #7 的整改期限。请 @U0CONTACT 今天内提交整改情况'],
    ['overdue', -4, '事项 #7 的整改期限 2024-05-13 已过，已逾期 4 个工作日，尚未销号。请 @U0CONTACT 立即整改并提交。'],
  ] as const)('reminder %s', (stage, days, expected) => {
    const m = reminderMessage('zh-CN', stage, finding({ workingDaysLeft: days, overdue: days < 0 }), {
      contacts: ['U0CONTACT'],
      attempt: 2,
      maxAttempts: 5,
      repeat: { count: 2, factor: 4, base: 2 },
    });
    expect(allText(m)).toContain(expected);
    expect(m.mentions).toContain('U0CONTACT');
    expect(allText(m)).toContain('第 2 次提醒，最多 5 次。');
    // the escalation is stated exactly (×2 per overdue finding), and only on overdue reminders
    expect(allText(m).includes('此后再发现同类问题，扣分 ×4（每有一条逾期事项再 ×2；逾期后再整改也不能免除）')).toBe(
      stage === 'overdue',
    );
    expect(buttonsOf(m).map((b) => b.actionId)).toEqual([ACTION.submitRectification]);
  });

  it('reminder without contacts says so', () => {
    expect(allText(reminderMessage('en', 'due_soon', finding(), {}))).toContain('no registered contact');
  });

  it('reminder without contacts names the unit instead of leaving an empty mention ("请  立即整改")', () => {
    const m = reminderMessage('zh-CN', 'overdue', finding({ workingDaysLeft: -2, overdue: true }), {});
    expect(allText(m)).toContain('请市公安局立即整改并提交。');
    expect(allText(m)).not.toMatch(/请\s+立即/);
  });

  it('rectification submitted: verify and reject buttons for the inspector', () => {
    const m = rectificationSubmittedMessage('zh-CN', finding({ status: 'submitted', evidenceText: '已公示' }), {
      by: 'U0CONTACT',
    });
    expect(m.mentions).toContain('U0CONTACT');
    expect(buttonsOf(m).map((b) => [b.actionId, b.value, b.style])).toEqual([
      [ACTION.verify, 'F-2024-0007', 'primary'],
      [ACTION.reject, 'F-2024-0007', 'danger'],
    ]);
  });

  it('rejected rectification carries the reason; withdrawn finding carries its reason', () => {
    expect(
      allText(rectificationRejectedMessage('en', finding(), { by: 'U0INSPECT', reason: 'photo missing' })),
    ).toContain('photo missing');
    expect(
      allText(
        findingWithdrawnMessage('en', finding({ status: 'withdrawn', withdrawReason: 'filed twice' }), {
          by: 'U0INSPECT',
        }),
      ),
    ).toContain('filed twice');
  });
});

describe('month and standings messages', () => {
  it('month-end reminder lists at most MAX_LIST_ITEMS open findings and says how many more', () => {
    const open = Array.from({ length: MAX_LIST_ITEMS + 3 }, (_, i) => finding({ id: `F-${i}` }));
    const m = monthEndReminderForUnit('zh-CN', { month: '2024-05', closeDate: '2024-05-31', unit: '市公安局', open });
    const lists = m.blocks.filter((b) => b.type === 'list');
    expect(lists).toHaveLength(1);
    expect(lists[0]!.type === 'list' && lists[0]!.items.length).toBe(MAX_LIST_ITEMS);
    expect(allText(m)).toContain(t('zh-CN', 'msg.common.more', { count: 3 }));
  });

  it('month-closed summary ranks each group and marks advanced units', () => {
    const standings: GroupStandings = {
      asOf: '2024-05-31',
      year: 2024,
      groups: [
        {
          group: 'A',
          name: '党政机关',
          assessed: 3,
          quota: 1,
          advanced: ['市公安局'],
          tiedAtCut: false,
          cutScore: 99,
          units: [
            { unit: '市民政局', total: 97.5, rank: 2, advanced: false, disqualified: [] },
            { unit: '市公安局', total: 99, rank: 1, advanced: true, disqualified: [] },
            { unit: '市财政局', total: 90, rank: 3, advanced: false, disqualified: ['x'] },
          ],
        },
      ],
      overdue: [finding({ overdue: true, workingDaysLeft: -2 })],
    };
    const m = monthClosedSummaryMessage('zh-CN', { month: '2024-05', standings });
    const body = allText(m);
    expect(body.indexOf('1. 市公安局 99 分（先进）')).toBeGreaterThan(0);
    expect(body.indexOf('2. 市民政局 97.5 分')).toBeGreaterThan(body.indexOf('1. 市公安局'));
    expect(body).toContain('3. 市财政局 90 分（取消评先资格）');
    expect(body).toContain('逾期未整改事项（1 条）');
    expect(m.text).toBe('2024-05 已结账：各组得分排名');
  });

  it('unit breakdown shows score, rank, sections and open findings with submit buttons', () => {
    const b = {
      unit: '市公安局',
      group: 'A',
      groupName: '党政机关',
      asOf: '2024-05-20',
      standing: {
        unit: '市公安局',
        group: 'A',
        base: 100,
        total: 97.5,
        deductions: 3,
        bonuses: 0.5,
        overflow: 0,
        sections: [],
        disqualified: [],
        findings: [],
      },
      ranking: {
        rank: 2,
        advanced: false,
        groupSize: 12,
        groupResult: { group: 'A', assessed: 12, quota: 3, advanced: [], tiedAtCut: false, cutScore: null },
      },
      published: null,
      monthPoints: -2,
      sections: [{ id: '2.1', name: '办事指南', full: 10, score: 8, deductions: 2, overflow: 0 }],
      openRectifications: [finding()],
      findings: [finding()],
    } satisfies UnitBreakdown;
    const m = unitBreakdownMessage('zh-CN', b);
    const body = allText(m);
    expect(body).toContain('年度得分 97.5 分（基础分 100，扣分 3，加分 0.5）。本月计分 -2 分。');
    expect(body).toContain('在党政机关中排名第 2 / 12。');
    expect(body).toContain('办事指南: 8 / 10');
    expect(body).toContain('#7 · 条款 2.1.1a · 2024-05-06 · 待整改');
    expect(buttonsOf(m).map((x) => x.value)).toEqual(['F-2024-0007']);
  });

  it('error reply shows the AppError in the user’s language with its code', () => {
    const e = new AppError('FINDING.MONTH_CLOSED', 'closed', { params: { month: '2024-04' } });
    const m = errorMessage('en', e);
    expect(m.text).toBe(e.userMessage('en'));
    expect(allText(m)).toContain('Error code: FINDING.MONTH_CLOSED');
  });
});

describe('MessengerError', () => {
  it('round-trips through JSON and exposes transient', () => {
    const e = new MessengerError('x', {
      code: 'ratelimited',
      permanent: false,
      retryAfter: 30,
      platform: 'slack',
      operation: 'chat.postMessage',
      cause: new Error('inner'),
    });
    const back = MessengerError.fromJSON(JSON.parse(JSON.stringify(e)));
    expect(back).toBeInstanceOf(MessengerError);
    expect(back.toJSON()).toEqual(e.toJSON());
    expect(back.transient).toBe(true);
    expect(MessengerError.is(back)).toBe(true);
  });
});
