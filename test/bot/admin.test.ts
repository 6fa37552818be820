import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';

// /kaoping end to end (signed requests → real Bolt receiver → real core and PostgreSQL → fake
// Slack Web API): members, channels and language, and who may change them.

const ORGANISER = 'U0ORGANISE';
const INSPECTOR = 'U0INSPECT';
const CONTACT = 'U0CONTACT';
const STRANGER = 'U0STRANGER';

type Harness = Awaited<ReturnType<typeof startBotHarness>>;
let h: Harness;
let seq = 0;

async function send(command: string, text: string, userId: string) {
  seq += 1;
  const res = await h.send(
    h.requests.slashCommand({
      command,
      text,
      userId,
      channelId: 'C0ADMIN',
      triggerId: `${seq}.333.admin`,
      responseUrl: h.slack.responseUrl(`T111/${seq}/admin`),
    }),
  );
  expect(res.status).toBe(200);
  const replies = h.slack.callsTo('response_url');
  const last = replies.at(-1);
  return last ? `${last.args.text}\n${JSON.stringify(last.args.blocks ?? [])}` : '';
}
const kaoping = (text: string, userId = ORGANISER) => send('/kaoping', text, userId);
const finding = (text: string, userId: string) => send('/finding', text, userId);

const member = (externalId: string) =>
  h.fx.prisma.member.findFirst({
    where: { identities: { some: { platform: 'slack', externalId } } },
    include: { unit: true },
  });
const binding = (scope: string) =>
  h.fx.prisma.channelBinding.findUnique({ where: { platform_scope: { platform: 'slack', scope } } });

beforeAll(async () => {
  h = await startBotHarness({ now: '2017-06-15T10:00:00+08:00' });
  await h.slackMember(ORGANISER, 'organiser');
  await h.slackMember(INSPECTOR, 'inspector');
  await h.slackMember(CONTACT, 'unit_contact', '市公安局');
});

afterEach(() => h.slack.reset());

afterAll(async () => {
  await h?.close();
});

describe('/kaoping member', () => {
  it('an organiser registers an inspector, who may then file', async () => {
    const reply = await kaoping('member add <@U0NEWINSP|zhang.san> inspector');
    expect(reply).toContain('已将 <@U0NEWINSP> 登记为督查员');
    expect(await member('U0NEWINSP')).toMatchObject({
      role: 'inspector',
      active: true,
      displayName: 'zhang.san',
      unitId: null,
    });
    const audit = await h.fx.prisma.auditLog.findMany({
      where: { action: 'member.added', entityId: String((await member('U0NEWINSP'))!.id) },
    });
    expect(audit).toHaveLength(1);

    await finding('市公安局 2.1.1a', 'U0NEWINSP');
    expect(await h.fx.prisma.finding.count()).toBe(1);
  });

  it('a unit contact is bound to the canonical unit of an alias', async () => {
    const reply = await kaoping('member add <@U0NEWCONT> contact 市地震局');
    expect(reply).toContain('已将 <@U0NEWCONT> 登记为市科委的单位联系人');
    const m = await member('U0NEWCONT');
    expect(m).toMatchObject({ role: 'unit_contact', active: true });
    expect(m!.unit!.name).toBe('市科委');
  });

  it('an unknown unit is refused and nothing is written', async () => {
    const reply = await kaoping('member add <@U0NOUNIT> contact 市不存在局');
    expect(reply).toContain('找不到单位“市不存在局”');
    expect(await member('U0NOUNIT')).toBeNull();
  });

  it('member remove deactivates (the record stays); the removed person is then unknown', async () => {
    await kaoping('member add <@U0LEAVER> inspector');
    const reply = await kaoping('member remove <@U0LEAVER|li.si>');
    expect(reply).toContain('已移除 <@U0LEAVER>');
    expect(await member('U0LEAVER')).toMatchObject({ active: false, role: 'inspector' });
    expect(await h.fx.prisma.auditLog.count({ where: { action: 'member.removed' } })).toBe(1);

    const refused = await finding('市公安局 2.1.1a', 'U0LEAVER');
    expect(refused).toContain('您尚未登记为考评系统用户');

    expect(await kaoping('member remove <@U0LEAVER>')).toContain('没有找到已登记的成员 U0LEAVER');
    // added again: active again
    await kaoping('member add <@U0LEAVER> inspector');
    expect(await member('U0LEAVER')).toMatchObject({ active: true });
  });

  it('an organiser cannot remove themselves', async () => {
    expect(await kaoping(`member remove <@${ORGANISER}>`)).toContain('不能移除自己');
    expect(await member(ORGANISER)).toMatchObject({ active: true });
  });

  it('is refused for inspectors and unit contacts, and unknown people are told to ask', async () => {
    expect(await kaoping('member add <@U0SNEAKY> organiser', INSPECTOR)).toContain('您没有权限执行此操作');
    expect(await kaoping(`member remove <@${INSPECTOR}>`, CONTACT)).toContain('您没有权限执行此操作');
    expect(await kaoping('member add <@U0SNEAKY> organiser', STRANGER)).toContain('您尚未登记为考评系统用户');
    expect(await member('U0SNEAKY')).toBeNull();
    expect(await member(INSPECTOR)).toMatchObject({ active: true });
  });

  it('a malformed command says what is wrong and shows the correct form', async () => {
    const reply = await kaoping('member add bob inspector');
    expect(reply).toContain('这条 /kaoping 命令有问题，没有做任何更改');
    expect(reply).toContain('“bob”不是一个用户');
    expect(reply).toContain('/kaoping member add @用户 inspector|organiser|contact [单位]');
    expect(await kaoping('member add <@U0X> contact')).toContain('单位联系人需要写明所属单位');
  });
});

