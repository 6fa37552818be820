import { connect, type Socket } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpsServer, type OpsServer } from '../../adapters/http/ops-server.ts';
import { WaitingConnections } from '../../adapters/http/waiting-connections.ts';
import { createHttpReceiver, ROBOT_PATH, type HttpReceiver } from '../../bot/dingtalk/http-receiver.ts';
import { SeenMessages } from '../../bot/dingtalk/seen-messages.ts';

// Node takes one waiting connection per listening socket and event-loop iteration, so a burst of
// new connections waits in the kernel while handlers keep the loop busy (the load benchmark
// measured it: acknowledgements themselves take a millisecond). Two answers, shown here without
// timings: the bot's port is opened by several listening sockets where the runtime can share a
// port (SO_REUSEPORT, Node ≥ 22.12), and handler work waits until every waiting connection is taken.

const logger = pino({ level: 'silent' });
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const sharesPorts = process.platform === 'linux' && (major > 22 || (major === 22 && minor >= 12));

const opened: Array<OpsServer | HttpReceiver> = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(opened.splice(0).map((o) => ('close' in o ? o.close() : o.stop())));
});

describe('the bot’s HTTP port', () => {
  it(`is opened by ${sharesPorts ? 'several listening sockets' : 'one listening socket (this Node cannot share a port)'}, each serving every route`, async () => {
    const ops = createOpsServer({ logger, readiness: [], acceptors: 4 });
    opened.push(ops);
    const { port } = await ops.listen(0, '127.0.0.1');
    expect(ops.servers).toHaveLength(sharesPorts ? 4 : 1);
    for (const server of ops.servers) expect((server.address() as { port: number }).port).toBe(port);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status)),
    );
    expect(answers.every((s) => s === 200)).toBe(true);
  });
});

describe('DingTalk’s HTTP callback port', () => {
  it(`is opened by ${sharesPorts ? 'several listening sockets' : 'one listening socket'} too, each checking signatures`, async () => {
    const unexpected = async () => {
      throw new Error('an unsigned request reached a handler');
    };
    const receiver = createHttpReceiver({
      appSecret: 'dingtalk-secret',
      handlers: { robotMessage: unexpected, cardCallback: unexpected },
      seen: new SeenMessages(),
      logger,
      now: Date.now,
      acceptors: 4,
    });
    opened.push(receiver);
    const url = await receiver.start(0, '127.0.0.1');
    expect(receiver.servers).toHaveLength(sharesPorts ? 4 : 1);
    const port = Number(new URL(url).port);
    for (const server of receiver.servers) expect((server.address() as { port: number }).port).toBe(port);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${url}${ROBOT_PATH}`, { method: 'POST', body: '{}' }).then((r) => r.status),
      ),
    );
    expect(answers.every((s) => s === 401)).toBe(true);
  });
});

describe('work after an acknowledgement', () => {
  it('starts only once the kernel has no waiting connection left', async () => {
    const ops = createOpsServer({ logger, readiness: [], acceptors: 1 });
    opened.push(ops);
    const waiting = new WaitingConnections();
    const { port } = await ops.listen(0, '127.0.0.1');
    for (const server of ops.servers) waiting.watch(server);
    let accepted = 0;
    ops.server.on('connection', () => {
      accepted += 1;
    });
    // 60 clients connected (the handshakes are done by the kernel); the server takes them one per
    // iteration, so right now most still wait in the accept queue
    await Promise.all(
      Array.from(
        { length: 60 },
        () =>
          new Promise<void>((resolve, reject) => {
            const s = connect(port, '127.0.0.1', () => resolve());
            s.on('error', reject);
            sockets.push(s);
          }),
      ),
    );
    await waiting.drained();
    expect(accepted).toBe(60);
  });

  it('does not wait when no connection is waiting', async () => {
    const waiting = new WaitingConnections();
    let iterations = 0;
    const count = () => {
      iterations += 1;
      if (iterations < 100) setImmediate(count);
    };
    setImmediate(count);
    await waiting.drained();
    expect(iterations).toBeLessThanOrEqual(3);
  });
});
