// Every environment variable kaoping reads, each with one zod schema, its default, its meaning and
// an example; and the sections (one per concern) that entry points ask for. load-settings.ts is
// the only reader of process.env; the README's Configuration table is rendered from VARIABLES
// (settings-table.ts) and checked against it by test/config/readme-table.test.ts.
//
// Values reach a schema trimmed, with empty strings as unset (load-settings.ts), so every schema
// sees a non-empty string or undefined.
import { z } from 'zod';
import { toLocale } from '../../core/i18n/locale.ts';
import { availableRulebooks } from '../../rules/rulebook.ts';
import { QUEUE_PREFIX_PATTERN } from '../queue/queue-prefix.ts';
import { Secret } from './secret.ts';
import { isLoopbackHost } from './loopback-host.ts';

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/kaoping';
/** The console's demo year lives here, never in an office's database. */
export const DEFAULT_DEMO_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/kaoping_demo';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_QUEUE_PREFIX = 'kaoping';

export interface VariableDoc {
  /** the README's "default" column, Markdown */
  default: string;
  meaning: string;
  /** a valid value, shown in error messages (`e.g. KAOPING_PUBLISH=advanced,own`) */
  example: string;
  /** the value is never echoed: credentials, and URLs that may carry a password */
  secret?: boolean;
}

type Doc = Omit<VariableDoc, 'default'>;

// ---- value schemas ------------------------------------------------------------------------------

const notSet = { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is not set' : 'must be text') };

function urlWith(protocols: readonly string[], message: string) {
  return z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, message);
}

const postgresUrl = urlWith(['postgresql:', 'postgres:'], 'must be a postgresql:// URL');
const redisUrl = urlWith(['redis:', 'rediss:'], 'must be a redis:// or rediss:// URL');
const httpUrl = urlWith(['http:', 'https:'], 'must be an http:// or https:// URL');

const sizes = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be whole numbers separated by commas, e.g. 10000,100000')
  .transform((v) => v.split(',').map(Number))
  .refine((ns) => ns.every((n) => n >= 1 && n <= 10_000_000), 'each must be from 1 to 10000000');

const databasePrefix = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,30}$/, 'must be lower-case letters, digits and _ (at most 31), starting with a letter');

const civilDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'must be a calendar date, YYYY-MM-DD',
  );

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const logLevel = z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` });

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`);

/** An address to listen on: an IPv4/IPv6 literal or a host name. */
const listenHost = z.string().regex(/^[A-Za-z0-9.:_-]{1,253}$/, 'must be an IP address or a host name');

/** A loopback address only (adapters/config/loopback-host.ts says why). */
const loopbackHost = z
  .string()
  .refine(isLoopbackHost, 'must be a loopback address (127.0.0.1, ::1 or localhost): the queue dashboard has no login');

const flag = z
  .string()
  .toLowerCase()
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { error: 'must be 1 or 0 (true/false)' }))
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const dateTime = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a UTC offset' })
  .transform((v) => new Date(v));

const HHMM = '([01]\\d|2[0-3]):[0-5]\\d';
const officeHours = z
  .string()
  .regex(new RegExp(`^${HHMM}\\s*-\\s*${HHMM}$`), 'must look like 09:00-18:00 (24-hour clock)')
  .transform((v) => {
    const [start, end] = v.split('-').map((s) => s.trim()) as [string, string];
    return { start, end };
  })
  .refine((h) => h.start < h.end, 'must start before it ends');

const PUBLISH_PARTS = ['advanced', 'own', 'none'] as const;
/** What group channels see at month close (worker/context.ts PublishPolicy). */
export interface PublishSetting {
  advancedUnits: boolean;
  ownResult: boolean;
}
const publish = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()))
  .refine((parts) => parts.every((p) => (PUBLISH_PARTS as readonly string[]).includes(p)), {
    error: 'takes advanced, own or none, comma-separated',
  })
  .transform(
    (parts): PublishSetting => ({ advancedUnits: parts.includes('advanced'), ownResult: parts.includes('own') }),
  );

/** Milliseconds, or null for 'off'. */
const graceSeconds = z
  .string()
  .refine((v) => v.toLowerCase() === 'off' || (/^\d+(\.\d+)?$/.test(v) && Number(v) <= 86_400), {
    error: 'must be seconds (0 to 86400) or off',
  })
  .transform((v) => (v.toLowerCase() === 'off' ? null : Number(v) * 1000));

