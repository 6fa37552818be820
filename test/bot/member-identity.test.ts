import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { createCoreFixture, type CoreFixture } from '../support/core-fixture.ts';
import { startDingTalkHarness } from '../support/dingtalk-bot-harness.ts';
import { groupMessage } from '../support/dingtalk-requests.ts';

// One person, two messengers: the Slack bot and the DingTalk bot over one database. An organiser
// links a member's user id on the other platform with `/kaoping member add @user <platform>:<id>`
// from either side; from then on both user ids are the same member — one role, unit and language,
// their findings their own on both — and the change is in the audit log.

const SLACK = { organiser: 'U0ORGANISE', inspector: 'U0INSPECT', other: 'U0OTHERINS' } as const;
const DT = { organiser: 'dt-organiser', inspector: 'dt-inspector', contact: 'dt-contact', stranger: 'dt-stranger' };
const ORG_GROUP = 'cidOrganisers==';

let fx: CoreFixture;
let slack: Awaited<ReturnType<typeof startBotHarness>>;
let dingtalk: Awaited<ReturnType<typeof startDingTalkHarness>>;
let n = 0;

beforeAll(async () => {
  fx = await createCoreFixture({ now: '2017-10-09T10:00:00+08:00' });
  slack = await startBotHarness({ fx });
  dingtalk = await startDingTalkHarness({ fx });
  await slack.slackMember(SLACK.organiser, 'organiser');
  await slack.slackMember(SLACK.inspector, 'inspector');
  await slack.slackMember(SLACK.other, 'inspector');
});
afterAll(async () => {
  await slack?.close();
  await dingtalk?.close();
  await fx?.drop();
});

/** `/kaoping …` on Slack; the private reply's text and blocks. */
async function onSlack(text: string, userId: string = SLACK.organiser, command = '/kaoping'): Promise<string> {
  slack.slack.reset();
  n += 1;
  const res = await slack.send(
    slack.requests.slashCommand({
      command,
      text,
      userId,
      channelId: 'C0ADMIN',
      triggerId: `${n}.333.link`,
      responseUrl: slack.slack.responseUrl(`T111/${n}/link`),
    }),
  );
  expect(res.status).toBe(200);
  const last = slack.slack.callsTo('response_url').at(-1);
  return last ? `${last.args.text}\n${JSON.stringify(last.args.blocks ?? [])}` : '';
}

/** A command @-mentioning the robot (and `mentions`) in a DingTalk group; the private reply's text. */
async function onDingTalk(text: string, from: string, mentions: string[] = []): Promise<string> {
  dingtalk.api.reset();
  const res = await dingtalk.send(
    groupMessage({
      msgId: `msg-link-${++n}`,
      text,
      from,
      conversationId: ORG_GROUP,
      mentions,
      sessionWebhook: dingtalk.api.sessionWebhook('g'),
    }),
  );
  expect(res.status).toBe(200);
  return dingtalk.api
    .cardsTo(from)
    .map((c) => c.params.markdown ?? '')
    .join('\n');
}

const memberOf = (platform: string, externalId: string) =>
  fx.prisma.member.findFirst({
    where: { identities: { some: { platform, externalId } } },
    include: { identities: { orderBy: { id: 'asc' } }, unit: true },
  });
const auditCount = () => fx.prisma.auditLog.count();

