import type { webApi } from '@slack/bolt';
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
import { renderSlackHomeView, renderSlackMessage } from './block-kit.renderer.ts';
import { toMessengerError } from './slack-errors.ts';

/**
 * MessengerPort over Slack's Web API. Pass Bolt's `app.client` in the bot, or a WebClient of
 * your own in the worker; for the worker build it with `rejectRateLimitedCalls: true` so that a
 * 429 comes back at once as a transient MessengerError with `retryAfter` (and the job queue
 * waits), instead of WebClient sleeping inside the job.
 */
/** Slack takes files up to 1 GB (files.getUploadURLExternal). */
export const SLACK_MAX_FILE_BYTES = 1_000_000_000;

export class SlackMessenger implements MessengerPort {
  readonly platform = 'slack';
  readonly maxFileBytes: number;
  readonly #client: webApi.WebClient;

  constructor(client: webApi.WebClient, opts: { maxFileBytes?: number } = {}) {
    this.#client = client;
    this.maxFileBytes = opts.maxFileBytes ?? SLACK_MAX_FILE_BYTES;
  }

  async postToChannel(channelId: string, message: Message): Promise<Posted> {
    const payload = renderSlackMessage(message);
    const res = await this.#call('chat.postMessage', () =>
      this.#client.chat.postMessage({ channel: channelId, ...payload, unfurl_links: false, unfurl_media: false }),
    );
    return { ref: encodeSlackRef(res.channel ?? channelId, requireTs(res.ts, 'chat.postMessage')) };
  }

  async postPrivate(to: PrivateRecipient, message: Message): Promise<PostedPrivate> {
    const payload = renderSlackMessage(message);
    const userId = recipientUserId(to);
    const channelId = recipientChannelId(to);
    if (channelId !== undefined) {
      await this.#call('chat.postEphemeral', () =>
        this.#client.chat.postEphemeral({ channel: channelId, user: userId, ...payload }),
      );
      return { ref: null };
    }
    // A user id as `channel` posts into the app's DM with that user (the Messages tab).
    const res = await this.#call('chat.postMessage', () =>
      this.#client.chat.postMessage({ channel: userId, ...payload, unfurl_links: false, unfurl_media: false }),
    );
    return {
      ref: encodeSlackRef(requireChannel(res.channel, 'chat.postMessage'), requireTs(res.ts, 'chat.postMessage')),
    };
  }

  async updateMessage(ref: MessageRef, message: Message): Promise<void> {
    const { channel, ts } = decodeSlackRef(ref);
    const payload = renderSlackMessage(message);
    await this.#call('chat.update', () => this.#client.chat.update({ channel, ts, ...payload }));
  }

  async publishHome(userId: string, message: Message): Promise<void> {
    const view = renderSlackHomeView(message);
    await this.#call('views.publish', () => this.#client.views.publish({ user_id: userId, view }));
  }

  /**
   * files.uploadV2: WebClient asks files.getUploadURLExternal for an upload URL, posts the bytes
   * there, then files.completeUploadExternal shares the file into the channel. A person's chat
   * with the bot is a DM channel, opened first (conversations.open is idempotent).
   */
  async sendFile(to: FileDestination, file: OutgoingFile): Promise<SentFile> {
    const operation = 'files.uploadV2';
    if (file.bytes.byteLength > this.maxFileBytes)
      throw fileTooLarge(this.platform, operation, file.bytes.byteLength, this.maxFileBytes);
    const channel = 'channelId' in to ? to.channelId : await this.#dmChannel(to.userId);
    const res = await this.#call(operation, () =>
      this.#client.filesUploadV2({
        channel_id: channel,
        file: Buffer.from(file.bytes),
        filename: file.filename,
        title: file.title ?? file.filename,
        ...(file.comment ? { initial_comment: file.comment } : {}),
      }),
    );
    const done = (res as { files?: Array<{ files?: Array<{ id?: string }> }> }).files ?? [];
    const id = done[0]?.files?.[0]?.id;
    if (!id)
      throw new MessengerError(`${operation}: response without a file id`, {
        code: 'bad_response',
        permanent: false,
        platform: 'slack',
        operation,
      });
    return { fileId: id };
  }

  async #dmChannel(userId: string): Promise<string> {
    const res = await this.#call('conversations.open', () => this.#client.conversations.open({ users: userId }));
    return requireChannel(res.channel?.id, 'conversations.open');
  }

  async #call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toMessengerError(error, operation);
    }
  }
}

/** "<channel>/<ts>": channel ids and message timestamps never contain '/'. */
export function encodeSlackRef(channel: string, ts: string): MessageRef {
  return `${channel}/${ts}`;
}

export function decodeSlackRef(ref: MessageRef): { channel: string; ts: string } {
  const m = /^([A-Z0-9]+)\/(\d+\.\d+)$/.exec(ref);
  if (!m)
    throw new MessengerError(`not a Slack message ref: "${ref}"`, {
      code: 'invalid_ref',
      permanent: true,
      platform: 'slack',
      operation: 'chat.update',
    });
  return { channel: m[1]!, ts: m[2]! };
}

function requireTs(ts: string | undefined, operation: string): string {
  if (!ts)
    throw new MessengerError(`${operation}: response without ts`, {
      code: 'bad_response',
      permanent: false,
      platform: 'slack',
      operation,
    });
  return ts;
}

function requireChannel(channel: string | undefined, operation: string): string {
  if (!channel)
    throw new MessengerError(`${operation}: response without channel`, {
      code: 'bad_response',
      permanent: false,
      platform: 'slack',
      operation,
    });
  return channel;
}
