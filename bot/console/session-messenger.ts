import type { Writable } from 'node:stream';
import type { Button, Message } from '../../core/messages/message.ts';
import { t } from '../../core/i18n/t.ts';
import type { Locale } from '../../core/i18n/locale.ts';
import {
  MessengerError,
  type FileDestination,
  type OutgoingFile,
  type SentFile,
  recipientChannelId,
  recipientUserId,
  type MessageRef,
  type MessengerPort,
  type Posted,
  type PostedPrivate,
  type PrivateRecipient,
} from '../../core/ports/messenger.port.ts';
import { ConsoleMessenger } from '../../adapters/messenger/console/console-messenger.adapter.ts';

// The console's MessengerPort: the ConsoleMessenger renders and records; this wrapper prints
// with readable headings (channel and people names instead of ids) and makes refs unique to the
// session. A ref stored by an earlier run ("console:3" then, a different message now) is refused
// as message_not_found, so the handlers post the notice anew instead of editing the wrong one.

export interface SessionMessengerOptions {
  out: Writable;
  session: string;
  locale: Locale;
  userName: (userId: string) => string;
  channelName: (channelId: string) => string;
  ansi?: boolean;
  /** How buttons are shown (short handles at the console). */
  pressCommand?: (button: Button) => string;
  /** Where files sent at the console are written (ConsoleMessenger's default otherwise). */
  filesDir?: string;
}

export class SessionMessenger implements MessengerPort {
  readonly platform = 'console';
  readonly inner: ConsoleMessenger;
  readonly #prefix: string;

  get maxFileBytes(): number {
    return this.inner.maxFileBytes;
  }

  /** Written by the inner messenger; printed here with the channel's or person's name. */
  async sendFile(to: FileDestination, file: OutgoingFile): Promise<SentFile> {
    const sent = await this.inner.sendFile(to, file);
    const heading =
      'channelId' in to
        ? `#${this.opts.channelName(to.channelId)}`
        : t(this.opts.locale, 'bot.console.heading.private', { user: this.opts.userName(to.userId) });
    this.opts.out.write(
      `── ${heading} ──\n${file.comment ? `${file.comment}\n` : ''}📎 ${file.title ?? file.filename}: ${sent.fileId}\n\n`,
    );
    return sent;
  }

  constructor(private readonly opts: SessionMessengerOptions) {
    this.inner = new ConsoleMessenger({
      userName: opts.userName,
      ...(opts.ansi === undefined ? {} : { ansi: opts.ansi }),
      ...(opts.pressCommand ? { pressCommand: opts.pressCommand } : {}),
      ...(opts.filesDir ? { filesDir: opts.filesDir } : {}),
    });
    this.#prefix = `console:${opts.session}:`;
  }

  #print(heading: string): void {
    const last = this.inner.sent.at(-1)!;
    this.opts.out.write(`── ${heading} ──\n${last.rendered}\n\n`);
  }

  #outer(ref: MessageRef): MessageRef {
    return `${this.#prefix}${ref}`;
  }

  /** The inner ref of one of this session's refs, or null for anything else. */
  innerRef(ref: MessageRef): MessageRef | null {
    return ref.startsWith(this.#prefix) ? ref.slice(this.#prefix.length) : null;
  }

  outerRef(innerRef: MessageRef): MessageRef {
    return this.#outer(innerRef);
  }

  async postToChannel(channelId: string, message: Message): Promise<Posted> {
    const { ref } = await this.inner.postToChannel(channelId, message);
    this.#print(`#${this.opts.channelName(channelId)}`);
    return { ref: this.#outer(ref) };
  }

  async postPrivate(to: PrivateRecipient, message: Message): Promise<PostedPrivate> {
    const { ref } = await this.inner.postPrivate(to, message);
    const user = this.opts.userName(recipientUserId(to));
    const channel = recipientChannelId(to);
    this.#print(
      channel
        ? t(this.opts.locale, 'bot.console.heading.ephemeral', { channel: this.opts.channelName(channel), user })
        : t(this.opts.locale, 'bot.console.heading.private', { user }),
    );
    return { ref: ref === null ? null : this.#outer(ref) };
  }

  async updateMessage(ref: MessageRef, message: Message): Promise<void> {
    const inner = this.innerRef(ref);
    if (inner === null)
      throw new MessengerError(`updateMessage: ${ref} is not from this console session`, {
        code: 'message_not_found',
        permanent: true,
        platform: 'console',
        operation: 'updateMessage',
      });
    await this.inner.updateMessage(inner, message);
    const target = this.inner.sent.at(-1)!.target;
    const where = /^C/.test(target) ? `#${this.opts.channelName(target)}` : this.opts.userName(target);
    this.#print(t(this.opts.locale, 'bot.console.heading.edited', { where }));
  }

  async publishHome(userId: string, message: Message): Promise<void> {
    await this.inner.publishHome(userId, message);
    this.#print(t(this.opts.locale, 'bot.console.heading.home', { user: this.opts.userName(userId) }));
  }
}
