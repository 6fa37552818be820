import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeDingTalkApi } from './dingtalk-fake-api.ts';

// A local stand-in for DingTalk's Stream gateway, speaking the protocol the SDK speaks
// (developerpedia "Stream 模式协议"): the client POSTs /v1.0/gateway/connections/open (served
// by the fake API, which hands out this server's endpoint and a ticket), opens a WebSocket to
// endpoint?ticket=…, receives CALLBACK frames and answers each with { code: 200, headers: {
// messageId }, data }. Frames not acknowledged would be re-sent by DingTalk; tests re-send them.

export interface StreamFrame {
  specVersion: string;
  type: string;
  headers: Record<string, string>;
  data: string;
}

export class FakeStreamGateway {
  readonly acks: Array<{ code: number; headers: Record<string, string>; data: string }> = [];
  readonly tickets: string[] = [];
  #socket: WebSocket | null = null;
  #connected: Promise<void>;
  #onConnect!: () => void;

  private constructor(private readonly wss: WebSocketServer) {
    this.#connected = new Promise((resolve) => {
      this.#onConnect = resolve;
    });
    wss.on('connection', (socket, req) => {
      this.tickets.push(new URL(req.url ?? '/', 'ws://x').searchParams.get('ticket') ?? '');
      this.#socket = socket;
      socket.on('message', (raw) => {
        this.acks.push(JSON.parse(String(raw)));
      });
      this.#onConnect();
    });
  }

  /** Listens on loopback and tells the fake API to hand this gateway out. */
  static async start(api: FakeDingTalkApi): Promise<FakeStreamGateway> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.on('listening', () => resolve()));
    const port = (wss.address() as AddressInfo).port;
    api.gateway = { endpoint: `ws://127.0.0.1:${port}/connect`, ticket: 'ticket-kaoping-test' };
    return new FakeStreamGateway(wss);
  }

  connected(): Promise<void> {
    return this.#connected;
  }

  send(frame: StreamFrame): void {
    if (!this.#socket) throw new Error('no Stream client connected');
    this.#socket.send(JSON.stringify(frame));
  }

  /** Waits until the client acknowledged this frame `times` times in total. */
  async acked(messageId: string, times = 1, timeoutMs = 5_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.acks.filter((a) => a.headers?.messageId === messageId).length < times) {
      if (Date.now() > until) throw new Error(`frame ${messageId} not acknowledged ${times}×`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
