// The configuration module: defaults, one clear message per wrong variable (all of them at once),
// secrets that never show, and commands that parse only what they need.
import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  formatSettingsError,
  loadSections,
  SettingsError,
  settingsFor,
  type Environment,
} from '../../adapters/config/load-settings.ts';
import { COMMANDS, SECTIONS, VARIABLES, type VariableName } from '../../adapters/config/settings.schema.ts';
import { Secret } from '../../adapters/config/secret.ts';
import { clockFrom } from '../../adapters/clock/pinned-clock.ts';

const BOT_OK = { SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_SIGNING_SECRET: 'sign-abc' };

function problems(command: keyof typeof COMMANDS, env: Environment): Map<string, string> {
  try {
    settingsFor(command, env);
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    return new Map(e.problems.map((p) => [p.variable, p.message]));
  }
  throw new Error(`expected ${command} to refuse ${JSON.stringify(env)}`);
}

describe('defaults', () => {
  it('runs the worker on the local services with the console messenger and nothing else set', () => {
    const s = settingsFor('worker', { KAOPING_MESSENGER: 'console' });
    expect(s.database.url).toBe('postgresql://postgres@127.0.0.1:5432/kaoping');
    expect(s.queue).toEqual({ redisUrl: 'redis://127.0.0.1:6379', prefix: 'kaoping' });
    expect(s.rulebook.id).toBe('hz-2017');
    expect(s.locale.default).toBe('zh-CN');
    expect(s.clock.pinnedNow).toBeUndefined();
    expect(s.log.level).toBeUndefined();
    expect(s.worker).toEqual({
      officeHours: { start: '09:00', end: '18:00' },
      publish: { advancedUnits: true, ownResult: true },
      // months go to the organisers as drafts; nothing is published until they publish
      autoPublish: false,
      // the filing notices are the worker's: it posts them as soon as a filing reaches it
      noticeGraceMs: 0,
    });
    expect(s.messenger).toEqual({ kind: 'console' });
  });

  it('serves Slack over HTTP on port 3000 by default', () => {
    const s = settingsFor('bot', BOT_OK);
    expect(s.botHttp.port).toBe(3000);
    expect(s.slack!.socketMode).toBeUndefined();
    expect(s.slack!.token.reveal()).toBe('xoxb-1-abc');
    expect(s.slack!.signingSecret?.reveal()).toBe('sign-abc');
  });

  it('treats empty and blank values as unset, and trims the rest', () => {
    const s = settingsFor('worker', {
      KAOPING_MESSENGER: ' console ',
      DATABASE_URL: '',
      KAOPING_LOCALE: '   ',
      KAOPING_NOW: '',
      KAOPING_PUBLISH: ' own ',
    });
    expect(s.database.url).toBe('postgresql://postgres@127.0.0.1:5432/kaoping');
    expect(s.locale.default).toBe('zh-CN');
    expect(s.clock.pinnedNow).toBeUndefined();
    expect(s.worker.publish).toEqual({ advancedUnits: false, ownResult: true });
  });

  it('gives every variable a default the schema itself accepts', () => {
    for (const name of Object.keys(SECTIONS) as (keyof typeof SECTIONS)[]) {
      if (name === 'slack' || name === 'messenger') continue; // need a token; covered above
      expect(() => loadSections([name], {})).not.toThrow();
    }
  });
});

