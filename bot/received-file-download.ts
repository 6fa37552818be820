// The bytes of a file a person sent in chat (Slack's url_private_download, DingTalk's
// messageFiles download URL), never more than an import takes: a file announced larger, or
// turning out larger while read, is refused without reading the rest.

/** The largest file imported from chat: a year's findings sheet is well under it. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** The file is larger than an import takes; `size` in bytes when the server announced it. */
export class ReceivedFileTooLarge extends Error {
  constructor(readonly size: number | null) {
    super(`file of ${size ?? 'more than the limit of'} bytes is larger than ${MAX_IMPORT_BYTES}`);
  }
}

export async function downloadReceivedFile(url: string, headers: Record<string, string> = {}): Promise<Uint8Array> {
  if (!/^https?:\/\//.test(url)) throw new Error('no download URL');
  const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`download answered ${res.status}`);
  // Slack answers a missing scope or a wrong token with its sign-in page, not the file
  if ((res.headers.get('content-type') ?? '').startsWith('text/html')) throw new Error('download answered a web page');
  const announced = Number(res.headers.get('content-length') ?? Number.NaN);
  if (announced > MAX_IMPORT_BYTES) {
    await res.body?.cancel();
    throw new ReceivedFileTooLarge(announced);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.length;
    if (size > MAX_IMPORT_BYTES) {
      await res.body?.cancel().catch(() => undefined);
      throw new ReceivedFileTooLarge(null);
    }
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
