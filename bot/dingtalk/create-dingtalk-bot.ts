import { DingTalkApiClient } from '../../adapters/messenger/dingtalk/dingtalk-api.client.ts';
import { withAssessment } from '../../core/assessment-years.ts';
import { DingTalkMessenger } from '../../adapters/messenger/dingtalk/dingtalk-messenger.adapter.ts';
import type { OpenFormsPort } from '../../core/ports/open-forms.port.ts';
import type { BotDeps } from '../interaction.ts';
import type { DingTalkBotDeps } from './dingtalk-interaction.ts';
import { GuidedForms } from './guided-forms.ts';
import { registerDingTalkHandlers } from './handlers/index.ts';
import { formSubmitters } from './handlers/press.ts';
import { createHttpReceiver, type HttpReceiver } from './http-receiver.ts';
import { SeenMessages } from './seen-messages.ts';
import { createStreamReceiver, type StreamReceiver } from './stream-receiver.ts';

// The DingTalk bot: the robot's messages and card presses in (HTTP callback or Stream mode, by
// configuration), the shared handlers, DingTalk cards out. No environment is read here.

export interface DingTalkBotConfig {
  appKey: string;
  appSecret: string;
  /** The robot's code; for an enterprise-internal app's robot, its AppKey. */
  robotCode: string;
  cardTemplateId: string;
  mode: 'http' | 'stream';
  apiBaseUrl: string;
  oapiBaseUrl: string;
  /** HTTP card callbacks: the API secret registered with the callback URL, and its route key. */
  cardApiSecret?: string | undefined;
  cardCallbackRouteKey?: string | undefined;
  processBeforeResponse?: boolean | undefined;
  now?: (() => number) | undefined;
}

export interface DingTalkBot {
  messenger: DingTalkMessenger;
  /** HTTP mode: the base URL the callbacks are served on (…/dingtalk/robot, …/dingtalk/card); Stream: null. */
  start(port: number, host?: string): Promise<string | null>;
  stop(): Promise<void>;
  idle(): Promise<void>;
}

/** What the DingTalk bot keeps in the store besides the assessment: the open guided forms. */
export interface DingTalkBotPorts {
  openForms: OpenFormsPort;
}

export function createDingTalkBot(base: BotDeps, config: DingTalkBotConfig, ports: DingTalkBotPorts): DingTalkBot {
  const now = config.now ?? Date.now;
  const api = new DingTalkApiClient({
    appKey: config.appKey,
    appSecret: config.appSecret,
    apiBaseUrl: config.apiBaseUrl,
    oapiBaseUrl: config.oapiBaseUrl,
    now,
  });
  const messenger = new DingTalkMessenger(api, {
    robotCode: config.robotCode,
    cardTemplateId: config.cardTemplateId,
    // Stream mode receives card presses on the same connection; HTTP mode needs the card callback URL
    callbackType: config.mode === 'stream' ? 'STREAM' : 'HTTP',
    callbackRouteKey: config.cardCallbackRouteKey,
  });
  const forms = new GuidedForms(ports.openForms, formSubmitters(base), now);
  // withAssessment, not a spread: today's assessment year stays live (core/assessment-years.ts)
  const deps: DingTalkBotDeps = withAssessment(base, { messenger, forms, now });
  const handlers = registerDingTalkHandlers(deps);
  const seen = new SeenMessages(10 * 60_000, now);
  let receiver: HttpReceiver | StreamReceiver;
  if (config.mode === 'stream') {
    receiver = createStreamReceiver({
      clientId: config.appKey,
      clientSecret: config.appSecret,
      apiBaseUrl: config.apiBaseUrl,
      handlers,
      seen,
      logger: base.logger,
    });
  } else {
    receiver = createHttpReceiver({
      appSecret: config.appSecret,
      cardApiSecret: config.cardApiSecret,
      handlers,
      seen,
      logger: base.logger,
      now,
      processBeforeResponse: config.processBeforeResponse,
    });
  }
  return {
    messenger,
    async start(port, host) {
      if ('start' in receiver && config.mode === 'http') return (receiver as HttpReceiver).start(port, host);
      await (receiver as StreamReceiver).start();
      return null;
    },
    stop: () => receiver.stop(),
    idle: () => receiver.idle(),
  };
}
