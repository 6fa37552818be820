import { DingTalkApiClient } from './dingtalk-api.client.ts';
import { DingTalkMessenger } from './dingtalk-messenger.adapter.ts';

// The worker's DingTalk messenger from the configuration module's `dingtalk` section
// (adapters/config; the bot builds its own in bot/dingtalk/create-dingtalk-bot.ts).

export interface DingTalkMessengerSettings {
  appKey: string;
  appSecret: { reveal(): string };
  robotCode: string;
  cardTemplateId: string;
  mode: 'stream' | 'http';
  cardCallbackRouteKey: string | undefined;
  apiBaseUrl: string;
  oapiBaseUrl: string;
  /** Private detail without buttons as work notifications (工作通知) under this AgentId. */
  workNoticeAgentId?: string | undefined;
}

export function dingTalkMessenger(s: DingTalkMessengerSettings): DingTalkMessenger {
  const api = new DingTalkApiClient({
    appKey: s.appKey,
    appSecret: s.appSecret.reveal(),
    apiBaseUrl: s.apiBaseUrl,
    oapiBaseUrl: s.oapiBaseUrl,
  });
  return new DingTalkMessenger(api, {
    robotCode: s.robotCode,
    cardTemplateId: s.cardTemplateId,
    callbackType: s.mode === 'stream' ? 'STREAM' : 'HTTP',
    callbackRouteKey: s.cardCallbackRouteKey,
    // the worker's private detail only: the bot answers people in the chat they wrote in
    workNoticeAgentId: s.workNoticeAgentId,
  });
}
