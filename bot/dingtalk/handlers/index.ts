import type { DingTalkBotDeps } from '../dingtalk-interaction.ts';
import type { CardCallback, RobotMessage } from '../robot-message.schema.ts';
import { handleCardCallback } from './card-callback.ts';
import { handleRobotMessage } from './robot-message.ts';

// What the receivers (HTTP callback, Stream) hand over, by kind: one handler file per kind.

export interface DingTalkHandlers {
  robotMessage(msg: RobotMessage): Promise<void>;
  cardCallback(cb: CardCallback): Promise<void>;
}

export function registerDingTalkHandlers(deps: DingTalkBotDeps): DingTalkHandlers {
  return {
    robotMessage: (msg) => handleRobotMessage(deps, msg),
    cardCallback: (cb) => handleCardCallback(deps, cb),
  };
}
