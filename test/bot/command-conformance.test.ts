import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../core/i18n/t.ts';
import { ACTION } from '../../core/messages/actions.ts';
import { loadRulebook } from '../../rules/rulebook.ts';
import {
  type CommandDriver,
  type Delivered,
  normalise,
  type Person,
  skeleton,
  UNIT,
} from '../support/command-drivers/command-driver.ts';
import { consoleDriver } from '../support/command-drivers/console-driver.ts';
import { dingTalkDriver } from '../support/command-drivers/dingtalk-driver.ts';
import { slackDriver } from '../support/command-drivers/slack-driver.ts';

// One set of user scenarios, run through each platform's real entry — the console session, the
// Slack HTTP receiver, the DingTalk robot callback — against its own PostgreSQL database. The
// assertions are platform-neutral: what the store holds, and what each person (or the unit's
// group) received, normalised by the platform's small driver (test/support/command-drivers/).
// At the end the platforms are compared with each other: the same words reached the same people.

const PER_ITEM = (loadRulebook('hz-2017').clauses.get('2.1.1a') as { amount: number }).amount;
const FILE = `/finding ${UNIT} 2.1.1a x3 网上受理未覆盖 https://example.gov.cn/e/1`;

const DRIVERS = [
  ['console', consoleDriver],
  ['slack', slackDriver],
  ['dingtalk', dingTalkDriver],
] as const;

/** Per platform and scenario, what was delivered (normalised), for the comparison at the end. */
const outcomes = new Map<string, Map<string, Delivered[]>>();

const to = (ds: Delivered[], who: Delivered['to']) => ds.filter((d) => d.to === who);
const words = (ds: Delivered[]) => ds.map((d) => d.text).join('\n');
/** The constant parts of a catalog text (its {params} left out), normalised. */
const catalogParts = (text: string) =>
  text
    .split(/\{\w+\}/)
    .map((p) => normalise(p))
    .filter((p) => p.length >= 4);