describe('/kaoping member add @user <platform>:<id>', () => {
  it('on Slack: the organiser links their own DingTalk user id, and is an organiser there at once', async () => {
    const reply = await onSlack(`member add <@${SLACK.organiser}> dingtalk:${DT.organiser}`);
    expect(reply).toContain(`<@${SLACK.organiser}> 与钉钉账号 ${DT.organiser} 现为同一成员（考核组织单位）`);
    const m = await memberOf('dingtalk', DT.organiser);
    expect(m!.identities.map((i) => `${i.platform}:${i.externalId}`)).toEqual([
      `slack:${SLACK.organiser}`,
      `dingtalk:${DT.organiser}`,
    ]);
    // the same member resolves from either platform
    const a = await fx.membership.resolveActor('slack', SLACK.organiser);
    const b = await fx.membership.resolveActor('dingtalk', DT.organiser);
    expect(a.ok && b.ok && a.value.memberId === b.value.memberId && b.value.role === 'organiser').toBe(true);
  });

  it('on DingTalk: the organiser links a Slack inspector to the DingTalk user they @-mention', async () => {
    const before = await memberOf('slack', SLACK.inspector);
    const reply = await onDingTalk(`/kaoping member add slack:${SLACK.inspector}`, DT.organiser, [DT.inspector]);
    expect(reply).toContain(`@${DT.inspector} 与 Slack 账号 ${SLACK.inspector} 现为同一成员（督查员）`);
    const after = await memberOf('dingtalk', DT.inspector);
    expect(after!.id).toBe(before!.id); // no second member: the Slack member got a DingTalk identity
    expect(await fx.prisma.member.count({ where: { identities: { some: { platform: 'dingtalk' } } } })).toBe(2);
    const audit = await fx.prisma.auditLog.findFirst({
      where: { action: 'member.identity_linked', entityId: String(before!.id) },
    });
    expect(audit).toMatchObject({ actorLabel: `organiser:dingtalk:${DT.organiser}` });
    expect(audit!.before).toMatchObject({ identities: [{ platform: 'slack', externalId: SLACK.inspector }] });
    expect(audit!.after).toMatchObject({
      identities: [
        { platform: 'slack', externalId: SLACK.inspector },
        { platform: 'dingtalk', externalId: DT.inspector },
      ],
    });
  });

  it('one member: a finding filed on DingTalk is withdrawn on Slack, and a language set on Slack answers on DingTalk', async () => {
    const file = await onDingTalk('/finding 市公安局 2.1.1a 网上受理未覆盖', DT.inspector);
    expect(file).toContain('市公安局');
    const f = await fx.prisma.finding.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    const inspector = await memberOf('slack', SLACK.inspector);
    expect(f.filedById).toBe(inspector!.id);
    // inspectors withdraw only their own findings: this one is theirs on Slack too
    await onSlack(`withdraw #${f.seq} 重复录入`, SLACK.inspector, '/finding');
    const withdrawn = await fx.prisma.finding.findUniqueOrThrow({ where: { id: f.id } });
    expect(withdrawn.status).toBe('withdrawn');

    expect(await onSlack('lang en', SLACK.inspector)).toContain('English');
    const en = await onDingTalk('/kaoping help', DT.inspector);
    expect(en).toContain('/kaoping: members, channels and language');
  });

  it('linking twice changes nothing; a new id on the same platform replaces the old one, which is then unknown', async () => {
    const audits = await auditCount();
    expect(await onSlack(`member add <@${SLACK.inspector}> dingtalk:${DT.inspector}`)).toContain(
      '已是同一成员，没有更改',
    );
    expect(await auditCount()).toBe(audits);

    const reply = await onSlack(`member link <@${SLACK.inspector}> 钉钉:dt-inspector-new`);
    expect(reply).toContain('该成员原来的钉钉账号 dt-inspector 已解除关联');
    expect((await fx.membership.resolveActor('dingtalk', 'dt-inspector-new')).ok).toBe(true);
    const old = await fx.membership.resolveActor('dingtalk', DT.inspector);
    expect(!old.ok && old.error.code).toBe('AUTH.UNKNOWN_MEMBER');
    await onSlack(`member add <@${SLACK.inspector}> dingtalk:${DT.inspector}`); // back, for the tests below
  });

  it('refuses, writing nothing: two different members, two ids on one platform, nobody known, not an organiser', async () => {
    await onDingTalk('/kaoping member add contact 市科委', DT.organiser, [DT.contact]);
    const audits = await auditCount();
    const identities = await fx.prisma.memberIdentity.count();

    // dt-contact is already a member of their own: linking would merge two people's records
    expect(await onSlack(`member add <@${SLACK.other}> dingtalk:${DT.contact}`)).toContain(
      'dingtalk:dt-contact 已经是另一位成员',
    );
    expect(await onSlack(`member add <@${SLACK.other}> slack:U0SOMEONE`)).toContain('一个成员在每个平台只有一个账号');
    expect(await onSlack('member add <@U0NOBODY> dingtalk:dt-nobody')).toContain('没有找到已登记的成员');
    expect(await onSlack(`member add <@${SLACK.other}> dingtalk:dt-x`, SLACK.inspector)).toContain(
      'You are not allowed to do that (manage members and channels)', // this inspector reads English (above)
    );
    expect(await onSlack(`member add <@${SLACK.other}> wechat:abc`)).toContain('不是一个账号');

    expect(await auditCount()).toBe(audits);
    expect(await fx.prisma.memberIdentity.count()).toBe(identities);
  });

  it('an id of a removed member may be linked to someone else (it moves); removing by either id removes the person', async () => {
    expect(await onSlack(`member remove <@${SLACK.other}>`)).toContain('已移除');
    // the removed member's Slack id now goes to the DingTalk contact's member
    expect(await onDingTalk(`/kaoping member add slack:${SLACK.other}`, DT.organiser, [DT.contact])).toContain(
      '现为同一成员',
    );
    const contact = await fx.membership.resolveActor('slack', SLACK.other);
    expect(contact.ok && contact.value.role === 'unit_contact' && contact.value.unit === '市科委').toBe(true);

    // removed on DingTalk: the Slack id stops working too
    expect(await onDingTalk('/kaoping member remove', DT.organiser, [DT.contact])).toContain('已移除');
    expect((await fx.membership.resolveActor('slack', SLACK.other)).ok).toBe(false);
  });

  it('an organiser cannot remove themselves through their other platform’s id', async () => {
    const onDingTalkAsOrganiser = await fx.membership.resolveActor('dingtalk', DT.organiser);
    if (!onDingTalkAsOrganiser.ok) throw onDingTalkAsOrganiser.error;
    const r = await fx.membership.removeMember(onDingTalkAsOrganiser.value, {
      platform: 'slack',
      externalId: SLACK.organiser,
    });
    expect(!r.ok && r.error.code).toBe('MEMBER.SELF_REMOVE');
    expect((await fx.membership.resolveActor('slack', SLACK.organiser)).ok).toBe(true);
  });

  it('help lists the link form in both languages', async () => {
    expect(await onSlack('help')).toContain(
      '/kaoping member add @用户 slack:&lt;Slack 成员 ID&gt; 或 dingtalk:&lt;钉钉 userid&gt;', // as Slack escapes it,
    );
    expect(await onDingTalk('/kaoping help', DT.inspector)).toContain(
      '/kaoping member add @user slack:<Slack member ID> or dingtalk:<DingTalk userid>',
    );
  });
});