describe('values', () => {
  it('parses every kind of value', () => {
    const s = settingsFor('worker', {
      KAOPING_MESSENGER: 'SLACK',
      SLACK_BOT_TOKEN: 'xoxb-9',
      SLACK_API_URL: 'http://127.0.0.1:4000/api/',
      KAOPING_LOCALE: 'en-GB',
      KAOPING_NOW: '2017-10-09T10:00:00+08:00',
      KAOPING_OFFICE_HOURS: '08:30 - 17:30',
      KAOPING_PUBLISH: 'none',
      KAOPING_NOTICE_GRACE_S: 'OFF',
      KAOPING_FILING_NOTICES: 'bot',
      KAOPING_QUEUE_PREFIX: 'kaoping-staging_2',
      LOG_LEVEL: 'debug',
    });
    expect(s.messenger).toMatchObject({
      kind: 'platforms',
      slack: { apiUrl: 'http://127.0.0.1:4000/api/' },
      dingtalk: false,
    });
    expect(s.locale.default).toBe('en');
    expect(s.clock.pinnedNow?.toISOString()).toBe('2017-10-09T02:00:00.000Z');
    expect(s.worker.officeHours).toEqual({ start: '08:30', end: '17:30' });
    expect(s.worker.publish).toEqual({ advancedUnits: false, ownResult: false });
    expect(s.worker.noticeGraceMs).toBeNull();
    expect(s.queue.prefix).toBe('kaoping-staging_2');
    expect(s.log.level).toBe('debug');
    expect(
      settingsFor('worker', {
        KAOPING_MESSENGER: 'console',
        KAOPING_NOTICE_GRACE_S: '1.5',
        KAOPING_FILING_NOTICES: 'bot',
      }).worker.noticeGraceMs,
    ).toBe(1500);
  });

  it('leaves the filing notices to the worker unless told otherwise: it then posts them at once', () => {
    const bot = (env: Record<string, string> = {}) =>
      settingsFor('bot', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ...env }).filingNotices;
    expect(bot()).toEqual({ by: 'worker', workerPlatforms: ['slack'] });
    expect(bot({ KAOPING_MESSENGER: 'slack,dingtalk' }).workerPlatforms).toEqual(['slack', 'dingtalk']);
    // a worker that does not send on a platform leaves that platform's notices to the bot
    expect(bot({ KAOPING_MESSENGER: 'console' }).workerPlatforms).toEqual([]);
    expect(bot({ KAOPING_FILING_NOTICES: 'bot' })).toEqual({ by: 'bot', workerPlatforms: [] });
    expect(settingsFor('worker', { KAOPING_MESSENGER: 'console' }).worker.noticeGraceMs).toBe(0);
    // the grace is what the worker waits for the bot's own notice: none is coming
    expect(
      settingsFor('worker', { KAOPING_MESSENGER: 'console', KAOPING_NOTICE_GRACE_S: '30' }).worker.noticeGraceMs,
    ).toBe(0);
    expect(
      settingsFor('worker', { KAOPING_MESSENGER: 'console', KAOPING_FILING_NOTICES: 'BOT' }).worker.noticeGraceMs,
    ).toBe(120_000);
    const off = problems('worker', { KAOPING_MESSENGER: 'console', KAOPING_NOTICE_GRACE_S: 'off' });
    expect([...off.keys()]).toEqual(['KAOPING_NOTICE_GRACE_S']);
    expect(off.get('KAOPING_NOTICE_GRACE_S')).toMatch(/KAOPING_FILING_NOTICES=worker .*no unit would be told/);
  });

  it('Socket Mode needs the app token instead of the signing secret', () => {
    const s = settingsFor('bot', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: 'xapp-1' });
    expect(s.slack!.socketMode?.appToken.reveal()).toBe('xapp-1');
    expect(s.slack!.signingSecret).toBeUndefined();
    expect(problems('bot', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SOCKET_MODE: '1' }).get('SLACK_APP_TOKEN')).toMatch(
      /^is not set \(SLACK_SOCKET_MODE=1\)/,
    );
  });

  it('hands the pinned clock the parsed instant', () => {
    const pinned = settingsFor('chat', { KAOPING_NOW: '2017-10-09T10:00:00+08:00' }).clock.pinnedNow;
    const now = clockFrom(pinned).now();
    expect(Math.abs(now.getTime() - Date.parse('2017-10-09T02:00:00Z'))).toBeLessThan(60_000);
  });
});

