import type { Message } from '../messages/message.ts';

/**
 * Opaque, persistable reference to a posted message (e.g. FindingView.noticeRef). Only the
 * adapter that produced it can interpret it (Slack: "<channel>/<ts>").
 */
export type MessageRef = string;

export interface Posted {
  ref: MessageRef;
}

/**
 * A private message goes to one user: as a direct message, or — when `channelId` is given and
 * the platform supports it — as a message in that channel that only this user sees (Slack
 * ephemeral). Ephemeral messages cannot be updated later, so their `ref` is null.
 */
export type PrivateRecipient = string | { userId: string; channelId?: string };

export interface PostedPrivate {
  ref: MessageRef | null;
}

/**
 * What core and the worker need from a chat platform, and nothing more. Every method either
 * resolves or rejects with a MessengerError (adapters translate their SDK's errors).
 */
export interface MessengerPort {
  /** 'slack' | 'dingtalk' | 'console' — the same value as Actor.platform. */
  readonly platform: string;
  postToChannel(channelId: string, message: Message): Promise<Posted>;
  postPrivate(to: PrivateRecipient, message: Message): Promise<PostedPrivate>;
  /** Replace a message posted earlier by postToChannel/postPrivate. */
  updateMessage(ref: MessageRef, message: Message): Promise<void>;
  /** Replace the user's home page (Slack App Home); platforms without one may post privately. */
  publishHome(userId: string, message: Message): Promise<void>;
}

export interface MessengerErrorOptions {
  /** Platform error code, e.g. 'channel_not_found', 'ratelimited', 'http_503', 'network'. */
  code: string;
  /** true: retrying the same call cannot succeed (drop it, tell someone); false: retry later. */
  permanent: boolean;
  /** Seconds to wait before retrying, when the platform said so. */
  retryAfter?: number;
  platform: string;
  /** The platform call that failed, e.g. 'chat.postMessage'. */
  operation?: string;
  cause?: unknown;
}

/**
 * A failed platform call, classified for the caller's retry decision. The worker maps
 * permanent=true to "do not retry" and honours retryAfter for transient errors.
 */
export class MessengerError extends Error {
  readonly code: string;
  readonly permanent: boolean;
  readonly retryAfter: number | undefined;
  readonly platform: string;
  readonly operation: string | undefined;

  constructor(message: string, opts: MessengerErrorOptions) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MessengerError';
    this.code = opts.code;
    this.permanent = opts.permanent;
    this.retryAfter = opts.retryAfter;
    this.platform = opts.platform;
    this.operation = opts.operation;
  }

  get transient(): boolean {
    return !this.permanent;
  }

  toJSON(): MessengerErrorJSON {
    return {
      name: 'MessengerError',
      message: this.message,
      code: this.code,
      permanent: this.permanent,
      retryAfter: this.retryAfter,
      platform: this.platform,
      operation: this.operation,
    };
  }

  static fromJSON(json: MessengerErrorJSON): MessengerError {
    return new MessengerError(json.message, {
      code: json.code,
      permanent: json.permanent,
      platform: json.platform,
      ...(json.retryAfter === undefined ? {} : { retryAfter: json.retryAfter }),
      ...(json.operation === undefined ? {} : { operation: json.operation }),
    });
  }

  static is(e: unknown): e is MessengerError {
    return e instanceof MessengerError;
  }
}

export interface MessengerErrorJSON {
  name: 'MessengerError';
  message: string;
  code: string;
  permanent: boolean;
  retryAfter: number | undefined;
  platform: string;
  operation: string | undefined;
}

export function recipientUserId(to: PrivateRecipient): string {
  return typeof to === 'string' ? to : to.userId;
}

export function recipientChannelId(to: PrivateRecipient): string | undefined {
  return typeof to === 'string' ? undefined : to.channelId;
}
