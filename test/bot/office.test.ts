import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { actorOf, addMembers, flatText, USERS, type Harness } from './myscore-support.ts';

// Appeals (申诉 → 复核) and extension requests (延期) typed in /finding, end to end: signed requests
// into the real Bolt receiver, real core over PostgreSQL, Slack's Web API faked on loopback.

const UNIT_CHANNEL = 'C0GONGAN';
const ORGANISERS_CHANNEL = 'C0ORGS';
const TYPED_IN = 'C0SOMEWHERE';

let h: Harness;
let n = 0;
let mark = 0;
const since = (method: string) => h.slack.calls.slice(mark).filter((c) => c.method === method);
const lastReply = () => {
  const c = since('response_url').at(-1);
  return c ? `${c.args.text ?? ''}\n${flatText(c.args.blocks)}` : '';
};
const postedTo = (channel: string) =>
  since('chat.postMessage')
    .filter((c) => c.args.channel === channel)
    .map((c) => `${c.args.text ?? ''}\n${flatText(c.args.blocks)}`);

beforeAll(async () => {
  h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
  await addMembers(h);
  const organiser = await actorOf(h, USERS.organiser);
  for (const [scope, channelId] of [
    ['市公安局', UNIT_CHANNEL],
    ['organisers', ORGANISERS_CHANNEL],
  ] as const)
    expect((await h.fx.membership.bindChannel(organiser, { platform: 'slack', scope, channelId })).ok).toBe(true);
});
afterAll(async () => h?.close());
beforeEach(() => {
  mark = h.slack.calls.length;
});

async function slash(text: string, userId: string) {
  n += 1;
  const res = await h.send(
    h.requests.slashCommand({
      command: '/finding',
      text,
      userId,
      channelId: TYPED_IN,
      triggerId: `${n}.555.office${n}`,
      responseUrl: h.slack.responseUrl(`T111/${n}/office`),
    }),
  );
  expect(res.status).toBe(200);
  return lastReply();
}

async function fileOne(): Promise<{ id: string; seq: number }> {
  await slash('市公安局 2.1.1a x2 网上受理未覆盖', USERS.inspector);
  const f = await h.fx.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } });
  mark = h.slack.calls.length;
  return { id: f.id, seq: f.seq };
}
const setLocale = (userId: string, locale: string | null) =>
  h.fx.prisma.member.updateMany({
    where: { identities: { some: { platform: 'slack', externalId: userId } } },
    data: { locale },
  });

