import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDingTalkHarness } from '../support/dingtalk-bot-harness.ts';
import { directMessage, fileMessage } from '../support/dingtalk-requests.ts';

// An organiser sends the export's findings sheet to the robot one to one (msgtype file, from
// DingTalk's published sample): the signed HTTP callback, robot/messageFiles/download and the
// file's URL on the fake DingTalk API, the rows filed through the bulk intake on real PostgreSQL.

const GOOD_CSV =
  '\uFEFF单位,条款,日期,数量,来源,行键\r\n市公安局,2.1.1a,2017-09-05,2,省级督查,d-1\r\n市地震局,3.1.1a,2017-09-07,1,,d-2\r\n';

type H = Awaited<ReturnType<typeof startDingTalkHarness>>;

describe('importing a findings file sent to the DingTalk robot', () => {
  let h: H;
  let n = 0;
  beforeAll(async () => {
    h = await startDingTalkHarness({ now: '2017-10-09T10:00:00+08:00' });
    await h.member('dt-organiser', 'organiser');
    await h.member('dt-inspector', 'inspector');
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.api.reset());

  const sendFile = async (from: string, fileName: string, bytes: string, msgId = `msg-file-${++n}`) => {
    const downloadCode = h.api.addMessageFile(bytes);
    const body = fileMessage({ msgId, from, fileName, downloadCode, sessionWebhook: h.api.sessionWebhook(from) });
    expect((await h.send(body)).status).toBe(200);
    return { body, said: replies() };
  };
  const replies = () => h.api.callsOf('sendBySession').map((c) => JSON.stringify(c.body));

  it('files an organiser’s rows and says so; the same file again adds nothing; a redelivery is answered once', async () => {
    const { body, said } = await sendFile('dt-organiser', '考评结果-2017-09.csv', GOOD_CSV);
    expect(said[0]).toContain('已收到“考评结果-2017-09.csv”，正在导入');
    expect(said[1]).toContain('已导入 2 条考评事项');
    expect(h.api.callsOf('robot.messageFiles.download')[0]!.body.robotCode).toBe(h.config.robotCode);
    expect(await h.fx.prisma.finding.count()).toBe(2);

    expect((await h.send(body)).status).toBe(200); // DingTalk retries the same callback
    expect(replies()).toHaveLength(2);
    expect(h.api.callsOf('file.download')).toHaveLength(1);

    h.api.reset();
    const again = await sendFile('dt-organiser', '考评结果-2017-09.csv', GOOD_CSV);
    expect(again.said[1]).toContain('已导入 0 条考评事项（2 条此前已导入');
    expect(await h.fx.prisma.finding.count()).toBe(2);
  }, 30_000);

  it('an inspector’s file is refused before it is fetched, and nothing is written', async () => {
    const before = await h.fx.prisma.finding.count();
    const { said } = await sendFile('dt-inspector', 'mine.csv', GOOD_CSV.replaceAll('d-', 'i-'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('您没有权限执行此操作（批量导入考评事项）');
    expect(h.api.callsOf('robot.messageFiles.download')).toHaveLength(0);
    expect(await h.fx.prisma.finding.count()).toBe(before);
  }, 30_000);

  it('a bad file gets every problem by row and column, and nothing is written', async () => {
    const before = await h.fx.prisma.finding.count();
    const { said } = await sendFile(
      'dt-organiser',
      'bad.csv',
      '单位,条款,日期,数量\r\n市公按局,2.1.1a,2017-09-08,1\r\n',
    );
    expect(said[1]).toContain('导入被拒绝，没有导入任何事项');
    expect(said[1]).toContain('第 2 行“单位”：找不到单位“市公按局”');
    expect(await h.fx.prisma.finding.count()).toBe(before);
  }, 30_000);

  it('a file larger than an import takes is refused without reading it all, and nothing is written', async () => {
    const before = await h.fx.prisma.finding.count();
    const { said } = await sendFile('dt-organiser', 'huge.csv', GOOD_CSV + 'x'.repeat(11 * 1024 * 1024));
    expect(said[1]).toContain('“huge.csv”太大（11 MB），导入的文件最大 10 MB。');
    expect(await h.fx.prisma.finding.count()).toBe(before);
  }, 30_000);

  it('a file of another type is refused unread; /kaoping import says to send the file', async () => {
    const { said } = await sendFile('dt-organiser', 'foobar.zip', 'zip');
    expect(said).toEqual([expect.stringContaining('“foobar.zip”不是 .xlsx 或 .csv 文件')]);
    expect(h.api.callsOf('robot.messageFiles.download')).toHaveLength(0);
    h.api.reset();
    await h.send(
      directMessage({
        msgId: `msg-file-${++n}`,
        text: '/kaoping import',
        from: 'dt-organiser',
        sessionWebhook: h.api.sessionWebhook('o'),
      }),
    );
    expect(replies()[0]).toContain('请在与我的单聊中把导出格式的文件');
  }, 30_000);
});