describe('a wrong value names its variable', () => {
  // variable → a wrong value and what the message must say
  const cases: Array<[VariableName, string, RegExp]> = [
    ['DATABASE_URL', 'mysql://db/kaoping', /must be a postgresql:\/\/ URL/],
    ['REDIS_URL', '127.0.0.1:6379', /must be a redis:\/\/ or rediss:\/\/ URL/],
    ['KAOPING_QUEUE_PREFIX', 'a:b', /no ":"/],
    ['KAOPING_RULEBOOK', 'hz-1999', /names no rulebook .*have: hz-2017/],
    ['KAOPING_LOCALE', 'fr', /must be zh-CN or en/],
    ['KAOPING_NOW', 'yesterday', /ISO 8601 date-time with a UTC offset/],
    ['KAOPING_NOW', '2017-10-09T10:00:00', /with a UTC offset/],
    ['LOG_LEVEL', 'loud', /must be one of fatal, error, warn, info, debug, trace, silent/],
    ['KAOPING_MESSENGER', 'email', /must be slack, dingtalk \(or both, comma-separated\) or console/],
    ['KAOPING_OFFICE_HOURS', '9-18', /must look like 09:00-18:00/],
    ['KAOPING_OFFICE_HOURS', '18:00-09:00', /must start before it ends/],
    ['KAOPING_PUBLISH', 'everyone', /takes advanced, own or none/],
    ['KAOPING_NOTICE_GRACE_S', '-1', /must be seconds \(0 to 86400\) or off/],
    ['KAOPING_FILING_NOTICES', 'inspector', /must be worker or bot/],
    ['SLACK_API_URL', 'slack.example', /must be an http:\/\/ or https:\/\/ URL/],
  ];
  for (const [variable, value, message] of cases) {
    it(`${variable}=${value}`, () => {
      const got = problems('worker', { KAOPING_MESSENGER: 'console', [variable]: value });
      expect([...got.keys()]).toEqual([variable]);
      expect(got.get(variable)).toMatch(message);
      expect(got.get(variable)).toContain(`e.g. ${variable}=${VARIABLES[variable].doc.example}`);
    });
  }

  it('bot settings: PORT, SLACK_SOCKET_MODE and the token formats', () => {
    const got = problems('bot', {
      ...BOT_OK,
      PORT: '70000',
      SLACK_SOCKET_MODE: 'maybe',
    });
    expect(got.get('PORT')).toMatch(/^must be a whole number from 0 to 65535 \(got "70000"\)/);
    expect(got.get('SLACK_SOCKET_MODE')).toMatch(/must be 1 or 0/);
    expect(problems('bot', { ...BOT_OK, SLACK_BOT_TOKEN: 'xapp-oops' }).get('SLACK_BOT_TOKEN')).toMatch(
      /must start with xoxb-/,
    );
    expect(problems('db:seed', { KAOPING_BOOTSTRAP_ORGANISER: 'U123' }).get('KAOPING_BOOTSTRAP_ORGANISER')).toMatch(
      /must look like platform:externalId/,
    );
  });

  it('reports every problem at once, across sections', () => {
    const got = problems('worker', {
      KAOPING_PUBLISH: 'everyone',
      KAOPING_LOCALE: 'fr',
      REDIS_URL: 'nope',
      PORT: 'not read by the worker',
    });
    expect([...got.keys()].sort()).toEqual(['KAOPING_LOCALE', 'KAOPING_PUBLISH', 'REDIS_URL', 'SLACK_BOT_TOKEN']);
    expect(got.get('SLACK_BOT_TOKEN')).toMatch(/is not set \(or run with KAOPING_MESSENGER=console/);
    // a rule across variables still runs when another variable of the section is wrong
    const bot = problems('bot', { PORT: 'x' });
    expect([...bot.keys()].sort()).toEqual(['PORT', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
  });

  it('formats the report for the terminal', () => {
    try {
      settingsFor('worker', { KAOPING_MESSENGER: 'console', KAOPING_PUBLISH: 'everyone' });
      expect.unreachable();
    } catch (e) {
      expect(formatSettingsError('worker', e as SettingsError)).toBe(
        'kaoping worker: a setting is wrong:\n' +
          '  KAOPING_PUBLISH: takes advanced, own or none, comma-separated (got "everyone"); e.g. KAOPING_PUBLISH=advanced\n' +
          'See "Configuration" in README.md.\n',
      );
    }
  });
});

describe('secrets', () => {
  const SECRET = 'S3CRET-value-never-shown';

  it('never appear in a problem, even when wrong', () => {
    const env = {
      SLACK_BOT_TOKEN: `xoxp-${SECRET}`,
      SLACK_APP_TOKEN: `xoxb-${SECRET}`,
      SLACK_SOCKET_MODE: '1',
      DATABASE_URL: `mysql://kaoping:${SECRET}@db/kaoping`,
      REDIS_URL: `http://:${SECRET}@redis`,
    };
    const got = problems('bot', env);
    expect([...got.keys()].sort()).toEqual(['DATABASE_URL', 'REDIS_URL', 'SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN']);
    for (const message of got.values()) expect(message).not.toContain(SECRET);
    try {
      settingsFor('bot', env);
    } catch (e) {
      expect(formatSettingsError('bot', e as SettingsError)).not.toContain(SECRET);
      expect(String(e)).not.toContain(SECRET);
    }
  });

  it('print as *** through JSON, inspect, strings and pino', () => {
    const s = settingsFor('bot', { SLACK_BOT_TOKEN: `xoxb-${SECRET}`, SLACK_SIGNING_SECRET: SECRET });
    expect(s.slack!.token).toBeInstanceOf(Secret);
    expect(JSON.stringify(s)).not.toContain(SECRET);
    expect(inspect(s, { depth: 10 })).not.toContain(SECRET);
    expect(`${s.slack!.token}`).toBe('***');
    let logged = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        logged += String(chunk);
        done();
      },
    });
    pino({}, sink).info({ settings: s }, 'started');
    expect(logged).toContain('"token":"***"');
    expect(logged).not.toContain(SECRET);
  });
});