const MESSENGERS = ['slack', 'dingtalk', 'console'] as const;
/** Where the worker sends: one or more platforms, or the console. */
const messenger = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()))
  .refine((kinds) => kinds.every((k) => (MESSENGERS as readonly string[]).includes(k)), {
    error: 'must be slack, dingtalk (or both, comma-separated) or console',
  })
  .transform((kinds) => kinds as Array<(typeof MESSENGERS)[number]>);

const dingTalkMode = z
  .string()
  .toLowerCase()
  .pipe(z.enum(['stream', 'http'], { error: 'must be stream or http' }));

const locale = z
  .string()
  .refine((v) => /^(en|zh)([-_][A-Za-z0-9-]+)?$/i.test(v), 'must be zh-CN or en')
  .transform((v) => toLocale(v));

const rulebookId = z.string().refine((id) => availableRulebooks().includes(id), {
  error: () => `names no rulebook in rules/rulebooks/ (have: ${availableRulebooks().join(', ')})`,
});

const bootstrapOrganiser = z.string().refine((v) => {
  const i = v.indexOf(':');
  return i > 0 && v.slice(0, i).trim() !== '' && v.slice(i + 1).trim() !== '';
}, 'must look like platform:externalId');

const secret = (prefix?: string, what?: string) =>
  z
    .string(notSet)
    .refine((v) => !prefix || v.startsWith(prefix), `must start with ${prefix} (${what})`)
    .transform((v) => new Secret(v));

// ---- the variables ------------------------------------------------------------------------------

function withDefault<S extends z.ZodType<unknown, string>>(schema: S, value: string, doc: Doc) {
  return { schema: schema.prefault(value as never), doc: { ...doc, default: `\`${value}\`` } };
}
function optional<S extends z.ZodType<unknown, string>>(schema: S, unset: string, doc: Doc) {
  return { schema: schema.optional(), doc: { ...doc, default: unset } };
}

