import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { withRetry } from '../support/slack-requests.ts';
import { addMembers, bindPsbChannel, flatText, USERS, type Harness } from './myscore-support.ts';

// Changing a finding's rectification deadline in chat, end to end (signed /finding requests into
// the real Bolt receiver, real core over PostgreSQL, Slack's Web API faked on loopback).

const UNIT_CHANNEL = 'C0GONGAN';
const TYPED_IN = 'C0INSPECTORS';
const INSPECTOR2 = 'U0INSPECT2';

let h: Harness;
let n = 0;
// h.slack.reset() would forget the notices; each test reads only the calls made after `mark`.
let mark = 0;
const since = (method: string) => h.slack.calls.slice(mark).filter((c) => c.method === method);
const lastReply = () => {
  const c = since('response_url').at(-1);
  return c ? `${c.args.text ?? ''}\n${flatText(c.args.blocks)}` : '';
};

beforeAll(async () => {
  h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
  await addMembers(h);
  await h.slackMember(INSPECTOR2, 'inspector');
  await bindPsbChannel(h, UNIT_CHANNEL);
});
afterAll(async () => h?.close());
beforeEach(() => {
  mark = h.slack.calls.length;
});

function slash(text: string, userId: string = USERS.inspector) {
  n += 1;
  return h.requests.slashCommand({
    command: '/finding',
    text,
    userId,
    channelId: TYPED_IN,
    triggerId: `${n}.444.deadline${n}`,
    responseUrl: h.slack.responseUrl(`T111/${n}/deadline`),
  });
}

async function send(req: ReturnType<typeof slash>) {
  const res = await h.send(req);
  expect(res.status).toBe(200);
}

async function fileByCommand(text: string) {
  await send(slash(text));
  const f = await h.fx.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } });
  mark = h.slack.calls.length;
  return {
    id: f.id,
    seq: f.seq,
    deadline: f.deadline!.toISOString().slice(0, 10),
    noticeKey: `${UNIT_CHANNEL}/${f.noticeRef!.split('/')[1]}`,
  };
}

const row = (id: string) => h.fx.prisma.finding.findUniqueOrThrow({ where: { id } });
const deadlineOf = async (id: string) => (await row(id)).deadline?.toISOString().slice(0, 10);
const auditActions = async (id: string) =>
  (await h.fx.prisma.auditLog.findMany({ where: { entity: 'finding', entityId: id }, orderBy: { id: 'asc' } })).map(
    (a) => a.action,
  );

