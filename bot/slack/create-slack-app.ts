import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { withAssessment } from '../../core/assessment-years.ts';
import type { BotDeps } from '../interaction.ts';
import { actorMiddleware } from './slack-context.ts';
import { registerListeners } from './listeners/index.ts';
import { FormSeal } from './form-seal.ts';
import { createOpsServer } from '../../adapters/http/ops-server.ts';
import type { ReadinessCheck } from '../../adapters/observability/readiness.ts';
import { REQUEST_ID_HEADER, slackEventsRoute } from './http/slack-events-route.ts';
import { boltLogger } from './bolt-logger.ts';
import { WorkLimiter } from '../work-limiter.ts';
import { WaitingConnections } from '../../adapters/http/waiting-connections.ts';
import { createLeanFetch } from '../../adapters/http/lean-fetch.ts';

export interface SlackAppConfig {
  token: string;
  signingSecret: string;
  /** Socket Mode instead of HTTP (needs an app-level token). */
  socketMode?: { appToken: string } | undefined;
  /** Known bot ids skip auth.test at start-up (tests, offline). */
  botId?: string | undefined;
  botUserId?: string | undefined;
  /** Web API base, e.g. a local fake in tests: http://127.0.0.1:PORT/api/ */
  slackApiUrl?: string | undefined;
  /** Answer Slack only after the listener finished (deterministic tests); default false. */
  processBeforeResponse?: boolean | undefined;
  webApiRetries?: number | undefined;
  /** What /readyz checks (PostgreSQL, Redis); none means always ready. */
  readiness?: readonly ReadinessCheck[] | undefined;
  /** Handlers working at once after their acknowledgement (default 8; see bot/work-limiter.ts). */
  maxConcurrentWork?: number | undefined;
  /** The server clock for request freshness (tests move it); default Date.now. */
  nowMs?: (() => number) | undefined;
}

export interface SlackBot {
  app: App;
  /**
   * Starts the HTTP server — /slack/events (HTTP mode), /healthz, /readyz, /metrics — and, in
   * Socket Mode, the socket. Returns the events URL in HTTP mode.
   */
  start(port: number, host?: string): Promise<string | null>;
  stop(): Promise<void>;
}

/** The Bolt app with kaoping's middleware and listeners; no environment is read here. */
export function createSlackApp(deps: BotDeps, config: SlackAppConfig): SlackBot {
  const logger = boltLogger(deps.logger);
  const httpReceiver = config.socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.signingSecret,
        processBeforeResponse: config.processBeforeResponse ?? false,
        logger,
        customPropertiesExtractor: (req) => {
          const id = req.headers[REQUEST_ID_HEADER];
          return typeof id === 'string' ? { requestId: id } : {};
        },
      });
  const receiver = httpReceiver ?? new SocketModeReceiver({ appToken: config.socketMode!.appToken, logger });
  const app = new App({
    token: config.token,
    receiver,
    // Bolt's default conversation store is unused here (our forms live in PostgreSQL) and costs a
    // rejected promise with an Error and its stack for every request it looks up.
    convoStore: false,
    ...(config.botId ? { botId: config.botId } : {}),
    ...(config.botUserId ? { botUserId: config.botUserId } : {}),
    clientOptions: {
      // the Web API client's calls and respond(): see adapters/http/lean-fetch.ts
      fetch: createLeanFetch(),
      ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
      ...(config.webApiRetries !== undefined ? { retryConfig: { retries: config.webApiRetries } } : {}),
    },
    logger,
  });
  app.use(actorMiddleware(deps));
  // handlers start once the receiver has taken every waiting connection (see the class)
  const waiting = new WaitingConnections();
  registerListeners(
    app,
    withAssessment(deps, {
      work: deps.work ?? new WorkLimiter(config.maxConcurrentWork ?? 8, () => waiting.drained()),
      seal: new FormSeal(config.signingSecret || config.token),
    }),
  );
  app.error(async (error) => {
    deps.logger.error(
      { err: { message: error.message, code: (error as { code?: string }).code } },
      'unhandled error in a Slack listener',
    );
  });

  const ops = createOpsServer({
    logger: deps.logger,
    readiness: config.readiness ?? [],
    metrics: deps.metrics,
    routes: httpReceiver
      ? {
          '/slack/events': slackEventsRoute({
            receiver: httpReceiver,
            signingSecret: config.signingSecret,
            logger: deps.logger,
            metrics: deps.metrics,
            nowMs: config.nowMs,
          }),
        }
      : {},
  });

  return {
    app,
    async start(port, host = '0.0.0.0') {
      const address = await ops.listen(port, host);
      for (const server of ops.servers) waiting.watch(server);
      if (config.socketMode) {
        await app.start();
        return null;
      }
      return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}/slack/events`;
    },
    async stop() {
      if (config.socketMode) await app.stop();
      await ops.close();
    },
  };
}
