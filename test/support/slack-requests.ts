import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Signed Slack requests built from the REAL payload samples in shared/real-payloads/slack/
// (see SOURCES.md there). Each builder starts from a sample and changes only the values a flow
// needs; everything else stays as Slack (or Slack's own SDK tests) sent it.
//
//   const slack = new SlackRequests({ signingSecret: 'test-secret' });
//   const req = slack.slashCommand({ command: '/kp', text: 'unit 市公安局', userId: 'U1' });
//   const res = await sendSlackRequest(`${boltUrl}/slack/events`, req);
//
// Signature (https://docs.slack.dev/authentication/verifying-requests-from-slack):
//   X-Slack-Signature = 'v0=' + hex(HMAC-SHA256(signingSecret, `v0:${timestamp}:${rawBody}`))

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
/** CI copies shared/ beside the clone. */
export const sharedDir = path.resolve(repoRoot, '../shared');
export const slackSamplesDir = path.join(sharedDir, 'real-payloads', 'slack');

export type SlackRequestKind = 'command' | 'interactive' | 'event';

export interface SignedRequest {
  kind: SlackRequestKind;
  /** The raw body exactly as sent (and signed). */
  body: string;
  headers: Record<string, string>;
  /** The decoded payload: form fields for commands, the JSON object otherwise. */
  payload: Record<string, any>;
  timestamp: number;
}

export interface SignOptions {
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Make the request this many seconds old (Slack's receivers reject older than 300 s). */
  ageSeconds?: number;
  /** 'wrong' signs with a different secret; 'missing' omits the signature header. */
  signature?: 'valid' | 'wrong' | 'missing';
  /** Slack's redelivery headers (Events API retries). */
  retryNum?: number;
  retryReason?: string;
}

export type SlashCommandSample = 'bolt-js' | 'docs' | 'bolt-python' | 'java-org-install';
export type ViewSubmissionSample =
  | 'bolt-python'
  | 'bolt-python-response_urls'
  | 'java-static_select-datepicker'
  | 'java-response_urls'
  | 'java-org-install-timepicker';
export type BlockActionSample =
  | 'message_button.bolt-python'
  | 'ephemeral_message_button.bolt-python'
  | 'message_button_with_state.java'
  | 'message_attachment_button.docs';
export type AppHomeOpenedSample = 'home_tab.java' | 'messages_tab.bolt-python';

export interface SlashCommandOverrides {
  sample?: SlashCommandSample;
  command?: string;
  text?: string;
  teamId?: string;
  teamDomain?: string;
  channelId?: string;
  channelName?: string;
  userId?: string;
  userName?: string;
  triggerId?: string;
  responseUrl?: string;
  apiAppId?: string;
}

/** One entry of view.state.values[blockId][actionId]; see `stateValue` for the shapes. */
export type StateValue = Record<string, unknown> & { type: string };
export type StateValues = Record<string, Record<string, StateValue>>;

export interface ViewSubmissionOverrides {
  sample?: ViewSubmissionSample;
  callbackId?: string;
  privateMetadata?: string;
  /** Replaces view.state.values. */
  values?: StateValues;
  /** Replaces view.blocks (the modal as the app built it). */
  blocks?: unknown[];
  viewId?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  triggerId?: string;
  responseUrls?: Array<{ block_id: string; action_id: string; channel_id: string; response_url: string }>;
}

export interface BlockActionOverrides {
  sample?: BlockActionSample;
  actionId?: string;
  value?: string;
  blockId?: string;
  userId?: string;
  teamId?: string;
  channelId?: string;
  messageTs?: string;
  /** Replaces message.blocks (when the sample has a message). */
  messageBlocks?: unknown[];
  /** Replaces the top-level state.values. */
  stateValues?: StateValues;
  triggerId?: string;
  responseUrl?: string;
}

export interface AppHomeOpenedOverrides {
  sample?: AppHomeOpenedSample;
  userId?: string;
  teamId?: string;
  tab?: 'home' | 'messages';
  channel?: string;
  eventId?: string;
  eventTime?: number;
  apiAppId?: string;
}

/** Shapes of view.state.values entries, as in the samples. */
export const stateValue = {
  text: (value: string | null): StateValue => ({ type: 'plain_text_input', value }),
  number: (value: string | null): StateValue => ({ type: 'number_input', value }),
  url: (value: string | null): StateValue => ({ type: 'url_text_input', value }),
  email: (value: string | null): StateValue => ({ type: 'email_text_input', value }),
  date: (selectedDate: string | null): StateValue => ({ type: 'datepicker', selected_date: selectedDate }),
  staticSelect: (value: string | null, label: string = value ?? ''): StateValue => ({
    type: 'static_select',
    selected_option: value === null ? null : { text: { type: 'plain_text', text: label, emoji: true }, value },
  }),
  externalSelect: (value: string | null, label: string = value ?? ''): StateValue => ({
    type: 'external_select',
    selected_option: value === null ? null : { text: { type: 'plain_text', text: label, emoji: true }, value },
  }),
  multiStaticSelect: (options: Array<{ value: string; label?: string }>): StateValue => ({
    type: 'multi_static_select',
    selected_options: options.map((o) => ({
      text: { type: 'plain_text', text: o.label ?? o.value, emoji: true },
      value: o.value,
    })),
  }),
  channelsSelect: (channel: string | null): StateValue => ({ type: 'channels_select', selected_channel: channel }),
  conversationsSelect: (conversation: string | null): StateValue => ({
    type: 'conversations_select',
    selected_conversation: conversation,
  }),
  usersSelect: (user: string | null): StateValue => ({ type: 'users_select', selected_user: user }),
  multiUsersSelect: (users: string[]): StateValue => ({ type: 'multi_users_select', selected_users: users }),
};

const cache = new Map<string, string>();

/** Raw text of a sample file in shared/real-payloads/slack/. */
export function readSlackSample(file: string): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = readFileSync(path.join(slackSamplesDir, file), 'utf8');
    cache.set(file, text);
  }
  return text;
}

