import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDingTalkHarness } from '../support/dingtalk-bot-harness.ts';
import { directMessage } from '../support/dingtalk-requests.ts';
import { ACTION } from '../../core/messages/actions.ts';

// DingTalk routes /kaoping to the shared handler, so the month review cycle works there as typed
// text: signed robot callbacks into the real HTTP endpoint, a fake DingTalk API, PostgreSQL.

const U = { organiser: 'dt-organiser', inspector: 'dt-inspector' } as const;

describe('DingTalk: /kaoping month …', () => {
  let h: Awaited<ReturnType<typeof startDingTalkHarness>>;
  let n = 0;
  beforeAll(async () => {
    h = await startDingTalkHarness({ now: '2017-10-09T10:00:00+08:00' });
    await h.member(U.organiser, 'organiser');
    await h.member(U.inspector, 'inspector');
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.api.reset());

  async function say(from: string, text: string): Promise<string> {
    h.api.reset();
    const res = await h.send(
      directMessage({ msgId: `msg-month-${++n}`, text, from, sessionWebhook: h.api.sessionWebhook(`m${n}`) }),
    );
    expect(res.status).toBe(200);
    return h.api
      .callsOf('sendBySession')
      .map((c) => JSON.stringify(c.body))
      .join('\n');
  }

  it('an inspector is refused; an organiser closes the month and reads its draft; publishing waits for the tie-breaks', async () => {
    expect(await say(U.inspector, '/kaoping month close 2017-09')).toContain('您没有权限执行此操作');
    expect(await say(U.organiser, '/kaoping 月份 结账 2017-09')).toContain('2017-09 已结账。');
    expect(await say(U.organiser, '/kaoping month draft 2017-09')).toContain('2017-09 考评结果草稿（未公布）');
    expect(await say(U.organiser, '/kaoping month publish 2017-09')).toContain('还不能公布');
    expect(await h.fx.prisma.publication.count()).toBe(0);
  });

  it('the draft, once its ties are resolved, carries a Publish button that organisers press', async () => {
    const organiser = await h.fx.membership.resolveActor('dingtalk', U.organiser);
    if (!organiser.ok) throw organiser.error;
    const d = await h.fx.months.draft(organiser.value, { period: '2017-09' });
    if (!d.ok) throw d.error;
    for (const t of d.value.openTies)
      expect(
        await say(
          U.organiser,
          `/kaoping month tiebreak 2017-09 ${t.group} ${t.tied.slice(0, t.remaining).join('、')} 会议决定`,
        ),
      ).toContain('已记录 2017-09');
    // a reply to one person is an action card: its button sends the press back as text
    const draft = await say(U.organiser, '/kaoping month draft 2017-09');
    const url = /dtmd:\/\/dingtalkclient\/sendMessage\?content=([^"\\]+)/.exec(draft)?.[1];
    expect(url).toBeDefined();
    const pressed = decodeURIComponent(url!);
    expect(pressed).toBe(`/press ${ACTION.publishPeriod} 2017-09`);
    expect(await say(U.inspector, pressed)).toContain('您没有权限执行此操作');
    expect(await h.fx.prisma.publication.count()).toBe(0);
    expect(await say(U.organiser, pressed)).toContain('已公布 2017-09（第 1 版）');
    expect(await h.fx.prisma.publication.count({ where: { period: '2017-09', version: 1 } })).toBe(1);
  });
});
