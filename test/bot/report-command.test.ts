import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseReportText } from '../../bot/parsing/report-text.ts';
import { startBotHarness } from '../support/bot-harness.ts';
import { actorOf, addMembers, fileLedger, flatText, USERS, type Harness } from './myscore-support.ts';

// /kaoping export through the Slack receiver. This bot has no worker (as at the console), so it
// makes the workbook itself and uploads it with files.uploadV2 into the person's DM.

describe('/kaoping export', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
    await addMembers(h);
    await fileLedger(h);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  const kaoping = async (userId: string, text: string) => {
    const res = await h.send(
      h.requests.slashCommand({
        command: '/kaoping',
        text,
        userId,
        channelId: 'C0SOMEWHERE',
        responseUrl: h.slack.responseUrl(`kaoping/${userId}`),
      }),
    );
    expect(res.status).toBe(200);
    const reply = await h.slack.waitFor((c) => c.method === 'response_url', { timeoutMs: 30_000 });
    return flatText(reply.args.blocks);
  };

  it('an inspector gets the month’s workbook in their DM, the live standings before the office publishes', async () => {
    const text = await kaoping(USERS.inspector, 'export 2017-09');
    expect(text).toContain('2017-09 的报表已发送给你（1 个文件）。');
    const [file] = h.slack.filesIn(h.slack.dmChannelFor(USERS.inspector));
    expect(file!.filename).toBe('考评结果-2017-09.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file!.bytes! as unknown as ArrayBuffer);
    const findings = wb.getWorksheet('考评事项')!;
    expect(findings.rowCount).toBe(3); // the header and September's two findings
  });

  it('a unit contact is refused and gets no file', async () => {
    const text = await kaoping(USERS.contact, '导出 2017-09');
    expect(text).toContain('导出考评结果和事项');
    expect(h.slack.uploads.size).toBe(0);
  });

  it('a wrong period or format says what to write', async () => {
    expect(await kaoping(USERS.organiser, 'export 2017-13')).toContain('“2017-13”不是月份或年度');
    h.slack.reset();
    expect(await kaoping(USERS.organiser, 'export 2017-09 pdf')).toContain('“pdf”不是导出格式，请写 xlsx 或 csv。');
    expect(h.slack.uploads.size).toBe(0);
  });
});

describe('/kaoping report (the 通报 document)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
    await addMembers(h);
    await fileLedger(h);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  const kaoping = async (userId: string, text: string) => {
    await h.send(
      h.requests.slashCommand({
        command: '/kaoping',
        text,
        userId,
        channelId: 'C0SOMEWHERE',
        responseUrl: h.slack.responseUrl(`kaoping/${userId}`),
      }),
    );
    const reply = await h.slack.waitFor((c) => c.method === 'response_url', { timeoutMs: 30_000 });
    return flatText(reply.args.blocks);
  };

  it('is refused until the office publishes the month, then arrives as .docx with each group’s chart', async () => {
    expect(await kaoping(USERS.organiser, '通报 2017-09')).toContain('2017-09 的结果尚未公布');
    expect(h.slack.uploads.size).toBe(0);
    const organiser = await actorOf(h, USERS.organiser);
    expect((await h.fx.months.setState(organiser, { month: '2017-09', state: 'closed' })).ok).toBe(true);
    expect((await h.fx.months.publish(organiser, { period: '2017-09', announceTies: true })).ok).toBe(true);
    h.slack.reset();
    const text = await kaoping(USERS.organiser, 'report 2017-09');
    expect(text).toContain('2017-09 的报表已发送给你（3 个文件）。');
    const files = h.slack.filesIn(h.slack.dmChannelFor(USERS.organiser));
    expect(files.map((f) => f.filename)).toEqual([
      '考评通报-2017-09.docx',
      '考评通报-2017-09-with_matters.png',
      '考评通报-2017-09-without_matters.png',
    ]);
    expect(files[0]!.title).toBe('关于2017年9月“最多跑一次”改革综合考评结果的通报');
  });
});

describe('parseReportText', () => {
  it('reads the kind, the period and the format in either language', () => {
    expect(parseReportText('export 2017-09')).toEqual({
      ok: true,
      command: { kind: 'export', period: '2017-09', format: 'xlsx' },
    });
    expect(parseReportText('导出 2017 csv')).toEqual({
      ok: true,
      command: { kind: 'export', period: '2017', format: 'csv' },
    });
    expect(parseReportText('通报 2017-09')).toEqual({ ok: true, command: { kind: 'bulletin', period: '2017-09' } });
    expect(parseReportText('import /tmp/a b.xlsx')).toEqual({
      ok: true,
      command: { kind: 'import', path: '/tmp/a b.xlsx' },
    });
    expect(parseReportText('export')).toMatchObject({ ok: false, problem: 'missing_period' });
    expect(parseReportText('report 2017-09 x')).toMatchObject({ ok: false, problem: 'extra_words', value: 'x' });
  });
});
