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

/** Where a file goes: a channel (group chat) or one person's chat with the bot. */
export type FileDestination = { channelId: string } | { userId: string };

/**
 * A file to hand to people: a report (XLSX, CSV, .docx) or a chart (PNG). `kind` decides how a
 * platform shows it (DingTalk: an image message or a file message; Slack and the console treat
 * both alike).
 */
export interface OutgoingFile {
  /** With its extension, e.g. '考评-2017-09.xlsx'; shown to people and used for the type. */
  filename: string;
  bytes: Uint8Array;
  kind: 'image' | 'file';
  /** Shown with the file (Slack's title); default the filename. */
  title?: string;
  /** One line said with the file where the platform can (Slack's initial comment). */
  comment?: string;
}

export interface SentFile {
  /** The platform's id of the uploaded file (Slack file id, DingTalk mediaId, the console's path). */
  fileId: string;
}

/** The error code of a file larger than the platform takes (permanent: the same file never fits). */
export const FILE_TOO_LARGE = 'file_too_large';

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
  /** The largest file this platform takes, in bytes (sendFile refuses larger ones up front). */
  readonly maxFileBytes: number;
  /**
   * Upload a file into a channel or a person's chat with the bot. A file over maxFileBytes is
   * refused before anything is sent, as a permanent MessengerError with code FILE_TOO_LARGE.
   */
  sendFile(to: FileDestination, file: OutgoingFile): Promise<SentFile>;
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

/** The permanent refusal of a file over the platform's limit, before any upload is tried. */
export function fileTooLarge(platform: string, operation: string, size: number, max: number): MessengerError {
  return new MessengerError(`${operation}: file of ${size} bytes over the ${max}-byte limit`, {
    code: FILE_TOO_LARGE,
    permanent: true,
    platform,
    operation,
  });
}

export function recipientUserId(to: PrivateRecipient): string {
  return typeof to === 'string' ? to : to.userId;
}

export function recipientChannelId(to: PrivateRecipient): string | undefined {
  return typeof to === 'string' ? undefined : to.channelId;
}
