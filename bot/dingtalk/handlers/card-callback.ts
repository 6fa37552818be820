import { createHash } from 'node:crypto';
import { type CardCallback, cardPress } from '../robot-message.schema.ts';
import { type DingTalkBotDeps, pressInteraction } from '../dingtalk-interaction.ts';
import { pressButton } from './press.ts';

// A button pressed on one of kaoping's cards. The card is the message the button is on, so it is
// the source to update (the unit's notice after a verification, for example).

export async function handleCardCallback(deps: DingTalkBotDeps, cb: CardCallback): Promise<void> {
  const press = cardPress(cb);
  if (!press) {
    deps.logger.warn({ outTrackId: cb.outTrackId }, 'card callback without kaoping button params; ignored');
    return;
  }
  // equal for the same person pressing the same button on the same card (a double tap, a retry)
  const key = createHash('sha256')
    .update([cb.outTrackId, cb.userId, press.action, press.value].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
  const ix = await pressInteraction(deps, cb.userId, `dingtalk:card:${key}`);
  await pressButton(deps, ix, press.action, press.value, `dingtalk:${cb.outTrackId}`);
}
