import pino, { type Logger } from 'pino';
import { createCoreFixture, type CoreFixture } from './core-fixture.ts';
import { FakeSlackApi } from './slack-fake-api.ts';
import { SlackRequests, sendSlackRequest, type SignedRequest } from './slack-requests.ts';
import { createSlackApp } from '../../bot/slack/create-slack-app.ts';
import { settingsFor } from '../../adapters/config/load-settings.ts';
import { FormSeal } from '../../bot/slack/form-seal.ts';
import type { Metrics } from '../../adapters/observability/metrics.ts';
import { withAssessment } from '../../core/assessment-years.ts';
import type { Rulebook } from '../../rules/rulebook.ts';
import type { Assessment } from '../../core/assessment.ts';

export const SIGNING_SECRET = 'kaoping-test-signing-secret';

/**
 * The real Slack bot on a loopback HTTP port, a fake Slack Web API recording every call, and a
 * fresh migrated PostgreSQL database with the core service — nothing of ours is mocked.
 */
export async function startBotHarness(
  opts: {
    now?: string;
    processBeforeResponse?: boolean;
    fx?: CoreFixture;
    serviceUrl?: (databaseUrl: string) => string;
    metrics?: Metrics;
    /** The assessment years the bot holds (createCoreFixture's). */
    rulebooks?: readonly Rulebook[];
    /** The bot's logger (default: pino at TEST_LOG_LEVEL). */
    logger?: Logger;
  } = {},
) {
  // a given fixture (another bot on the same database) is the caller's to drop
  const fx =
    opts.fx ??
    (await createCoreFixture({
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.serviceUrl ? { serviceUrl: opts.serviceUrl } : {}),
      ...(opts.rulebooks ? { rulebooks: opts.rulebooks } : {}),
    }));
  const slack = await FakeSlackApi.start();
  const { bot, url } = await startSlackBot(fx.assessment, slack, {
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    processBeforeResponse: opts.processBeforeResponse ?? true,
  });
  const requests = new SlackRequests({ signingSecret: SIGNING_SECRET });

  /** A Slack member bound to a role (and unit) in the store, on platform 'slack'. */
  async function slackMember(userId: string, role: 'organiser' | 'inspector' | 'unit_contact', unit?: string) {
    await fx.prisma.member.create({
      data: {
        identities: { create: { platform: 'slack', externalId: userId } },
        role,
        ...(unit ? { unit: { connect: { rulebookId_name: { rulebookId: 'hz-2017', name: unit } } } } : {}),
      },
    });
  }

  return {
    fx,
    slack,
    bot,
    url,
    requests,
    /** The bot's form-metadata seal (same key), to build or read modal metadata in tests. */
    seal: new FormSeal(SIGNING_SECRET),
    slackMember,
    send: (req: SignedRequest) => sendSlackRequest(url, req),
    async close() {
      await bot.stop();
      await slack.close();
      if (!opts.fx) await fx.drop();
    },
  };
}

/**
 * The real Slack bot over these assessment ports on a loopback port, its Web API at `fake`: what
 * startBotHarness runs, for tests that bring their own ports (a worker fixture's, a bot whose
 * queue is down).
 */
export async function startSlackBot(
  assessment: Assessment,
  fake: FakeSlackApi,
  opts: {
    signingSecret?: string;
    token?: string;
    logger?: Logger;
    metrics?: Metrics;
    processBeforeResponse?: boolean;
    /** platforms whose filing notices the worker posts (BotDeps.workerNotices) */
    workerNotices?: readonly string[];
  } = {},
) {
  const logger = opts.logger ?? pino({ level: settingsFor('test').test.logLevel });
  const bot = createSlackApp(
    withAssessment(assessment, {
      logger,
      defaultLocale: 'zh-CN' as const,
      metrics: opts.metrics,
      workerNotices: opts.workerNotices,
    }),
    {
      token: opts.token ?? 'xoxb-test-token',
      signingSecret: opts.signingSecret ?? SIGNING_SECRET,
      botId: fake.botId,
      botUserId: fake.botUserId,
      slackApiUrl: fake.url,
      processBeforeResponse: opts.processBeforeResponse ?? true,
      webApiRetries: 0,
    },
  );
  return { bot, url: (await bot.start(0, '127.0.0.1'))! };
}
