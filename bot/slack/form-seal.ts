import { createHmac, timingSafeEqual } from 'node:crypto';
import type { BotDeps } from '../interaction.ts';

// A modal's private_metadata (the finding it is about, the message to update later, the channel
// to answer in) travels through Slack and comes back in the view submission. It is sealed here:
// an HMAC over the person it was opened for and the metadata, keyed from the signing secret, so a
// submission whose metadata was changed — another finding's notice, another channel — or that
// is replayed by someone else is refused (and logged) instead of acted on. The finding itself is
// still authorised by core on every use.

const LABEL = 'kaoping form metadata v1';

export class FormSeal {
  readonly #key: Buffer;

  constructor(signingSecret: string) {
    this.#key = createHmac('sha256', signingSecret).update(LABEL).digest();
  }

  #mac(userId: string, metadata: string): string {
    return createHmac('sha256', this.#key).update(`${userId}\n${metadata}`).digest('base64url');
  }

  /** The metadata to put into a modal opened for `userId`. */
  seal(userId: string, metadata: string): string {
    return JSON.stringify({ m: metadata, s: this.#mac(userId, metadata) });
  }

  /** The metadata when the seal holds for `userId`, else null. */
  open(userId: string, sealed: string | undefined): string | null {
    try {
      const v = JSON.parse(sealed ?? '') as { m?: unknown; s?: unknown };
      if (typeof v.m !== 'string' || typeof v.s !== 'string') return null;
      const expected = Buffer.from(this.#mac(userId, v.m));
      const given = Buffer.from(v.s);
      return given.length === expected.length && timingSafeEqual(given, expected) ? v.m : null;
    } catch {
      return null;
    }
  }
}

/** What Slack listeners need beside the handlers' dependencies. */
export interface SlackDeps extends BotDeps {
  seal: FormSeal;
}