describe('/finding appeal and rule (zh-CN)', () => {
  it('a contact appeals, the wrong roles are refused, an organiser reduces it; everyone concerned is told', async () => {
    const f = await fileOne();

    // an inspector may not appeal; nothing is written
    expect(await slash(`申诉 #${f.seq} 已上线`, USERS.inspector)).toContain('您没有权限执行此操作（对事项提出申诉）');
    expect(await h.fx.prisma.appeal.count()).toBe(0);

    mark = h.slack.calls.length;
    const reply = await slash(`申诉 #${f.seq} 其中一项已在检查前上线 https://example.org/shot.png`, USERS.contact);
    expect(reply).toContain(`市公安局对事项 #${f.seq}（条款 2.1.1a）提出申诉，待复核`);
    expect(reply).toContain('已通知：市公安局的群聊、考核组织单位频道、填报人。');
    const appeal = await h.fx.prisma.appeal.findUniqueOrThrow({ where: { findingId: f.id } });
    expect(appeal).toMatchObject({ state: 'pending', reasons: '其中一项已在检查前上线' });
    expect(appeal.evidenceLinks).toEqual(['https://example.org/shot.png']);
    expect(postedTo(UNIT_CHANNEL).join()).toContain('待复核');
    expect(postedTo(ORGANISERS_CHANNEL).join()).toContain('申诉理由：其中一项已在检查前上线');
    expect(postedTo(USERS.inspector).join()).toContain(`事项 #${f.seq}`); // the filer, in a DM

    // a second appeal is refused with the reason
    expect(await slash(`申诉 #${f.seq} 再次申诉`, USERS.contact)).toContain('已申诉过，每个事项只能申诉一次');
    // a contact may not rule
    expect(await slash(`复核 #${f.seq} 维持 自己说了算`, USERS.contact)).toContain('您没有权限执行此操作（复核申诉）');
    // a malformed ruling shows the form
    expect(await slash(`复核 #${f.seq} 核减 没写数量`, USERS.organiser)).toContain('核减请写明改后的数量');

    mark = h.slack.calls.length;
    const ruled = await slash(`复核 #${f.seq} 核减 x1 核实一项已上线`, USERS.organiser);
    expect(ruled).toContain(`事项 #${f.seq}（市公安局）申诉复核结论：核减`);
    expect(postedTo(UNIT_CHANNEL).join()).toContain('复核意见：核实一项已上线');
    const row = await h.fx.prisma.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(row.count).toBe(1);
    expect((await h.fx.prisma.appeal.findUniqueOrThrow({ where: { findingId: f.id } })).state).toBe('reduced');
    const audit = await h.fx.prisma.auditLog.findMany({ where: { entityId: f.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['finding.filed', 'appeal.filed', 'appeal.ruled']);
  });
});

describe('/finding extend and extension (English)', () => {
  beforeAll(async () => {
    await setLocale(USERS.contact, 'en');
    await setLocale(USERS.organiser, 'en');
  });
  afterAll(async () => {
    await setLocale(USERS.contact, null);
    await setLocale(USERS.organiser, null);
  });

  it('a contact asks, a contact may not decide, an organiser approves and the deadline moves', async () => {
    const f = await fileOne(); // deadline 2017-10-23
    const asked = await slash(`extend #${f.seq} 2017-10-27 waiting for the new scanners`, USERS.contact);
    expect(asked).toContain(`市公安局 asks to move the deadline of finding #${f.seq} from 2017-10-23 to 2017-10-27`);
    expect(await slash(`extension #${f.seq} approve 2017-10-27`, USERS.contact)).toContain(
      'You are not allowed to do that (decide extension requests)',
    );
    expect(await slash(`extension #${f.seq} approve 2017-12-27`, USERS.organiser)).toContain(
      'An extension is at most 10 working days',
    );
    mark = h.slack.calls.length;
    const approved = await slash(`extension #${f.seq} approve 2017-10-27 agreed`, USERS.organiser);
    expect(approved).toContain(
      `Extension for finding #${f.seq} (市公安局) approved: the deadline moved from 2017-10-23 to 2017-10-27`,
    );
    expect(postedTo(UNIT_CHANNEL).join()).toContain('延期申请已批准'); // the group chat reads the office's language
    const row = await h.fx.prisma.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(row.deadline?.toISOString().slice(0, 10)).toBe('2017-10-27');
  });

  it('a request on the deadline day is refused with a message saying the deadline has been reached', async () => {
    const f = await fileOne();
    h.fx.clock.set('2017-10-23T09:00:00+08:00');
    try {
      const late = await slash(`extend #${f.seq} 2017-10-30 too late`, USERS.contact);
      expect(late).toContain(`The deadline of finding #${f.seq} (2017-10-23) has been reached`);
      expect(await h.fx.prisma.extensionRequest.count({ where: { findingId: f.id } })).toBe(0);
    } finally {
      h.fx.clock.set('2017-10-09T10:00:00+08:00');
    }
  });

  it('an inspector is refused an appeal, in English, and shown nothing else', async () => {
    const f = await fileOne();
    await setLocale(USERS.inspector, 'en');
    try {
      expect(await slash(`appeal #${f.seq} nope`, USERS.inspector)).toContain(
        'You are not allowed to do that (appeal findings)',
      );
    } finally {
      await setLocale(USERS.inspector, null);
    }
  });
});