describe('/finding deadline', () => {
  it('moves the deadline: DB changed and audited, notice updated, unit told from → to with the reason; the same command again changes nothing', async () => {
    const f = await fileByCommand('市公安局 2.1.1a x2 网上受理未覆盖');
    expect(f.deadline).toBe('2017-10-23'); // 10 working days after Monday 2017-10-09

    // lifecycle.md: the filer or an organiser, like withdrawal — another inspector is refused
    await send(slash(`deadline #${f.seq} 2017-10-31 单位申请延期，已获批准`, INSPECTOR2));
    expect(lastReply()).toContain('只有填报该事项的督查员或考核组织单位可以调整整改期限。');
    expect(await deadlineOf(f.id)).toBe('2017-10-23');
    expect(since('chat.postMessage')).toHaveLength(0);
    mark = h.slack.calls.length;

    const req = slash(`deadline #${f.seq} 2017-10-31 单位申请延期，已获批准`, USERS.inspector);
    await send(req);

    const after = await row(f.id);
    expect(after.deadline?.toISOString().slice(0, 10)).toBe('2017-10-31');
    expect(after.deadlineIsDefault).toBe(false);
    expect(after.status).toBe('filed');
    const audit = await h.fx.prisma.auditLog.findFirstOrThrow({
      where: { entity: 'finding', entityId: f.id, action: 'finding.deadline_changed' },
    });
    expect(audit.reason).toBe('单位申请延期，已获批准');
    expect(audit.actorLabel).toBe(`inspector:slack:${USERS.inspector}`);

    // the notice shows the new deadline, a line saying who moved it and why, and keeps its button
    const notice = h.slack.messages.get(f.noticeKey)!;
    expect(notice.history).toHaveLength(2);
    const noticeText = flatText(notice.blocks);
    expect(noticeText).toContain('2017-10-31');
    expect(noticeText).not.toContain('2017-10-23');
    expect(noticeText).toContain(
      `<@${USERS.inspector}> 于 2017-10-09 将整改期限调整为 2017-10-31。理由：单位申请延期，已获批准`,
    );
    expect(notice.blocks!.some((b: any) => b.type === 'actions')).toBe(true);

    // the unit's channel is told
    const toUnit = since('chat.postMessage').filter((c) => c.args.channel === UNIT_CHANNEL);
    expect(toUnit).toHaveLength(1);
    const told = flatText(toUnit[0]!.args.blocks);
    expect(told).toContain('整改期限已调整：市公安局');
    expect(told).toContain(`事项 #${f.seq} 的整改期限由 2017-10-23 调整为 2017-10-31`);
    expect(told).toContain('单位申请延期，已获批准');

    // the person who moved it, privately
    expect(lastReply()).toContain(`已将市公安局事项 #${f.seq} 的整改期限由 2017-10-23 调整为 2017-10-31`);
    expect(lastReply()).toContain('已在市公安局的群聊发出通知。');

    // a Slack retry of the same command: nothing changes, nothing is sent again
    mark = h.slack.calls.length;
    await send(withRetry(req, 1, 'http_timeout'));
    expect(lastReply()).toContain(`事项 #${f.seq} 的整改期限已经是 2017-10-31，没有变化。`);
    expect(since('chat.postMessage')).toHaveLength(0);
    expect(since('chat.update')).toHaveLength(0);
    expect(await auditActions(f.id)).toEqual(['finding.filed', 'finding.deadline_changed']);
  });

  it('Chinese keyword, the date before the number, an organiser', async () => {
    const f = await fileByCommand('市公安局 2.1.2a');
    await send(slash(`期限 2017-11-10 ${f.seq} 国庆假期顺延`, USERS.organiser));
    expect(await deadlineOf(f.id)).toBe('2017-11-10');
  });

  it('a bad date is answered privately with the correct form, and nothing changes', async () => {
    const f = await fileByCommand('市公安局 2.1.3a');
    await send(slash(`deadline #${f.seq} 2017-02-30 单位申请延期`));
    expect(lastReply()).toContain('这条调整整改期限的命令有问题，没有做任何更改');
    expect(lastReply()).toContain('整改期限“2017-02-30”不是有效日期，请按 YYYY-MM-DD 填写');
    expect(lastReply()).toContain('/finding deadline #事项编号 YYYY-MM-DD 理由');
    await send(slash(`deadline #${f.seq} 单位申请延期`));
    expect(lastReply()).toContain('缺少新的整改期限');
    // core's own check: a deadline before the finding's date
    await send(slash(`deadline #${f.seq} 2017-10-01 倒签`));
    expect(lastReply()).toContain('整改期限 2017-10-01 早于发现日期 2017-10-09');

    expect(await deadlineOf(f.id)).toBe(f.deadline);
    expect(await auditActions(f.id)).toEqual(['finding.filed']);
    expect(since('chat.postMessage')).toHaveLength(0);
    expect(since('chat.update')).toHaveLength(0);
  });

  it('an unknown #number, a unit contact, a withdrawn finding, a finding with no deadline: refused clearly', async () => {
    await send(slash('deadline #999999 2017-10-31 延期'));
    expect(lastReply()).toContain('找不到事项 #999999');

    const f = await fileByCommand('市公安局 2.2.1a');
    await send(slash(`deadline #${f.seq} 2017-10-31 延期`, USERS.contact));
    // the action is named in words, not as its code
    expect(lastReply()).toContain('您没有权限执行此操作（调整整改期限）');
    expect(lastReply()).not.toContain('finding.change_deadline');

    await send(slash(`withdraw #${f.seq} 重复记录`));
    await send(slash(`deadline #${f.seq} 2017-10-31 延期`));
    expect(lastReply()).toContain(`事项 #${f.seq} 当前状态为“已撤销”，不能执行此操作。`);

    await send(slash('市科委 1.1.1a value=80'));
    const measured = await h.fx.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    await send(slash(`deadline #${measured.seq} 2017-10-31 延期`));
    expect(lastReply()).toContain(`事项 #${measured.seq} 无需整改`);
    expect(await auditActions(measured.id)).toEqual(['finding.filed']);
  });
});
