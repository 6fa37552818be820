import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

// Bolt and its Web API client log through this, so their lines are structured pino lines like
// ours ("[WARN] web-api:WebClient:0 …" on stderr otherwise). Their messages are plain text
// without request bodies or tokens; they are joined into `msg` with a `source` field.
export function boltLogger(logger: Logger, level: LogLevel = LogLevel.WARN): BoltLogger {
  let current = level;
  let child = logger.child({ source: 'slack' });
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    debug: (...msg) => child.debug(text(msg)),
    info: (...msg) => child.info(text(msg)),
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    setLevel: (l) => {
      current = l;
    },
    getLevel: () => current,
    setName: (name) => {
      child = logger.child({ source: `slack:${name}` });
    },
  };
}
