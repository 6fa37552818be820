import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { addMembers, bindPsbChannel, flatText, USERS, type Harness } from './myscore-support.ts';

const PSB_CHANNEL = 'C0PSBGROUP';

// An organiser sends the export's findings sheet to the bot in Slack with "kaoping import": the
// signed message event through the HTTP receiver, files.info and the private download on the fake
// Slack API with the bot token, the rows filed through the bulk intake on real PostgreSQL.

const GOOD_CSV =
  '\uFEFF单位,条款,日期,数量,来源,行键\r\n市公安局,2.1.1a,2017-09-05,2,省级督查,s-1\r\n市地震局,3.1.1a,2017-09-07,1,,s-2\r\n';

describe('importing a findings file sent in Slack', () => {
  let h: Harness;
  let events = 0;
  beforeAll(async () => {
    h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
    await addMembers(h);
    await bindPsbChannel(h, PSB_CHANNEL);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  /** Sends the file with the words; returns every private answer the person got, in order. */
  const sendFile = async (
    userId: string,
    file: { name: string; bytes: string; size?: number },
    o: { text?: string; eventId?: string; retryNum?: number } = {},
  ) => {
    const shared = h.slack.shareFile(file);
    events += 1;
    const res = await h.send(
      h.requests.fileShare(
        { userId, fileId: shared.id, text: o.text ?? 'kaoping import', eventId: o.eventId ?? `EvImport${events}` },
        o.retryNum === undefined ? {} : { retryNum: o.retryNum, retryReason: 'http_timeout' },
      ),
    );
    expect(res.status).toBe(200);
    return answers(userId);
  };
  const answers = (userId: string) =>
    h.slack
      .callsTo('chat.postEphemeral')
      .filter((c) => c.args.user === userId)
      .map((c) => flatText(c.args.blocks) || String(c.args.text));

  it('files an organiser’s rows, says so at once and after, and the same file again adds nothing', async () => {
    const said = await sendFile(USERS.organiser, { name: '考评结果-2017-09.csv', bytes: GOOD_CSV });
    expect(said[0]).toContain('已收到“考评结果-2017-09.csv”，正在导入');
    expect(said[1]).toContain('已导入 2 条考评事项');
    const download = h.slack.lastCall('file_download')!;
    expect(download.token).toBe('xoxb-test-token');
    expect(await h.fx.prisma.finding.count()).toBe(2);
    expect(await h.fx.prisma.auditLog.count({ where: { action: 'findings.imported' } })).toBe(1);
    // one summary for the unit, in its channel (not one message per row)
    const notices = h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === PSB_CHANNEL);
    expect(notices).toHaveLength(1);
    expect(flatText(notices[0]!.args.blocks)).toContain('市公安局：考核组织单位批量导入了 1 条考评事项');

    h.slack.reset();
    const again = await sendFile(USERS.organiser, { name: '考评结果-2017-09.csv', bytes: GOOD_CSV }, { text: '导入' });
    expect(again[1]).toContain('已导入 0 条考评事项（2 条此前已导入');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0); // nothing new, nothing to tell the unit
    expect(await h.fx.prisma.finding.count()).toBe(2);
  }, 30_000);

  it('a redelivered event is answered once and imports nothing twice', async () => {
    const shared = h.slack.shareFile({ name: 'again.csv', bytes: GOOD_CSV.replaceAll('s-', 'r-') });
    const req = (retryNum?: number) =>
      h.requests.fileShare(
        { userId: USERS.organiser, fileId: shared.id, text: 'kaoping import', eventId: 'EvRedelivered' },
        retryNum === undefined ? {} : { retryNum, retryReason: 'http_timeout' },
      );
    expect((await h.send(req())).status).toBe(200);
    expect((await h.send(req(1))).status).toBe(200);
    expect(h.slack.callsTo('file_download')).toHaveLength(1);
    expect(answers(USERS.organiser).filter((t) => t.includes('已导入 2 条考评事项'))).toHaveLength(1);
    expect(await h.fx.prisma.finding.count()).toBe(4);
  }, 30_000);

  it('an inspector’s file is refused before it is fetched, and nothing is written', async () => {
    const before = await h.fx.prisma.finding.count();
    const said = await sendFile(USERS.inspector, { name: 'mine.csv', bytes: GOOD_CSV.replaceAll('s-', 'i-') });
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('您没有权限执行此操作（批量导入考评事项）');
    expect(h.slack.callsTo('files.info')).toHaveLength(0);
    expect(h.slack.callsTo('file_download')).toHaveLength(0);
    expect(await h.fx.prisma.finding.count()).toBe(before);
  }, 30_000);

  it('a bad file gets every problem by row and column, in the person’s language, and nothing is written', async () => {
    const before = await h.fx.prisma.finding.count();
    const said = await sendFile(USERS.organiser, {
      name: 'bad.csv',
      bytes: '单位,条款,日期,数量\r\n市公按局,2.1.1a,2017-09-08,1\r\n市公安局,2.1.1a,2017-9-8,x\r\n',
    });
    expect(said[1]).toContain('导入被拒绝，没有导入任何事项');
    expect(said[1]).toContain('第 3 行“日期”：“2017-9-8”不是日期');
    expect(said[1]).toContain('第 3 行“数量”：“x”不是整数');
    expect(await h.fx.prisma.finding.count()).toBe(before);

    await h.fx.prisma.member.updateMany({
      data: { locale: 'en' },
      where: { identities: { some: { externalId: USERS.organiser } } },
    });
    h.slack.reset();
    const en = await sendFile(USERS.organiser, {
      name: 'bad.csv',
      bytes: '单位,条款,日期\r\n市公按局,2.1.1a,2017-09-08\r\n',
    });
    expect(en[1]).toContain('The import was refused; nothing was imported.');
    expect(en[1]).toMatch(/row 2, “单位”: /);
    await h.fx.prisma.member.updateMany({
      data: { locale: 'zh-CN' },
      where: { identities: { some: { externalId: USERS.organiser } } },
    });
  }, 30_000);

  it('a file of another type or too large is refused before it is fetched', async () => {
    const said = await sendFile(USERS.organiser, { name: 'photo.png', bytes: 'png' });
    expect(said).toEqual([expect.stringContaining('“photo.png”不是 .xlsx 或 .csv 文件')]);
    h.slack.reset();
    const big = await sendFile(USERS.organiser, { name: 'big.xlsx', bytes: 'x', size: 50 * 1024 * 1024 });
    expect(big).toEqual([expect.stringContaining('“big.xlsx”太大（50 MB），导入的文件最大 10 MB。')]);
    expect(h.slack.callsTo('file_download')).toHaveLength(0);
  }, 30_000);

  it('a file that turns out larger than files.info said is cut off at the limit, and nothing is written', async () => {
    const before = await h.fx.prisma.finding.count();
    const said = await sendFile(USERS.organiser, {
      name: 'grown.csv',
      bytes: GOOD_CSV + 'x'.repeat(11 * 1024 * 1024),
      size: 1000,
    });
    expect(said[1]).toContain('“grown.csv”超过了导入文件的上限 10 MB，没有导入任何事项。');
    expect(await h.fx.prisma.finding.count()).toBe(before);
  }, 30_000);

  it('a file sent without the words is left alone, and /kaoping import says how to send one', async () => {
    expect(await sendFile(USERS.organiser, { name: 'x.csv', bytes: GOOD_CSV }, { text: 'here is the sheet' })).toEqual(
      [],
    );
    expect(h.slack.calls).toHaveLength(0);
    await h.send(
      h.requests.slashCommand({
        command: '/kaoping',
        text: 'import',
        userId: USERS.organiser,
        responseUrl: h.slack.responseUrl('kaoping/import'),
      }),
    );
    const reply = await h.slack.waitFor((c) => c.method === 'response_url');
    expect(flatText(reply.args.blocks)).toContain('并在同一条消息里写 kaoping import');
  }, 30_000);
});