/** A fresh, mutable copy of a JSON sample. */
export function loadSlackJsonSample(file: string): Record<string, any> {
  return JSON.parse(readSlackSample(file)) as Record<string, any>;
}

export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export class SlackRequests {
  readonly signingSecret: string;
  readonly #now: () => number;

  constructor(opts: { signingSecret: string; now?: () => number }) {
    this.signingSecret = opts.signingSecret;
    this.#now = opts.now ?? Date.now;
  }

  /** Slash command: form body from slash_command.<sample>.txt (raw bytes kept when nothing changes). */
  slashCommand(o: SlashCommandOverrides = {}, sign: SignOptions = {}): SignedRequest {
    const raw = readSlackSample(`slash_command.${o.sample ?? 'bolt-js'}.txt`).trim();
    const form = new URLSearchParams(raw);
    const set: Array<[string, string | undefined]> = [
      ['command', o.command],
      ['text', o.text],
      ['team_id', o.teamId],
      ['team_domain', o.teamDomain],
      ['channel_id', o.channelId],
      ['channel_name', o.channelName],
      ['user_id', o.userId],
      ['user_name', o.userName],
      ['trigger_id', o.triggerId],
      ['response_url', o.responseUrl],
      ['api_app_id', o.apiAppId],
    ];
    let changed = false;
    for (const [key, value] of set) {
      if (value === undefined || form.get(key) === value) continue;
      form.set(key, value);
      changed = true;
    }
    const body = changed ? form.toString() : raw;
    return this.sign('command', body, sign, Object.fromEntries(new URLSearchParams(body)));
  }

  /** view_submission: `payload=<urlencoded JSON>` from view_submission.<sample>.json. */
  viewSubmission(o: ViewSubmissionOverrides = {}, sign: SignOptions = {}): SignedRequest {
    const p = loadSlackJsonSample(`view_submission.${o.sample ?? 'bolt-python'}.json`);
    setUserAndTeam(p, o.userId, o.teamId, o.userName);
    if (o.triggerId !== undefined) p.trigger_id = o.triggerId;
    if (o.callbackId !== undefined) p.view.callback_id = o.callbackId;
    if (o.privateMetadata !== undefined) p.view.private_metadata = o.privateMetadata;
    if (o.values !== undefined) p.view.state = { ...(p.view.state ?? {}), values: o.values };
    if (o.blocks !== undefined) p.view.blocks = o.blocks;
    if (o.viewId !== undefined) {
      p.view.id = o.viewId;
      p.view.root_view_id = o.viewId;
    }
    if (o.teamId !== undefined) p.view.team_id = o.teamId;
    if (o.responseUrls !== undefined) p.response_urls = o.responseUrls;
    return this.interactive(p, sign);
  }

  /** block_actions (a button press): `payload=<urlencoded JSON>` from block_actions.<sample>.json. */
  blockAction(o: BlockActionOverrides = {}, sign: SignOptions = {}): SignedRequest {
    const p = loadSlackJsonSample(`block_actions.${o.sample ?? 'message_button.bolt-python'}.json`);
    setUserAndTeam(p, o.userId, o.teamId);
    const action = p.actions[0];
    if (o.actionId !== undefined) action.action_id = o.actionId;
    if (o.value !== undefined) action.value = o.value;
    if (o.blockId !== undefined) action.block_id = o.blockId;
    if (o.channelId !== undefined) {
      if (p.channel) p.channel.id = o.channelId;
      else p.channel = { id: o.channelId };
      if (p.container) p.container.channel_id = o.channelId;
    }
    if (o.messageTs !== undefined) {
      if (p.container) p.container.message_ts = o.messageTs;
      if (p.message) p.message.ts = o.messageTs;
    }
    if (o.messageBlocks !== undefined && p.message) p.message.blocks = o.messageBlocks;
    if (o.stateValues !== undefined) p.state = { values: o.stateValues };
    if (o.triggerId !== undefined) p.trigger_id = o.triggerId;
    if (o.responseUrl !== undefined) p.response_url = o.responseUrl;
    return this.interactive(p, sign);
  }

  /** Events API app_home_opened (JSON body) from event_callback.app_home_opened.<sample>.json. */
  appHomeOpened(o: AppHomeOpenedOverrides = {}, sign: SignOptions = {}): SignedRequest {
    const p = loadSlackJsonSample(`event_callback.app_home_opened.${o.sample ?? 'home_tab.java'}.json`);
    if (o.userId !== undefined) {
      p.event.user = o.userId;
      for (const a of p.authorizations ?? []) if (!a.is_bot) a.user_id = o.userId;
    }
    if (o.teamId !== undefined) {
      p.team_id = o.teamId;
      if (p.event.view) p.event.view.team_id = o.teamId;
    }
    if (o.tab !== undefined) p.event.tab = o.tab;
    if (o.channel !== undefined) p.event.channel = o.channel;
    if (o.eventId !== undefined) p.event_id = o.eventId;
    if (o.eventTime !== undefined) p.event_time = o.eventTime;
    if (o.apiAppId !== undefined) p.api_app_id = o.apiAppId;
    return this.event(p, sign);
  }

  /**
   * A message with a file (subtype file_share) in the envelope of the real event_callback sample;
   * the event is shaped as Slack documents message.file_share (files carry their id; the rest
   * comes from files.info).
   */
  fileShare(
    o: {
      userId: string;
      fileId: string;
      text: string;
      channel?: string;
      channelType?: 'im' | 'channel';
      eventId?: string;
    },
    sign: SignOptions = {},
  ): SignedRequest {
    const p = loadSlackJsonSample('event_callback.app_home_opened.messages_tab.bolt-python.json');
    for (const a of p.authorizations ?? []) if (!a.is_bot) a.user_id = o.userId;
    const channel = o.channel ?? `D${o.userId}`;
    const ts = `${Math.floor(this.#now() / 1000)}.000100`;
    p.event = {
      type: 'message',
      subtype: 'file_share',
      text: o.text,
      user: o.userId,
      channel,
      channel_type: o.channelType ?? (channel.startsWith('D') ? 'im' : 'channel'),
      ts,
      event_ts: ts,
      upload: false,
      display_as_bot: false,
      files: [{ id: o.fileId, mode: 'hosted', file_access: 'check_file_info' }],
    };
    if (o.eventId !== undefined) p.event_id = o.eventId;
    return this.event(p, sign);
  }

  /** The url_verification handshake (signed like every other request). */
  urlVerification(o: { challenge?: string } = {}, sign: SignOptions = {}): SignedRequest {
    const p = loadSlackJsonSample('url_verification.json');
    if (o.challenge !== undefined) p.challenge = o.challenge;
    return this.event(p, sign);
  }

  /** Any interactive payload (block_suggestion, view_closed, …) as Slack delivers it. */
  interactive(payload: Record<string, any>, sign: SignOptions = {}): SignedRequest {
    return this.sign('interactive', `payload=${encodeURIComponent(JSON.stringify(payload))}`, sign, payload);
  }

  /** Any Events API body. */
  event(payload: Record<string, any>, sign: SignOptions = {}): SignedRequest {
    return this.sign('event', JSON.stringify(payload), sign, payload);
  }

  sign(kind: SlackRequestKind, body: string, opts: SignOptions = {}, payload: Record<string, any> = {}): SignedRequest {
    const now = Math.floor(this.#now() / 1000);
    const timestamp = opts.timestamp ?? now - (opts.ageSeconds ?? 0);
    const secret = opts.signature === 'wrong' ? `${this.signingSecret}-wrong` : this.signingSecret;
    const headers: Record<string, string> = {
      'content-type': kind === 'event' ? 'application/json' : 'application/x-www-form-urlencoded',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestamp),
    };
    if (opts.signature !== 'missing') headers['x-slack-signature'] = slackSignature(secret, timestamp, body);
    if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
    if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
    return { kind, body, headers, payload, timestamp };
  }
}

/** Add Slack's redelivery headers to an already signed request (they are not signed). */
export function withRetry(req: SignedRequest, retryNum: number, retryReason = 'http_timeout'): SignedRequest {
  return {
    ...req,
    headers: { ...req.headers, 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': retryReason },
  };
}

export interface SlackResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body when it is JSON, else undefined. */
  json: any;
}

/** POST a signed request to a receiver (e.g. `http://127.0.0.1:<port>/slack/events`). */
export async function sendSlackRequest(url: string, req: SignedRequest): Promise<SlackResponse> {
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body });
  const text = await res.text();
  let json: any;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

function setUserAndTeam(
  p: Record<string, any>,
  userId: string | undefined,
  teamId: string | undefined,
  userName?: string,
): void {
  if (userId !== undefined) p.user = { ...(p.user ?? {}), id: userId };
  if (userName !== undefined) p.user = { ...(p.user ?? {}), username: userName, name: userName };
  if (teamId !== undefined) {
    p.team = { ...(p.team ?? {}), id: teamId };
    if (p.user?.team_id !== undefined) p.user.team_id = teamId;
  }
}
