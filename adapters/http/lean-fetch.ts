import http from 'node:http';
import https from 'node:https';

/**
 * A `fetch` for the Slack Web API client and Bolt's `respond()` (both take one as `fetch`): the
 * same contract for what they send — a JSON or form body as a string, URLSearchParams or bytes —
 * over node:http with kept-alive connections, at about a third of the CPU of Node's built-in fetch
 * per call (bench: `npm run bench -- bot`, the bot in its own process; the WHATWG streams of the
 * built-in cost more than the request). Every filing makes two such calls (the unit's notice and
 * the filer's reply), so this is on the bot's busiest path.
 *
 * Anything else — a FormData or Blob body (files.uploadV2), a Request object, a redirect to
 * follow — goes to the built-in fetch, unchanged. Failures look as the built-in's do: a network
 * error is a TypeError('fetch failed') with the system error as its `cause`, an aborted call
 * rejects with the signal's reason (WebClient's timeout: a DOMException named TimeoutError), so
 * adapters/messenger/slack/slack-errors.ts classifies both the same way.
 */
export function createLeanFetch(opts: { maxSockets?: number } = {}): typeof fetch {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64 }),
  } as const;

  const leanFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = leanBody(init.body);
    if (input instanceof Request || body === undefined) return fetch(input, init);
    const url = typeof input === 'string' ? new URL(input) : input;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fetch(input, init);
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    const headers = headerRecord(init.headers);
    if (body.bytes && !hasHeader(headers, 'content-length')) headers['content-length'] = String(body.bytes.length);
    if (body.type && !hasHeader(headers, 'content-type')) headers['content-type'] = body.type;
    const response = await new Promise<Response | { location: string; status: number }>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(
        url,
        { method: init.method ?? 'GET', headers, agent: agents[url.protocol as 'http:' | 'https:'] },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400 && res.headers.location && init.redirect !== 'manual') {
            res.resume();
            resolve({ location: res.headers.location, status });
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          // A body cut short (the connection lost, or the caller's signal aborting mid-body) fails
          // the call as the built-in does: the signal's reason, else a network error.
          const cut = (e: unknown) =>
            reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: e }));
          res.on('error', cut);
          res.on('close', () => {
            if (!res.complete) cut(new Error('the answer ended before its body'));
          });
          res.on('end', () => {
            const noBody = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
            const out = new Headers();
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
            resolve(
              new Response(noBody ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage ?? '',
                headers: out,
              }),
            );
          });
        },
      );
      const onAbort = () => req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('close', () => signal?.removeEventListener('abort', onAbort));
      req.on('error', (e) => reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: e })));
      req.end(body.bytes);
    });
    if (response instanceof Response) return response;
    // A redirect is rare here (Slack answers its API directly): followed as fetch follows it (303,
    // and 301/302 after a POST, become a GET without a body), further ones by the built-in.
    if (init.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error('unexpected redirect') });
    const method = (init.method ?? 'GET').toUpperCase();
    const toGet =
      response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST');
    const next = new URL(response.location, url);
    return toGet ? fetch(next, { ...init, method: 'GET', body: null }) : fetch(next, init);
  };
  return leanFetch as typeof fetch;
}

/** The body as bytes and its default content type, or undefined for kinds left to the built-in. */
function leanBody(body: RequestInit['body']): { bytes?: Buffer; type?: string } | undefined {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { bytes: Buffer.from(body), type: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams)
    return { bytes: Buffer.from(body.toString()), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  if (body instanceof Uint8Array) return { bytes: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  if (body instanceof ArrayBuffer) return { bytes: Buffer.from(body) };
  return undefined;
}

function headerRecord(h: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (h instanceof Headers) for (const [k, v] of h) out[k] = v;
  else if (Array.isArray(h)) for (const [k, v] of h) out[k!.toLowerCase()] = v!;
  else for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = typeof v === 'string' ? v : v.join(', ');
  return out;
}

const hasHeader = (h: Record<string, string>, name: string): boolean => name in h;