describe('each command parses only what it needs', () => {
  it('a missing or wrong Slack or Redis setting does not stop the console', () => {
    const env = { SLACK_BOT_TOKEN: 'wrong', SLACK_SOCKET_MODE: 'maybe', PORT: '-1', REDIS_URL: 'nope' };
    expect(() => settingsFor('chat', env)).not.toThrow();
    expect(() => settingsFor('db:migrate', env)).not.toThrow();
    expect(problems('bot', env).has('SLACK_BOT_TOKEN')).toBe(true);
  });

  it('every variable is read by some command', () => {
    const read = new Set(Object.values(COMMANDS).flatMap((sections) => sections.flatMap((s) => SECTIONS[s].variables)));
    expect(Object.keys(VARIABLES).filter((v) => !read.has(v as VariableName))).toEqual([]);
  });
});

describe('DingTalk settings', () => {
  const DT = {
    DINGTALK_APP_KEY: 'dingkey',
    DINGTALK_APP_SECRET: 'dingsecret',
    DINGTALK_CARD_TEMPLATE_ID: 'tpl.schema',
  };

  it('a DingTalk-only bot needs no Slack token; public DingTalk and Stream mode by default', () => {
    const s = settingsFor('bot', DT);
    expect(s.slack).toBeNull();
    expect(s.dingtalk).toMatchObject({
      appKey: 'dingkey',
      robotCode: 'dingkey',
      mode: 'stream',
      apiBaseUrl: 'https://api.dingtalk.com',
      oapiBaseUrl: 'https://oapi.dingtalk.com',
    });
    expect(String(s.dingtalk!.appSecret)).not.toContain('dingsecret');
  });

  it('a bot with neither platform, or DingTalk without its secret and card template, does not start', () => {
    expect(problems('bot', {}).get('SLACK_BOT_TOKEN')).toMatch(/is not set/);
    const p = problems('bot', { DINGTALK_APP_KEY: 'dingkey' });
    expect(p.get('DINGTALK_APP_SECRET')).toMatch(/is not set/);
    expect(p.get('DINGTALK_CARD_TEMPLATE_ID')).toMatch(/is not set/);
  });

  it('the worker sends on both platforms; a 浙政钉 deployment sets its own hosts', () => {
    const s = settingsFor('worker', {
      ...DT,
      SLACK_BOT_TOKEN: 'xoxb-1',
      KAOPING_MESSENGER: 'slack, dingtalk',
      DINGTALK_API_BASE: 'https://api.example.gov.cn',
      DINGTALK_OAPI_BASE: 'https://oapi.example.gov.cn',
    });
    expect(s.messenger).toMatchObject({ kind: 'platforms', slack: { apiUrl: undefined }, dingtalk: true });
    expect(s.dingtalk).toMatchObject({
      apiBaseUrl: 'https://api.example.gov.cn',
      oapiBaseUrl: 'https://oapi.example.gov.cn',
    });
    expect(problems('worker', { KAOPING_MESSENGER: 'dingtalk' }).get('DINGTALK_APP_KEY')).toMatch(/is not set/);
  });

  it('DINGTALK_AGENT_ID turns on work notifications for private detail; it must be the AgentId', () => {
    expect(settingsFor('worker', { ...DT, KAOPING_MESSENGER: 'dingtalk' }).dingtalk!.workNoticeAgentId).toBeUndefined();
    expect(
      settingsFor('worker', { ...DT, KAOPING_MESSENGER: 'dingtalk', DINGTALK_AGENT_ID: '3051234567' }).dingtalk,
    ).toMatchObject({ workNoticeAgentId: '3051234567' });
    expect(
      problems('worker', { ...DT, KAOPING_MESSENGER: 'dingtalk', DINGTALK_AGENT_ID: 'dingkey' }).get(
        'DINGTALK_AGENT_ID',
      ),
    ).toMatch(/AgentId/);
  });
});
