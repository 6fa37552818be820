import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotHarness } from '../support/bot-harness.ts';
import { loadRulebookYears } from '../../rules/rulebook-years.ts';
import { addMembers, file, flatText, USERS, type Harness } from './myscore-support.ts';

// The turn of the year through the Slack HTTP receiver: the bot holds 2017 and 2018 side by side
// (hz-2017 and its 2018 copy). In January 2018, /myscore and /standings default to 2018 and take a
// year (or a date) for 2017; a year without a rulebook is refused with the reason, in the
// person's language.

describe('/myscore and /standings across the turn of the year', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startBotHarness({ now: '2018-01-03T10:00:00+08:00', rulebooks: loadRulebookYears('hz-2017') });
    await addMembers(h);
    await file(h, { unit: '市公安局', clause: '2.1.1a', count: 3, date: '2017-12-20', key: 'y-dec' });
    await file(h, { unit: '市公安局', clause: '2.1.1a', count: 1, date: '2018-01-02', key: 'y-jan' });
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.slack.reset());

  async function ask(command: '/myscore' | '/standings', userId: string, text: string) {
    const res = await h.send(
      h.requests.slashCommand({ command, text, userId, responseUrl: h.slack.responseUrl(`${command}/${userId}`) }),
    );
    expect(res.status).toBe(200);
    return flatText(h.slack.callsTo('response_url').at(-1)!.args.blocks);
  }

  it('/myscore defaults to today’s year and takes a year or a date for the other', async () => {
    const now = await ask('/myscore', USERS.contact, '');
    expect(now).toContain('市公安局考核情况（截至 2018-01-03）');
    expect(now).toContain('年度得分 99 分'); // only January's finding counts in 2018
    const last = await ask('/myscore', USERS.contact, '2017');
    expect(last).toContain('市公安局考核情况（截至 2017-12-31）');
    expect(last).toContain('年度得分 97 分');
    const dated = await ask('/myscore', USERS.organiser, '市公安局 2017-12-25');
    expect(dated).toContain('市公安局考核情况（截至 2017-12-25）');
    expect(dated).toContain('年度得分 97 分');
  });

  it('/standings takes a day of either year; a year or a date without a rulebook, or a date outside the year typed, is refused', async () => {
    expect(await ask('/standings', USERS.organiser, '')).toContain('2018 年度考评排名（截至 2018-01-03）');
    expect(await ask('/standings', USERS.inspector, '2017-12-31')).toContain('2017 年度考评排名（截至 2017-12-31）');
    // a year alone asks for that year's published results (none yet)
    expect(await ask('/standings', USERS.inspector, '2017')).toContain('2017 的考评结果尚未公布');
    expect(await ask('/standings', USERS.organiser, '2019')).toContain(
      '2019 年没有考评细则，不能记录或查看该年度的考评事项（现有考核年度：2017, 2018）',
    );
    expect(await ask('/myscore', USERS.contact, '2016-06-01')).toContain('2016 年没有考评细则');
    expect(await ask('/myscore', USERS.organiser, '市公安局 2017 2018-01-02')).toContain(
      '日期 2018-01-02 不在 2017 考核年度内',
    );
  });

  it('a running bot follows the clock into the new year (its default year is not fixed at start)', async () => {
    h.fx.clock.set('2017-12-29T10:00:00+08:00');
    try {
      expect(await ask('/standings', USERS.organiser, '')).toContain('2017 年度考评排名（截至 2017-12-29）');
    } finally {
      h.fx.clock.set('2018-01-03T10:00:00+08:00');
    }
    expect(await ask('/standings', USERS.organiser, '')).toContain('2018 年度考评排名（截至 2018-01-03）');
  });

  it('in English too', async () => {
    const r = await h.fx.membership.resolveActor('slack', USERS.organiser);
    if (!r.ok) throw r.error;
    expect((await h.fx.membership.setLocale(r.value, 'en')).ok).toBe(true);
    expect(await ask('/standings', USERS.organiser, '2019')).toContain(
      'There is no rulebook for 2019, so nothing of that year can be filed or looked up (assessment years: 2017, 2018).',
    );
  });
});
