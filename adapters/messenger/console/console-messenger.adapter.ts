import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Message } from '../../../core/messages/message.ts';
import {
  fileTooLarge,
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
} from '../../../core/ports/messenger.port.ts';
import { renderConsoleText, type ConsoleRenderOptions } from './console-text.renderer.ts';

export type ConsoleOperation = 'postToChannel' | 'postPrivate' | 'updateMessage' | 'publishHome' | 'sendFile';

/** A file the console wrote for someone. */
export interface WrittenFile {
  /** Channel id or user id. */
  target: string;
  kind: 'channel' | 'private';
  filename: string;
  title: string;
  comment: string | undefined;
  /** Where it was written (what the console prints). */
  path: string;
  size: number;
}

export interface SentMessage {
  seq: number;
  operation: ConsoleOperation;
  /** Channel id, user id, or (for updates) the ref's target. */
  target: string;
  /** For ephemeral private messages: the channel they were shown in. */
  channelId?: string;
  ref: MessageRef | null;
  message: Message;
  rendered: string;
}

export interface ConsoleMessengerOptions extends ConsoleRenderOptions {
  /** Where the text goes; default: nowhere (recording only). */
  out?: Writable;
  /** When given, posting to any other channel fails like Slack's channel_not_found. */
  channels?: Iterable<string>;
  /** Where sent files are written; default <tmp>/kaoping-files. */
  filesDir?: string;
  /** The largest file taken; default 2 GB (a test sets less to see the refusal). */
  maxFileBytes?: number;
}

interface ScriptedFailure {
  operation: ConsoleOperation | '*';
  error: { code: string; permanent: boolean; retryAfter?: number };
  times: number;
}

/**
 * MessengerPort for the terminal (bot/console.ts) and for tests: renders each message as text,
 * writes it to `out`, and records it in `sent`. Refs are "console:<seq>". Failures can be
 * scripted with failNext() so callers' retry handling can be exercised without a platform.
 */
export class ConsoleMessenger implements MessengerPort {
  readonly platform = 'console';
  readonly sent: SentMessage[] = [];
  readonly files: WrittenFile[] = [];
  readonly maxFileBytes: number;
  readonly #filesDir: string;
  readonly #out: Writable | undefined;
  readonly #channels: Set<string> | undefined;
  readonly #render: ConsoleRenderOptions;
  readonly #current = new Map<MessageRef, { target: string; message: Message }>();
  readonly #failures: ScriptedFailure[] = [];
  #seq = 0;