export const VARIABLES = {
  DATABASE_URL: withDefault(postgresUrl, DEFAULT_DATABASE_URL, {
    meaning: 'PostgreSQL, the store of record',
    example: 'postgresql://kaoping:…@db.internal:5432/kaoping',
    secret: true,
  }),
  KAOPING_DEMO_DATABASE_URL: withDefault(postgresUrl, DEFAULT_DEMO_DATABASE_URL, {
    meaning:
      "`npm start` / `npm run chat`: the demo year's own database, created and seeded on demand; never an office's (`npm run chat -- --office` uses `DATABASE_URL`, without demo data)",
    example: 'postgresql://postgres@127.0.0.1:5432/kaoping_demo',
    secret: true,
  }),
  REDIS_URL: withDefault(redisUrl, DEFAULT_REDIS_URL, {
    meaning: 'Redis for BullMQ (bot → worker events, reminders, rate limits)',
    example: 'redis://127.0.0.1:6379',
    secret: true,
  }),
  KAOPING_QUEUE_PREFIX: withDefault(
    z.string().regex(QUEUE_PREFIX_PATTERN, 'must be 1–64 of A–Z a–z 0–9 _ - (no ":")'),
    DEFAULT_QUEUE_PREFIX,
    { meaning: 'BullMQ key prefix (several deployments on one Redis)', example: 'kaoping-staging' },
  ),
  KAOPING_RULEBOOK: withDefault(rulebookId, 'hz-2017', {
    meaning:
      'the rulebook served (`rules/rulebooks/<id>.json`), its year and each following year with an official calendar in it',
    example: 'hz-2017',
  }),
  KAOPING_LOCALE: withDefault(locale, 'zh-CN', {
    meaning: 'language for people without a preference (`zh-CN` or `en`)',
    example: 'en',
  }),
  KAOPING_NOW: optional(dateTime, '(system clock; chat: `2017-10-09T10:00:00+08:00`)', {
    meaning: 'pins "now" to rehearse a past year; time still moves on from there',
    example: '2017-10-09T10:00:00+08:00',
  }),
  LOG_LEVEL: optional(logLevel, '`info` (chat: `error`; worker printing to the console: `warn`)', {
    meaning: 'pino level; tokens and secrets are never logged',
    example: 'debug',
  }),
  KAOPING_LOG_FILE: optional(z.string(), '(stdout; worker printing to the console: stderr)', {
    meaning: 'write the JSON log lines to this file instead',
    example: '/var/log/kaoping/worker.log',
  }),
  KAOPING_MESSENGER: withDefault(messenger, 'slack', {
    meaning:
      'where the worker sends: `slack` (needs `SLACK_BOT_TOKEN`), `dingtalk` (needs `DINGTALK_APP_KEY` …), both (`slack,dingtalk`) or `console` (prints here)',
    example: 'slack,dingtalk',
  }),
  KAOPING_OFFICE_HOURS: withDefault(officeHours, '09:00-18:00', {
    meaning: 'when the worker sends reminders (Asia/Shanghai, working days)',
    example: '08:30-17:30',
  }),
  KAOPING_PUBLISH: withDefault(publish, 'advanced,own', {
    meaning:
      "what group channels see when a month is published: the `advanced` units, each unit's `own` result, or `none`",
    example: 'advanced',
  }),
  KAOPING_AUTO_PUBLISH: withDefault(flag, '0', {
    meaning:
      'publish each month at close without review (as before the review cycle); `0`: the close sends the organisers a draft and nothing goes out until an organiser publishes',
    example: '1',
  }),
  KAOPING_START_DATE: optional(civilDate, '(the day the worker first started, stored)', {
    meaning:
      'go-live: months that ended before it are closed silently (snapshots, no messages); their findings get no worker notices or reminders',
    example: '2017-06-01',
  }),
  KAOPING_NOTICE_GRACE_S: withDefault(graceSeconds, '120', {
    meaning:
      'with `KAOPING_FILING_NOTICES=bot`: seconds before the worker posts a filing notice the bot did not, or `off`',
    example: 'off',
  }),
  KAOPING_FILING_NOTICES: withDefault(
    z
      .string()
      .toLowerCase()
      .pipe(z.enum(['worker', 'bot'], { error: 'must be worker or bot' })),
    'worker',
    {
      meaning:
        "who posts a new finding's notice in the unit's group channel: the `worker` at once (the bot answers the filer without waiting for it; on a platform the worker does not send on, `KAOPING_MESSENGER`, the bot posts it), or the `bot` while it answers (the worker only after `KAOPING_NOTICE_GRACE_S`, if the bot could not); set the same for both",
      example: 'bot',
    },
  ),
  SLACK_BOT_TOKEN: optional(secret('xoxb-', 'the Bot User OAuth Token'), '(required by the bot and a Slack worker)', {
    meaning: 'Slack bot token',
    example: 'xoxb-…',
    secret: true,
  }),
  SLACK_SIGNING_SECRET: optional(secret(), '(required by the bot over HTTP)', {
    meaning: 'verifies requests from Slack',
    example: '8f14e45f…',
    secret: true,
  }),
  SLACK_SOCKET_MODE: withDefault(flag, '0', {
    meaning: '`1`: Socket Mode instead of HTTP (needs `SLACK_APP_TOKEN`, no public URL)',
    example: '1',
  }),
  SLACK_APP_TOKEN: optional(secret('xapp-', 'an app-level token'), '(required in Socket Mode)', {
    meaning: 'Slack app-level token for Socket Mode',
    example: 'xapp-…',
    secret: true,
  }),
  SLACK_API_URL: optional(httpUrl, '(Slack)', {
    meaning: 'Slack Web API base, e.g. a local fake',
    example: 'http://127.0.0.1:4000/api/',
  }),
  PORT: withDefault(wholeNumber(0, 65535), '3000', {
    meaning:
      "the bot's HTTP port: `/healthz`, `/readyz`, `/metrics`, and with Slack over HTTP `/slack/events` (a DingTalk-only bot serves it too)",
    example: '8080',
  }),
  WORKER_PORT: withDefault(wholeNumber(0, 65535), '3002', {
    meaning: "the worker's HTTP port (`/healthz`, `/readyz`, `/metrics`)",
    example: '9464',
  }),
  WORKER_HOST: withDefault(listenHost, '0.0.0.0', {
    meaning: "the address the worker's HTTP server listens on",
    example: '127.0.0.1',
  }),
  WORKER_ADMIN_PORT: optional(wholeNumber(0, 65535), '(off)', {
    meaning: "the worker's queue dashboard (bull-board, no login): set a port to serve it on `WORKER_ADMIN_HOST`",
    example: '3003',
  }),
  WORKER_ADMIN_HOST: withDefault(loopbackHost, '127.0.0.1', {
    meaning: 'the address the queue dashboard listens on: loopback only, anything else is refused',
    example: '::1',
  }),
  HOST: withDefault(listenHost, '0.0.0.0', {
    meaning: "the address the bot's HTTP server listens on",
    example: '127.0.0.1',
  }),
  DINGTALK_APP_KEY: optional(z.string(), '(DingTalk off)', {
    meaning: 'the DingTalk enterprise-internal app\'s AppKey (README "DingTalk"); the bot serves DingTalk when set',
    example: 'dingxxxxxxxxxxxx',
  }),
  DINGTALK_APP_SECRET: optional(secret(), '(required with `DINGTALK_APP_KEY`)', {
    meaning: "the app's AppSecret: access tokens, and the robot callback's signature",
    example: 'GX8x…',
    secret: true,
  }),
  DINGTALK_ROBOT_CODE: optional(z.string(), '(the AppKey)', {
    meaning: "the robot's code",
    example: 'dingxxxxxxxxxxxx',
  }),
  DINGTALK_CARD_TEMPLATE_ID: optional(z.string(), '(required with `DINGTALK_APP_KEY`)', {
    meaning: 'kaoping\'s interactive card template (README "DingTalk")',
    example: 'a1b2c3d4-….schema',
  }),
  DINGTALK_MODE: withDefault(dingTalkMode, 'stream', {
    meaning: '`stream`: the bot connects out to DingTalk (no public URL); `http`: DingTalk calls `/dingtalk/robot`',
    example: 'http',
  }),
  DINGTALK_PORT: withDefault(wholeNumber(0, 65535), '3001', {
    meaning: "the DingTalk HTTP callbacks' port (`DINGTALK_MODE=http`)",
    example: '8081',
  }),
  DINGTALK_CARD_API_SECRET: optional(secret(), '(card presses over HTTP refused)', {
    meaning: 'HTTP mode: the API secret registered with the card callback URL (`/dingtalk/card`)',
    example: 'c2VjcmV0…',
    secret: true,
  }),
  DINGTALK_CARD_ROUTE_KEY: optional(z.string(), '—', {
    meaning: 'HTTP mode: the route key registered for the card callback URL',
    example: 'kaoping',
  }),
  DINGTALK_API_BASE: withDefault(httpUrl, 'https://api.dingtalk.com', {
    meaning: 'DingTalk server API (a government deployment, e.g. Zhejiang, has its own host)',
    example: 'https://api.example.gov.cn',
  }),
  DINGTALK_OAPI_BASE: withDefault(httpUrl, 'https://oapi.dingtalk.com', {
    meaning: 'DingTalk old server API host; sessionWebhook replies are sent only there',
    example: 'https://oapi.example.gov.cn',
  }),
  DINGTALK_AGENT_ID: optional(z.string().regex(/^\d{1,20}$/, "must be the app's AgentId (digits)"), '(robot cards)', {
    meaning:
      "the app's AgentId: the worker then sends private detail without buttons (month-close breakdowns, reminders) as work notifications (工作通知)",
    example: '3051234567',
  }),
  KAOPING_BOOTSTRAP_ORGANISER: optional(bootstrapOrganiser, '—', {
    meaning: 'made an organiser by `npm run db:seed`',
    example: 'slack:U0123ABCD',
  }),
  TEST_DATABASE_URL: optional(postgresUrl, "(`DATABASE_URL`'s server)", {
    meaning: 'tests: the PostgreSQL server each test file creates its own database on',
    example: 'postgresql://postgres@127.0.0.1:5432/postgres',
    secret: true,
  }),
  TEST_REDIS_URL: withDefault(redisUrl, DEFAULT_REDIS_URL, {
    meaning: 'tests: Redis (each test file uses its own key prefix)',
    example: 'redis://127.0.0.1:6379',
    secret: true,
  }),
  TEST_LOG_LEVEL: withDefault(logLevel, 'silent', { meaning: "tests: the bot harness's pino level", example: 'debug' }),
  TEST_SEND_DELAY_MS: withDefault(wholeNumber(0, 60_000), '100', {
    meaning: "tests: how long the test worker's fake platform takes to answer",
    example: '50',
  }),
  BENCH_DATABASE_URL: withDefault(postgresUrl, 'postgresql://postgres@127.0.0.1:5432/postgres', {
    meaning: 'bench: the PostgreSQL server (maintenance database) the benches create theirs on',
    example: 'postgresql://postgres@127.0.0.1:5432/postgres',
    secret: true,
  }),
  BENCH_LOG_LEVEL: withDefault(logLevel, 'silent', { meaning: "bench: the bot bench's pino level", example: 'info' }),
  BENCH_BOT_FINDINGS: withDefault(wholeNumber(1, 10_000_000), '100000', {
    meaning: "bench: findings in the bot bench's year",
    example: '10000',
  }),
  BENCH_BOT_REQUESTS: withDefault(wholeNumber(1, 1_000_000), '300', {
    meaning: 'bench: sequential requests per bot measurement',
    example: '100',
  }),
  BENCH_LOAD_FINDINGS: withDefault(wholeNumber(1, 10_000_000), '100000', {
    meaning: 'bench load: findings in the year the burst runs against',
    example: '5000',
  }),
  BENCH_LOAD_CONNECTIONS: withDefault(wholeNumber(1, 1_000), '200', {
    meaning: 'bench load: concurrent connections',
    example: '50',
  }),
  BENCH_LOAD_REQUESTS: withDefault(wholeNumber(1, 100_000), '2000', {
    meaning: 'bench load: signed requests per command',
    example: '300',
  }),
  BENCH_INTAKE_ROWS: withDefault(wholeNumber(1, 10_000_000), '20000', {
    meaning: 'bench intake: findings filed through bulk intake (each run files them twice: new, then again)',
    example: '100000',
  }),
  BENCH_INTAKE_BATCH: withDefault(wholeNumber(1, 100_000), '5000', {
    meaning: 'bench intake: rows per bulk-intake call',
    example: '10000',
  }),
  BENCH_LOAD_PROFILE: optional(z.string(), '(no profile)', {
    meaning: "bench load: a directory for a V8 CPU profile of the bot process (open it in Chrome's DevTools)",
    example: '/tmp/kaoping-load-profile',
  }),
  BENCH_WORKER_FINDINGS: withDefault(wholeNumber(1, 1_000_000), '5000', {
    meaning: 'bench: open findings in the worker bench',
    example: '500',
  }),
  BENCH_WORKER_LIMIT_SCALE: withDefault(wholeNumber(1, 1_000_000), '1000', {
    meaning: "bench: Slack's per-channel rate limit sped up this many times",
    example: '100',
  }),
  BENCH_WORKER_CONCURRENCY: withDefault(wholeNumber(1, 1_000), '16', {
    meaning: 'bench: concurrent send jobs in the worker bench',
    example: '8',
  }),
  BENCH_DATABASE_PREFIX: withDefault(databasePrefix, 'kaoping_bench', {
    meaning:
      'bench: start of the name of each database a bench run creates (the run adds a random part and drops only its own)',
    example: 'kaoping_bench_ci',
  }),
  BENCH_ENGINE_SIZES: withDefault(sizes, '10000,100000,1000000', {
    meaning: 'bench: findings in each year the engine bench scores',
    example: '10000,100000',
  }),
  BENCH_EQUIVALENCE_SIZES: withDefault(sizes, '400,20000,100000', {
    meaning: "bench: findings in each generated year whose `score` output is compared with the reference engine's",
    example: '400',
  }),
  BENCH_ACCEPTANCE_DIRS: withDefault(z.string(), '../shared/acceptance/examples,test/acceptance,rules/examples', {
    meaning: "bench: folders of `*.scenario.json` whose `score` output is compared with the reference engine's",
    example: 'test/acceptance',
  }),
};

