import { decode } from 'fast-png';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { MYSCORE_CHART_ACTION } from '../../bot/handlers/myscore-message.ts';
import { addMembers, fileLedger, flatText, LEDGER, USERS, type Harness } from './myscore-support.ts';

// /myscore 图表 end to end: the signed slash command into the Bolt receiver, the engine over a
// fresh database, and two PNGs uploaded through files.uploadV2 into the person's DM at the fake
// Slack; a failed upload is explained instead.

describe('/myscore charts', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startBotHarness({ now: '2017-10-09T10:00:00+08:00' });
    await addMembers(h);
    await fileLedger(h);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  const slash = (text: string, userId: string = USERS.contact) =>
    h.send(
      h.requests.slashCommand({
        command: '/myscore',
        text,
        userId,
        channelId: 'C0SOMEWHERE',
        responseUrl: h.slack.responseUrl(`myscore/${userId}`),
      }),
    );

  it('a unit contact gets the monthly trend and the section chart as pictures in their DM', async () => {
    expect((await slash('图表')).status).toBe(200);
    const reply = await h.slack.waitFor((c) => c.method === 'response_url', { timeoutMs: 30_000 });
    expect(flatText(reply.args.blocks)).toContain('市公安局 的月度得分走势图和各项得分图已发送给你。');
    const files = h.slack.filesIn(h.slack.dmChannelFor(USERS.contact));
    expect(files.map((f) => f.filename)).toEqual(['市公安局-trend-2017-10-09.png', '市公安局-sections-2017-10-09.png']);
    const trend = decode(files[0]!.bytes!);
    expect([trend.width, trend.height]).toEqual([800, 450]);
    expect(files[0]!.title).toBe('市公安局 月度得分走势');
    expect(decode(files[1]!.bytes!).width).toBe(900);
  });

  it('the charts button on /myscore does the same for an inspector asking about any unit', async () => {
    const res = await h.send(
      h.requests.blockAction({
        actionId: MYSCORE_CHART_ACTION,
        value: '市公安局',
        userId: USERS.inspector,
        responseUrl: h.slack.responseUrl('chart'),
      }),
    );
    expect(res.status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'response_url', { timeoutMs: 30_000 });
    expect(h.slack.filesIn(h.slack.dmChannelFor(USERS.inspector))).toHaveLength(2);
    expect(LEDGER.total).toBeLessThan(100);
  });

  it('a contact asking for another unit’s charts is refused and gets no picture', async () => {
    await slash('市科委 图表');
    const reply = await h.slack.waitFor((c) => c.method === 'response_url', { timeoutMs: 30_000 });
    expect(flatText(reply.args.blocks)).toContain('只能查看本单位');
    expect(h.slack.uploads.size).toBe(0);
  });

  it('a failed upload is explained in the person’s language, and nothing half-sent is shared', async () => {
    h.slack.fail('upload_url', { status: 503 });
    await slash('chart');
    const reply = await h.slack.waitFor((c) => c.method === 'response_url', { timeoutMs: 30_000 });
    const text = flatText(reply.args.blocks);
    expect(text).toContain('文件“市公安局-trend-2017-10-09.png”上传失败，没有发送。');
    expect(text).toContain('请稍后再试');
    expect(h.slack.filesIn(h.slack.dmChannelFor(USERS.contact))).toEqual([]);
  });
});