  constructor(opts: ConsoleMessengerOptions = {}) {
    this.#out = opts.out;
    this.#channels = opts.channels ? new Set(opts.channels) : undefined;
    this.#filesDir = opts.filesDir ?? join(tmpdir(), 'kaoping-files');
    this.maxFileBytes = opts.maxFileBytes ?? 2 * 1024 ** 3;
    this.#render = {
      ...(opts.ansi === undefined ? {} : { ansi: opts.ansi }),
      ...(opts.userName ? { userName: opts.userName } : {}),
      ...(opts.width ? { width: opts.width } : {}),
      ...(opts.pressCommand ? { pressCommand: opts.pressCommand } : {}),
    };
  }

  /** The next `times` calls of `operation` (or of any, with '*') fail with this error. */
  failNext(
    operation: ConsoleOperation | '*',
    error: { code: string; permanent: boolean; retryAfter?: number },
    times = 1,
  ): void {
    this.#failures.push({ operation, error, times });
  }

  /** The latest content of a posted message, after any updates. */
  current(ref: MessageRef): Message | undefined {
    return this.#current.get(ref)?.message;
  }

  sentTo(target: string): SentMessage[] {
    return this.sent.filter((s) => s.target === target);
  }

  async postToChannel(channelId: string, message: Message): Promise<Posted> {
    this.#maybeFail('postToChannel');
    if (this.#channels && !this.#channels.has(channelId)) this.#fail('postToChannel', 'channel_not_found', true);
    const ref = this.#nextRef();
    this.#record({ operation: 'postToChannel', target: channelId, ref, message }, `#${channelId}`);
    this.#current.set(ref, { target: channelId, message });
    return { ref };
  }

  async postPrivate(to: PrivateRecipient, message: Message): Promise<PostedPrivate> {
    this.#maybeFail('postPrivate');
    const userId = recipientUserId(to);
    const channelId = recipientChannelId(to);
    if (channelId !== undefined) {
      if (this.#channels && !this.#channels.has(channelId)) this.#fail('postPrivate', 'channel_not_found', true);
      this.#record(
        { operation: 'postPrivate', target: userId, channelId, ref: null, message },
        `#${channelId} (only @${userId})`,
      );
      return { ref: null };
    }
    const ref = this.#nextRef();
    this.#record({ operation: 'postPrivate', target: userId, ref, message }, `@${userId} (private)`);
    this.#current.set(ref, { target: userId, message });
    return { ref };
  }

  async updateMessage(ref: MessageRef, message: Message): Promise<void> {
    this.#maybeFail('updateMessage');
    const existing = this.#current.get(ref);
    if (!existing) this.#fail('updateMessage', 'message_not_found', true);
    this.#record({ operation: 'updateMessage', target: existing.target, ref, message }, `${ref} (edited)`);
    this.#current.set(ref, { target: existing.target, message });
  }

  async publishHome(userId: string, message: Message): Promise<void> {
    this.#maybeFail('publishHome');
    this.#record({ operation: 'publishHome', target: userId, ref: null, message }, `home of @${userId}`);
  }

  /** Writes the file under filesDir and prints where, so the person at the terminal can open it. */
  async sendFile(to: FileDestination, file: OutgoingFile): Promise<SentFile> {
    this.#maybeFail('sendFile');
    if (file.bytes.byteLength > this.maxFileBytes)
      throw fileTooLarge('console', 'sendFile', file.bytes.byteLength, this.maxFileBytes);
    const channel = 'channelId' in to;
    const target = channel ? to.channelId : to.userId;
    if (channel && this.#channels && !this.#channels.has(target)) this.#fail('sendFile', 'channel_not_found', true);
    mkdirSync(this.#filesDir, { recursive: true });
    // a sequence number keeps two files of the same name apart; basename keeps it in filesDir
    const path = join(this.#filesDir, `${this.files.length + 1}-${basename(file.filename)}`);
    writeFileSync(path, file.bytes);
    const title = file.title ?? file.filename;
    this.files.push({
      target,
      kind: channel ? 'channel' : 'private',
      filename: file.filename,
      title,
      comment: file.comment,
      path,
      size: file.bytes.byteLength,
    });
    this.#out?.write(
      `── ${channel ? `#${target}` : `@${target} (private)`} ──\n${file.comment ? `${file.comment}\n` : ''}📎 ${title}: ${path}\n\n`,
    );
    return { fileId: path };
  }

  #nextRef(): MessageRef {
    return `console:${this.#seq + 1}`;
  }

  #record(entry: Omit<SentMessage, 'seq' | 'rendered'>, heading: string): void {
    const rendered = renderConsoleText(entry.message, this.#render);
    this.#seq += 1;
    this.sent.push({ seq: this.#seq, ...entry, rendered });
    this.#out?.write(`── ${heading} ──\n${rendered}\n\n`);
  }

  #maybeFail(operation: ConsoleOperation): void {
    const i = this.#failures.findIndex((f) => f.operation === operation || f.operation === '*');
    if (i < 0) return;
    const f = this.#failures[i]!;
    f.times -= 1;
    if (f.times <= 0) this.#failures.splice(i, 1);
    this.#fail(operation, f.error.code, f.error.permanent, f.error.retryAfter);
  }

  #fail(operation: ConsoleOperation, code: string, permanent: boolean, retryAfter?: number): never {
    throw new MessengerError(`${operation}: ${code}`, {
      code,
      permanent,
      platform: 'console',
      operation,
      ...(retryAfter === undefined ? {} : { retryAfter }),
    });
  }
}