export type Variables = typeof VARIABLES;
export type VariableName = keyof Variables;

/**
 * Read directly by stand-alone scripts that must run before dependencies are generated
 * (scripts/prisma-generate.ts, prisma.config.ts); listed so the README table names them too.
 */
export const STANDALONE_VARIABLES: Record<string, VariableDoc> = {
  KAOPING_FORCE_GENERATE: {
    default: '—',
    meaning: '`1`: `npm run db:generate` regenerates the Prisma client even when it is up to date',
    example: '1',
  },
  PRISMA_SCHEMA_ENGINE_BINARY: {
    default: '(node itself)',
    meaning: 'what `npm run db:generate` tells Prisma its schema engine is (none is downloadable here)',
    example: '/usr/local/bin/schema-engine',
  },
};

// ---- sections: one per concern ------------------------------------------------------------------

type ShapeOf<N extends VariableName> = { [K in N]: Variables[K]['schema'] };
type ValuesOf<N extends VariableName> = z.output<z.ZodObject<ShapeOf<N>>>;
type Report<N> = (variable: N, message: string) => void;

function section<const N extends VariableName, Out>(
  variables: readonly N[],
  build: (v: ValuesOf<N>) => Out,
  /** a rule across variables; runs only when the variables it names parsed */
  rule?: { over: readonly N[]; check: (v: ValuesOf<N>, report: Report<N>) => void },
) {
  const shape = Object.fromEntries(variables.map((n) => [n, VARIABLES[n].schema])) as ShapeOf<N>;
  const object = z.object(shape) as unknown as z.ZodType<ValuesOf<N>, Record<string, string | undefined>>;
  const checked = rule
    ? object.superRefine(
        (v, ctx) => rule.check(v, (variable, message) => ctx.addIssue({ code: 'custom', path: [variable], message })),
        { when: (p) => p.issues.every((i) => !(rule.over as readonly PropertyKey[]).includes(i.path?.[0] ?? '')) },
      )
    : object;
  return { variables, schema: checked.transform(build) };
}

