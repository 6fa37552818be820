// The lean fetch stands in for the built-in one under the Slack Web API client and Bolt's
// respond(): for every kind of call they make, what comes back (status, headers, body) and how a
// failure looks must be the same as the built-in's. Each case runs through both, against one server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLeanFetch } from '../../adapters/http/lean-fetch.ts';

let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/api/echo' }).end();
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else if (req.url === '/missing') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing');
      } else if (req.url === '/cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"ok":', () => res.destroy());
      } else if (req.url === '/stalls') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"ok":'); // and nothing more: the caller's timeout must end it
      } else if (req.url === '/silent') {
        // never answers: the caller's timeout must end it
      } else {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-slack-req-id': 'r1' });
        res.end(JSON.stringify({ ok: true, echo: body, method: req.method, 考评: '通报' }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const lean = createLeanFetch();

async function both(call: (f: typeof fetch) => Promise<Response>) {
  const out = [];
  for (const f of [fetch, lean]) {
    seen.length = 0;
    const res = await call(f);
    out.push({
      status: res.status,
      ok: res.ok,
      statusText: res.statusText,
      type: res.headers.get('content-type'),
      reqId: res.headers.get('x-slack-req-id'),
      text: await res.text(),
      sent: seen.map((s) => ({
        method: s.method,
        url: s.url,
        type: s.headers['content-type'],
        length: s.headers['content-length'],
        body: s.body,
      })),
    });
  }
  return out;
}

describe('the lean fetch answers as the built-in does', () => {
  it('a JSON post (respond(), chat.postMessage with a JSON body), in UTF-8', async () => {
    const [builtIn, leanOne] = await both((f) =>
      f(`${base}/api/echo`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: '市公安局 2.1.1a 扣 1 分' }),
      }),
    );
    expect(leanOne).toEqual(builtIn);
    expect(JSON.parse(leanOne!.text)).toMatchObject({
      ok: true,
      考评: '通报',
      echo: '{"text":"市公安局 2.1.1a 扣 1 分"}',
    });
  });

  it('a form post (the Web API client) with a Headers object and URLSearchParams', async () => {
    const [builtIn, leanOne] = await both((f) =>
      f(`${base}/api/chat.postMessage`, {
        method: 'POST',
        headers: new Headers({ Authorization: 'Bearer xoxb-test' }),
        body: new URLSearchParams({ channel: 'C1', text: '通报' }),
      }),
    );
    expect(leanOne).toEqual(builtIn);
    expect(leanOne!.sent[0]!.type).toBe('application/x-www-form-urlencoded;charset=UTF-8');
  });

  it('refusals and empty answers: 404 is not ok, 204 has no body; a redirect is followed', async () => {
    for (const path of ['/missing', '/empty', '/moved']) {
      const [builtIn, leanOne] = await both((f) => f(`${base}${path}`, { method: 'POST', body: 'x' }));
      expect(leanOne).toEqual(builtIn);
    }
  });

  it('a multipart body (files.uploadV2) is left to the built-in fetch and arrives whole', async () => {
    const form = new FormData();
    form.append('file', new Blob(['通报 v1']), '通报.txt');
    const res = await lean(`${base}/upload`, { method: 'POST', body: form });
    expect(res.ok).toBe(true);
    expect(JSON.parse(await res.text()).echo).toContain('通报 v1');
  });

  it('a refused connection is a TypeError("fetch failed") whose cause is the system error, as the built-in', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    for (const f of [fetch, lean]) {
      const e = await f(`http://127.0.0.1:${port}/api/x`, { method: 'POST', body: '{}' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TypeError);
      expect(e).toMatchObject({ message: 'fetch failed' });
      const cause = (e as { cause?: { code?: string; errors?: Array<{ code?: string }> } }).cause;
      expect([cause?.code, ...(cause?.errors ?? []).map((x) => x.code)]).toContain('ECONNREFUSED');
    }
  });

  it("a timed-out call rejects with the signal's reason (a DOMException named TimeoutError), as the built-in", async () => {
    for (const f of [fetch, lean]) {
      const e = await f(`${base}/silent`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(100) }).catch(
        (x: unknown) => x,
      );
      expect(e).toMatchObject({ name: 'TimeoutError' });
    }
  });

  it('an answer whose body stalls fails with the timeout too, while the body is awaited', async () => {
    for (const f of [fetch, lean]) {
      const res = await f(`${base}/stalls`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(150) }).catch(
        (x: unknown) => x,
      );
      const e = res instanceof Response ? await res.text().catch((x: unknown) => x) : res;
      expect(e).toMatchObject({ name: 'TimeoutError' });
    }
  });

  it('a connection lost in the middle of the body is a network error (a TypeError), never a partial answer', async () => {
    for (const f of [fetch, lean]) {
      // the built-in fails when the body is read, the lean one (which reads it first) at once
      const res = await f(`${base}/cut`, { method: 'POST', body: '{}' }).catch((x: unknown) => x);
      const e = res instanceof Response ? await res.text().catch((x: unknown) => x) : res;
      expect(e).toBeInstanceOf(TypeError);
    }
  });
});