describe('/kaoping channel', () => {
  it('binds a unit (by alias) and the organisers to channels; notices then go there', async () => {
    expect(await kaoping('channel 市工商局 <#C0SCJG|shichang>')).toContain(
      '已将市市场监督管理局的通知频道设为 #shichang',
    );
    expect(await binding('市市场监督管理局')).toMatchObject({ channelId: 'C0SCJG' });
    expect(await kaoping('channel organisers <#C0ORGS>')).toContain('已将考核组织单位的通知频道设为 #C0ORGS');
    expect(await binding('organisers')).toMatchObject({ channelId: 'C0ORGS' });

    h.slack.reset();
    await finding('市食品药品监管局 3.1.3a 指南不全', INSPECTOR);
    expect(h.slack.callsTo('chat.postMessage').map((c) => c.args.channel)).toEqual(['C0SCJG']);
  });

  it('rebinding moves the channel', async () => {
    await kaoping('channel 市教育局 <#C0EDU1>');
    await kaoping('channel 市教育局 <#C0EDU2>');
    expect(await binding('市教育局')).toMatchObject({ channelId: 'C0EDU2' });
  });

  it('is refused for others, and for unknown units', async () => {
    expect(await kaoping('channel 市公安局 <#C0EVIL>', INSPECTOR)).toContain('您没有权限执行此操作');
    expect(await binding('市公安局')).toBeNull();
    expect(await kaoping('channel 市不存在局 <#C0X>')).toContain('找不到单位“市不存在局”');
    expect(await kaoping('channel 市公安局 #general')).toContain('“#general”不是一个频道');
  });
});

describe('/kaoping lang', () => {
  it('switches a person’s replies to English, and back', async () => {
    expect(await kaoping('lang en', INSPECTOR)).toContain('OK, kaoping will answer you in English from now on.');
    expect(await member(INSPECTOR)).toMatchObject({ locale: 'en' });

    const parseError = await finding('市公安局 2.1.1a x0', INSPECTOR);
    expect(parseError).toContain('There is a problem with this /finding command; nothing was filed');
    expect(parseError).toContain('The count "0" is not valid');
    expect(parseError).toContain('Usage: /finding');

    const filed = await finding('市公安局 2.1.2a x2 provincial', INSPECTOR);
    expect(filed).toContain('It counts -4 points.');
    expect(filed).toContain('found by provincial inspection: doubled ×2');
    expect(filed).toContain('has no group channel yet');

    await finding('', INSPECTOR);
    const form = h.slack.lastCall('views.open')!.args.view;
    expect(form.title.text).toBe('File a finding');
    expect(JSON.stringify(form.blocks)).toContain('Leave empty for 2017-06-29 (10 working days after the date found).');

    expect(await kaoping('help', INSPECTOR)).toContain('/kaoping: members, channels and language');
    expect(await kaoping('member add <@U0Z> inspector', INSPECTOR)).toContain('You are not allowed to do that');

    expect(await kaoping('lang zh', INSPECTOR)).toContain('好的，以后用中文回复您。');
    expect(await finding('help', INSPECTOR)).toContain('/finding：记录考评事项');
  });

  it('anyone registered may set their own language; unknown people may not', async () => {
    expect(await kaoping('lang en', CONTACT)).toContain('OK, kaoping will answer you in English');
    expect(await kaoping('lang en', STRANGER)).toContain('您尚未登记为考评系统用户');
    expect(await kaoping('lang fr', CONTACT)).toContain('Language "fr" is not supported');
  });
});

describe('/kaoping help', () => {
  it('lists the commands', async () => {
    const reply = await kaoping('');
    expect(reply).toContain('/kaoping：成员、频道与语言');
    for (const line of ['/kaoping member add', '/kaoping member remove', '/kaoping channel', '/kaoping lang'])
      expect(reply).toContain(line);
  });
});
