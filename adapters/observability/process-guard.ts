import type { Logger } from 'pino';
import { errorLine } from './connection-errors.ts';

// The last line of defence of a long-running process (bot, worker): an error that slipped past
// every handler is logged as one redacted line and the process keeps serving. Exiting would turn
// one malformed request into an outage for everybody (nothing restarts a bare `npm run bot`); the
// request that failed has already been answered or timed out. Start-up failures still exit
// non-zero: they happen before this is installed, or through the entry's own fatal().
export function guardProcess(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: errorLine(reason) }, 'unhandled promise rejection; still running');
  });
  process.on('uncaughtException', (e, origin) => {
    logger.error({ err: errorLine(e), origin }, 'uncaught exception; still running');
  });
}