export const SECTIONS = {
  database: section(['DATABASE_URL'], (v) => ({ url: v.DATABASE_URL })),
  /** the console's demo year, apart from any office's data */
  demo: section(['KAOPING_DEMO_DATABASE_URL'], (v) => ({ databaseUrl: v.KAOPING_DEMO_DATABASE_URL })),
  queue: section(['REDIS_URL', 'KAOPING_QUEUE_PREFIX'], (v) => ({
    redisUrl: v.REDIS_URL,
    prefix: v.KAOPING_QUEUE_PREFIX,
  })),
  rulebook: section(['KAOPING_RULEBOOK'], (v) => ({ id: v.KAOPING_RULEBOOK })),
  locale: section(['KAOPING_LOCALE'], (v) => ({ default: v.KAOPING_LOCALE })),
  clock: section(['KAOPING_NOW'], (v) => ({ pinnedNow: v.KAOPING_NOW })),
  log: section(['LOG_LEVEL', 'KAOPING_LOG_FILE'], (v) => ({ level: v.LOG_LEVEL, file: v.KAOPING_LOG_FILE })),
  /** the worker's schedule and publication choices */
  worker: section(
    [
      'KAOPING_OFFICE_HOURS',
      'KAOPING_PUBLISH',
      'KAOPING_AUTO_PUBLISH',
      'KAOPING_NOTICE_GRACE_S',
      'KAOPING_FILING_NOTICES',
      'KAOPING_START_DATE',
    ],
    (v) => ({
      officeHours: v.KAOPING_OFFICE_HOURS,
      publish: v.KAOPING_PUBLISH,
      /** publish months at close (no organisers' review) */
      autoPublish: v.KAOPING_AUTO_PUBLISH,
      /** go-live; undefined: the stored first start day */
      startDate: v.KAOPING_START_DATE,
      /** when the worker posts a filing notice the bot has not (0: the notices are the worker's); null: never */
      noticeGraceMs: v.KAOPING_FILING_NOTICES === 'worker' ? 0 : v.KAOPING_NOTICE_GRACE_S,
    }),
    {
      over: ['KAOPING_NOTICE_GRACE_S', 'KAOPING_FILING_NOTICES'],
      check: (v, report) => {
        if (v.KAOPING_FILING_NOTICES === 'worker' && v.KAOPING_NOTICE_GRACE_S === null)
          report(
            'KAOPING_NOTICE_GRACE_S',
            'is off, but KAOPING_FILING_NOTICES=worker leaves the filing notices to the worker: no unit would be told (set KAOPING_FILING_NOTICES=bot, or remove KAOPING_NOTICE_GRACE_S)',
          );
      },
    },
  ),
  /**
   * who posts a new finding's notice (the bot reads it; the worker's section has it too): the
   * platforms whose notices the worker posts are those it sends on (KAOPING_MESSENGER); on any
   * other platform the bot posts them, or they would never be posted
   */
  filingNotices: section(['KAOPING_FILING_NOTICES', 'KAOPING_MESSENGER'], (v) => ({
    by: v.KAOPING_FILING_NOTICES,
    workerPlatforms: v.KAOPING_FILING_NOTICES === 'worker' ? v.KAOPING_MESSENGER.filter((m) => m !== 'console') : [],
  })),
  /** the worker's health and metrics server */
  workerHttp: section(['WORKER_PORT', 'WORKER_HOST'], (v) => ({ port: v.WORKER_PORT, host: v.WORKER_HOST })),
  /** the worker's queue dashboard on loopback; null (the default) when WORKER_ADMIN_PORT is not set */
  workerAdmin: section(['WORKER_ADMIN_PORT', 'WORKER_ADMIN_HOST'], (v) =>
    v.WORKER_ADMIN_PORT === undefined ? null : { port: v.WORKER_ADMIN_PORT, host: v.WORKER_ADMIN_HOST },
  ),
  /** the worker's outbound messengers: one per platform, or the console */
  messenger: section(
    ['KAOPING_MESSENGER', 'SLACK_BOT_TOKEN', 'SLACK_API_URL', 'DINGTALK_APP_KEY'],
    (v) =>
      v.KAOPING_MESSENGER.includes('console')
        ? ({ kind: 'console' } as const)
        : ({
            kind: 'platforms',
            slack: v.KAOPING_MESSENGER.includes('slack')
              ? { token: v.SLACK_BOT_TOKEN!, apiUrl: v.SLACK_API_URL }
              : null,
            /** its settings are the dingtalk section's */
            dingtalk: v.KAOPING_MESSENGER.includes('dingtalk'),
          } as const),
    {
      over: ['KAOPING_MESSENGER', 'SLACK_BOT_TOKEN', 'DINGTALK_APP_KEY'],
      check: (v, report) => {
        if (v.KAOPING_MESSENGER.includes('console')) return;
        if (v.KAOPING_MESSENGER.includes('slack') && !v.SLACK_BOT_TOKEN)
          report('SLACK_BOT_TOKEN', 'is not set (or run with KAOPING_MESSENGER=console to print messages here)');
        if (v.KAOPING_MESSENGER.includes('dingtalk') && !v.DINGTALK_APP_KEY)
          report('DINGTALK_APP_KEY', 'is not set (KAOPING_MESSENGER names dingtalk; see README "DingTalk")');
      },
    },
  ),
  /** the bot's HTTP server: health, readiness, metrics, and Slack's events when Slack is served over HTTP */
  botHttp: section(['PORT', 'HOST'], (v) => ({ port: v.PORT, host: v.HOST })),
  /** the Slack bot: credentials and receiver; null when only DingTalk is configured */
  slack: section(
    [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_SOCKET_MODE',
      'SLACK_APP_TOKEN',
      'SLACK_API_URL',
      'DINGTALK_APP_KEY',
    ],
    (v) =>
      v.SLACK_BOT_TOKEN
        ? {
            token: v.SLACK_BOT_TOKEN,
            /** Socket Mode does not sign requests */
            signingSecret: v.SLACK_SIGNING_SECRET,
            socketMode: v.SLACK_SOCKET_MODE ? { appToken: v.SLACK_APP_TOKEN! } : undefined,
            apiUrl: v.SLACK_API_URL,
          }
        : null,
    {
      over: ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_SOCKET_MODE', 'SLACK_APP_TOKEN', 'DINGTALK_APP_KEY'],
      check: (v, report) => {
        // a DingTalk-only deployment needs nothing from Slack
        if (!v.SLACK_BOT_TOKEN && v.DINGTALK_APP_KEY) return;
        if (!v.SLACK_BOT_TOKEN)
          report('SLACK_BOT_TOKEN', 'is not set; see README "Running the Slack bot" (or DingTalk: "DingTalk")');
        if (v.SLACK_SOCKET_MODE && !v.SLACK_APP_TOKEN) report('SLACK_APP_TOKEN', 'is not set (SLACK_SOCKET_MODE=1)');
        if (!v.SLACK_SOCKET_MODE && !v.SLACK_SIGNING_SECRET)
          report('SLACK_SIGNING_SECRET', 'is not set (the HTTP receiver verifies every request with it)');
      },
    },
  ),
  /** the DingTalk robot (bot) and messenger (worker); null when DINGTALK_APP_KEY is not set */
  dingtalk: section(
    [
      'DINGTALK_APP_KEY',
      'DINGTALK_APP_SECRET',
      'DINGTALK_ROBOT_CODE',
      'DINGTALK_CARD_TEMPLATE_ID',
      'DINGTALK_MODE',
      'DINGTALK_PORT',
      'DINGTALK_CARD_API_SECRET',
      'DINGTALK_CARD_ROUTE_KEY',
      'DINGTALK_API_BASE',
      'DINGTALK_OAPI_BASE',
      'DINGTALK_AGENT_ID',
    ],
    (v) =>
      v.DINGTALK_APP_KEY
        ? {
            appKey: v.DINGTALK_APP_KEY,
            appSecret: v.DINGTALK_APP_SECRET!,
            // an enterprise-internal app's robot code is its AppKey
            robotCode: v.DINGTALK_ROBOT_CODE ?? v.DINGTALK_APP_KEY,
            cardTemplateId: v.DINGTALK_CARD_TEMPLATE_ID!,
            mode: v.DINGTALK_MODE,
            port: v.DINGTALK_PORT,
            cardApiSecret: v.DINGTALK_CARD_API_SECRET,
            cardCallbackRouteKey: v.DINGTALK_CARD_ROUTE_KEY,
            apiBaseUrl: v.DINGTALK_API_BASE,
            oapiBaseUrl: v.DINGTALK_OAPI_BASE,
            workNoticeAgentId: v.DINGTALK_AGENT_ID,
          }
        : null,
    {
      over: ['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_CARD_TEMPLATE_ID'],
      check: (v, report) => {
        if (!v.DINGTALK_APP_KEY) return;
        if (!v.DINGTALK_APP_SECRET) report('DINGTALK_APP_SECRET', 'is not set (DINGTALK_APP_KEY is)');
        if (!v.DINGTALK_CARD_TEMPLATE_ID) report('DINGTALK_CARD_TEMPLATE_ID', 'is not set (DINGTALK_APP_KEY is)');
      },
    },
  ),
  seed: section(['KAOPING_BOOTSTRAP_ORGANISER'], (v) => ({ bootstrapOrganiser: v.KAOPING_BOOTSTRAP_ORGANISER })),
  test: section(
    ['TEST_DATABASE_URL', 'DATABASE_URL', 'TEST_REDIS_URL', 'TEST_LOG_LEVEL', 'TEST_SEND_DELAY_MS'],
    (v) => ({
      /** only its server is used: every test file creates its own database there */
      databaseServerUrl: v.TEST_DATABASE_URL ?? v.DATABASE_URL,
      redisUrl: v.TEST_REDIS_URL,
      logLevel: v.TEST_LOG_LEVEL,
      sendDelayMs: v.TEST_SEND_DELAY_MS,
    }),
  ),
  bench: section(
    [
      'BENCH_DATABASE_URL',
      'BENCH_LOG_LEVEL',
      'BENCH_BOT_FINDINGS',
      'BENCH_BOT_REQUESTS',
      'BENCH_LOAD_FINDINGS',
      'BENCH_LOAD_CONNECTIONS',
      'BENCH_LOAD_REQUESTS',
      'BENCH_INTAKE_ROWS',
      'BENCH_INTAKE_BATCH',
      'BENCH_LOAD_PROFILE',
      'BENCH_WORKER_FINDINGS',
      'BENCH_WORKER_LIMIT_SCALE',
      'BENCH_WORKER_CONCURRENCY',
      'BENCH_DATABASE_PREFIX',
      'BENCH_ENGINE_SIZES',
      'BENCH_EQUIVALENCE_SIZES',
      'BENCH_ACCEPTANCE_DIRS',
    ],
    (v) => ({
      serverUrl: v.BENCH_DATABASE_URL,
      databasePrefix: v.BENCH_DATABASE_PREFIX,
      engine: { sizes: v.BENCH_ENGINE_SIZES },
      equivalence: {
        sizes: v.BENCH_EQUIVALENCE_SIZES,
        acceptanceDirs: v.BENCH_ACCEPTANCE_DIRS.split(',')
          .map((d) => d.trim())
          .filter(Boolean),
      },
      logLevel: v.BENCH_LOG_LEVEL,
      bot: { findings: v.BENCH_BOT_FINDINGS, requests: v.BENCH_BOT_REQUESTS },
      intake: { rows: v.BENCH_INTAKE_ROWS, batch: v.BENCH_INTAKE_BATCH },
      load: {
        findings: v.BENCH_LOAD_FINDINGS,
        connections: v.BENCH_LOAD_CONNECTIONS,
        requests: v.BENCH_LOAD_REQUESTS,
        profileDir: v.BENCH_LOAD_PROFILE,
      },
      worker: {
        findings: v.BENCH_WORKER_FINDINGS,
        limitScale: v.BENCH_WORKER_LIMIT_SCALE,
        concurrency: v.BENCH_WORKER_CONCURRENCY,
      },
    }),
  ),
};