describe.each(DRIVERS)('%s', (platform, start) => {
  let d: CommandDriver;
  const seen = new Map<string, Delivered[]>();
  outcomes.set(platform, seen);
  /** What a step delivered, kept for the comparison. */
  const step = (name: string) => {
    const got = d.take();
    seen.set(name, got);
    return got;
  };
  const findings = () => d.prisma.finding.findMany({ orderBy: { seq: 'asc' } });
  const counts = async () => ({
    findings: await d.prisma.finding.count(),
    audit: await d.prisma.auditLog.count(),
    events: await d.prisma.rectificationEvent.count(),
  });

  beforeAll(async () => {
    d = await start();
    d.take();
  });
  afterAll(async () => d?.close());

  it('an inspector files with the quick form: one finding, the unit’s group is told and its contacts @-mentioned', async () => {
    await d.command('inspector', FILE);
    const got = step('file');
    const all = await findings();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ clauseId: '2.1.1a', count: 3, status: 'filed' });
    const notice = to(got, 'unit-group');
    expect(notice).toHaveLength(1);
    // every contact of the unit is @-mentioned so that they are notified (the filer is named too)
    expect(notice[0]!.mentions).toEqual(expect.arrayContaining(['contact', 'contact2']));
    expect(notice[0]!.text).toContain('@<contact>');
    expect(notice[0]!.text).toContain('@<contact2>');
    expect(notice[0]!.text).toContain(UNIT);
    expect(notice[0]!.buttons).toContainEqual({ action: ACTION.submitRectification, value: all[0]!.id });
    // the filer is answered privately, and no one else is
    expect(to(got, 'inspector').length).toBeGreaterThanOrEqual(1);
    expect(words(to(got, 'inspector'))).toContain(`#${all[0]!.seq}`);
    expect(got.every((x) => x.to === 'unit-group' || x.to === 'inspector')).toBe(true);
  });

  it('the same delivery twice files one finding', async ({ skip }) => {
    if (!d.redeliverLast) return skip('the console reads each typed line once; there is no delivery to repeat');
    const before = await counts();
    await d.redeliverLast();
    const got = step('redelivered');
    expect(await counts()).toEqual(before);
    // no second notice; the filer may be told it was already filed
    expect(to(got, 'unit-group')).toHaveLength(0);
    expect(got.every((x) => x.to === 'inspector')).toBe(true);
  });

  it('/myscore: the unit contact gets the unit’s breakdown', async () => {
    await d.command('contact', '/myscore');
    const got = step('myscore');
    const mine = words(to(got, 'contact'));
    expect(mine).toContain(UNIT);
    expect(mine).toContain(normalise(`年度得分 ${100 + 3 * PER_ITEM} 分`));
    expect(got.every((x) => x.to === 'contact')).toBe(true);
  });

  it('withdraw: the filer withdraws a finding with a reason; it no longer counts', async () => {
    await d.command('inspector', `/finding ${UNIT} 2.1.1a x1 重复录入的测试`);
    const f2 = (await findings()).at(-1)!;
    d.take();
    await d.command('inspector', `/finding withdraw #${f2.seq} 与 #1 重复记录`);
    const got = step('withdraw');
    const row = await d.prisma.finding.findUniqueOrThrow({ where: { id: f2.id } });
    expect(row).toMatchObject({ status: 'withdrawn', withdrawReason: '与 #1 重复记录' });
    expect((await findings())[0]!.status).toBe('filed');
    expect(words(to(got, 'inspector'))).toContain(`#${f2.seq}`);
  });

  it('deadline change: the new rectification deadline is stored and the filer is told', async () => {
    const [f1] = await findings();
    await d.command('inspector', `/finding deadline #${f1!.seq} 2017-11-30 单位申请延期，已获批准`);
    const got = step('deadline');
    const row = await d.prisma.finding.findUniqueOrThrow({ where: { id: f1!.id } });
    expect(row.deadline?.toISOString().slice(0, 10)).toBe('2017-11-30');
    expect(row.deadlineIsDefault).toBe(false);
    expect(words(got)).toContain('2017-11-30');
  });

  it('rectification: the contact submits on the notice, the inspector verifies on what they received', async () => {
    const [f1] = await findings();
    const notice = to(outcomes.get(platform)!.get('file')!, 'unit-group')[0]!;
    await d.press('contact', { action: ACTION.submitRectification, value: f1!.id }, notice);
    d.take();
    await d.fillForm('contact', ['已完成网上受理全覆盖', 'https://example.gov.cn/fix/1']);
    const got = step('submit');
    expect((await d.prisma.finding.findUniqueOrThrow({ where: { id: f1!.id } })).status).toBe('submitted');
    expect(await d.prisma.rectificationEvent.findMany({ where: { findingId: f1!.id } })).toMatchObject([
      { kind: 'submitted', evidenceText: '已完成网上受理全覆盖', evidenceLinks: ['https://example.gov.cn/fix/1'] },
    ]);
    const review = to(got, 'inspector').find((x) => x.buttons.some((b) => b.action === ACTION.verify));
    expect(review?.buttons).toEqual(
      expect.arrayContaining([
        { action: ACTION.verify, value: f1!.id },
        { action: ACTION.reject, value: f1!.id },
      ]),
    );
    expect(to(got, 'unit-group').some((x) => x.updated)).toBe(true);

    await d.press('inspector', { action: ACTION.verify, value: f1!.id }, review!);
    const verified = step('verify');
    expect((await d.prisma.finding.findUniqueOrThrow({ where: { id: f1!.id } })).status).toBe('verified');
    expect(to(verified, 'unit-group').some((x) => x.updated)).toBe(true);
  });

  it('send back: the inspector rejects a submission with a reason; the finding is open again and the unit told why', async () => {
    await d.command('inspector', `/finding ${UNIT} 2.1.1a x1 第三条事项`);
    const filed = d.take();
    const f3 = (await findings()).at(-1)!;
    const notice = to(filed, 'unit-group')[0]!;
    await d.press('contact', { action: ACTION.submitRectification, value: f3.id }, notice);
    d.take();
    await d.fillForm('contact', ['已整改', '']);
    const review = to(d.take(), 'inspector').find((x) => x.buttons.some((b) => b.action === ACTION.reject))!;
    expect(review).toBeDefined();
    await d.press('inspector', { action: ACTION.reject, value: f3.id }, review);
    d.take();
    await d.fillForm('inspector', ['证明材料不足，请补充上线截图']);
    const got = step('reject');
    expect((await d.prisma.finding.findUniqueOrThrow({ where: { id: f3.id } })).status).toBe('filed');
    expect(
      (await d.prisma.rectificationEvent.findMany({ where: { findingId: f3.id }, orderBy: { id: 'asc' } })).map(
        (e) => e.kind,
      ),
    ).toEqual(['submitted', 'rejected']);
    expect(words(got.filter((x) => x.to !== 'inspector'))).toContain('证明材料不足，请补充上线截图');
  });

  it('/standings: the organiser gets the standings', async () => {
    await d.command('organiser', '/standings');
    const got = step('standings');
    expect(got.every((x) => x.to === 'organiser')).toBe(true);
    expect(words(got)).toContain(UNIT);
  });

  it('a unit contact may not file: refused in words, nothing written', async () => {
    const before = await counts();
    await d.command('contact', FILE);
    const got = step('wrong-role');
    expect(await counts()).toEqual(before);
    const said = words(to(got, 'contact'));
    for (const part of catalogParts(t('zh-CN', 'error.AUTH.FORBIDDEN'))) expect(said).toContain(part);
    expect(got.every((x) => x.to === 'contact')).toBe(true);
  });

  it.each([
    ['zh-CN', 'zh'],
    ['en', 'en'],
  ] as const)('an unknown clause is refused with a clear message in %s, and changes nothing', async (locale, word) => {
    await d.command('inspector', `/kaoping lang ${word}`);
    d.take();
    const before = await counts();
    await d.command('inspector', `/finding ${UNIT} 9.9.9 x1 说明`);
    const got = step(`invalid-${locale}`);
    expect(await counts()).toEqual(before);
    const said = words(to(got, 'inspector'));
    expect(said).toContain(normalise(t(locale, 'bot.finding.problem.unknown_clause', { value: '9.9.9' })));
    expect(got.every((x) => x.to === 'inspector')).toBe(true);
  });
});

describe('every platform', () => {
  const SCENARIOS = [
    'file',
    'myscore',
    'withdraw',
    'deadline',
    'submit',
    'verify',
    'reject',
    'standings',
    'wrong-role',
    'invalid-zh-CN',
    'invalid-en',
  ];
  /** Per recipient: the words (skeleton), mentions and button actions of what they received, in order. */
  const shape = (ds: Delivered[]) => {
    const by: Record<string, Array<{ words: string; updated: boolean; mentions: Person[]; buttons: string[] }>> = {};
    for (const x of ds) {
      const list = by[x.to] ?? [];
      list.push({
        words: skeleton(x.text),
        updated: x.updated,
        mentions: [...x.mentions].sort(),
        buttons: x.buttons.map((b) => b.action),
      });
      by[x.to] = list;
    }
    return by;
  };

  it.each(SCENARIOS)('%s: the same people received the same words, mentions and buttons', (scenario) => {
    const [first, ...others] = DRIVERS.map(([p]) => [p, shape(outcomes.get(p)?.get(scenario) ?? [])] as const);
    expect(Object.keys(first![1]).length).toBeGreaterThan(0);
    for (const [p, got] of others) expect({ platform: p, got }).toEqual({ platform: p, got: first![1] });
  });
});
