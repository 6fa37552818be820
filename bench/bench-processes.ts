import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Redis } from 'ioredis';

// What the benches that run the bot in its own process, or make their own queue prefix, share.

/** The arguments bench/load-server.ts reads from argv[2]. */
export interface LoadServerArgs {
  databaseUrl: string;
  slackApiUrl: string;
  signingSecret: string;
  botId: string;
  botUserId: string;
  logLevel: string;
  /** true: the HTTP answer waits for the whole handler (the reply is measured); default: ack first */
  processBeforeResponse?: boolean;
  /** with both, every filing is published to BullMQ under this prefix (the caller creates and removes it) */
  redisUrl?: string;
  queuePrefix?: string;
}

export interface LoadServer {
  process: ChildProcessByStdio<null, Readable, null>;
  /** the bot's /slack/events URL */
  url: string;
}

/** Starts bench/load-server.ts (optionally with a V8 CPU profile) and waits until it listens. */
export async function startLoadServer(args: LoadServerArgs, profileDir?: string): Promise<LoadServer> {
  const server = spawn(
    process.execPath,
    [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      '--import',
      'tsx',
      'bench/load-server.ts',
      JSON.stringify(args),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        const m = /LISTENING (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.once('exit', (code) => reject(new Error(`bench bot process exited (${code})`)));
    });
    return { process: server, url };
  } catch (e) {
    server.kill('SIGKILL');
    throw e;
  }
}

/** Deletes every key under a queue prefix this run created (never another's). */
export async function removeQueuePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