export type SectionName = keyof typeof SECTIONS;
export type Settings = { [K in SectionName]: z.output<(typeof SECTIONS)[K]['schema']> };

/**
 * What each command asks for. A command parses only its sections, so a missing SLACK_BOT_TOKEN
 * stops the bot but not `npm run chat`; the README table's "read by" column comes from here.
 */
export const COMMANDS = {
  bot: ['database', 'queue', 'rulebook', 'locale', 'clock', 'log', 'botHttp', 'slack', 'dingtalk', 'filingNotices'],
  worker: [
    'database',
    'queue',
    'rulebook',
    'locale',
    'clock',
    'log',
    'worker',
    'workerHttp',
    'workerAdmin',
    'messenger',
    'dingtalk',
  ],
  chat: ['database', 'demo', 'rulebook', 'locale', 'clock', 'log'],
  'db:migrate': ['database'],
  'db:seed': ['database', 'seed'],
  import: ['database', 'queue', 'rulebook', 'locale', 'clock'],
  test: ['test'],
  bench: ['bench', 'queue'],
} as const satisfies Record<string, readonly SectionName[]>;

export type CommandName = keyof typeof COMMANDS;
export type SettingsFor<C extends CommandName> = Pick<Settings, (typeof COMMANDS)[C][number]>;
