import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotDeps } from '../interaction.ts';
import { actorMiddleware } from './slack-context.ts';
import { registerListeners } from './listeners/index.ts';

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
}

export interface SlackBot {
  app: App;
  /** Starts the HTTP receiver (or the socket) and returns the events URL in HTTP mode. */
  start(port: number, host?: string): Promise<string | null>;
  stop(): Promise<void>;
}

/** The Bolt app with kaoping's middleware and listeners; no environment is read here. */
export function createSlackApp(deps: BotDeps, config: SlackAppConfig): SlackBot {
  const receiver: Receiver = config.socketMode
    ? new SocketModeReceiver({ appToken: config.socketMode.appToken, logLevel: LogLevel.WARN })
    : new HTTPReceiver({
        signingSecret: config.signingSecret,
        processBeforeResponse: config.processBeforeResponse ?? false,
        logLevel: LogLevel.WARN,
      });
  const app = new App({
    token: config.token,
    receiver,
    ...(config.botId ? { botId: config.botId } : {}),
    ...(config.botUserId ? { botUserId: config.botUserId } : {}),
    clientOptions: {
      ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
      ...(config.webApiRetries !== undefined ? { retryConfig: { retries: config.webApiRetries } } : {}),
    },
    logLevel: LogLevel.WARN,
  });
  app.use(actorMiddleware(deps));
  registerListeners(app, deps);
  app.error(async (error) => {
    deps.logger.error(
      { err: { message: error.message, code: (error as { code?: string }).code } },
      'unhandled error in a Slack listener',
    );
  });

  return {
    app,
    async start(port, host = '0.0.0.0') {
      const started = await app.start({ port, host });
      if (config.socketMode) return null;
      const address = (started as Server).address() as AddressInfo;
      return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}/slack/events`;
    },
    async stop() {
      await app.stop();
    },
  };
}
