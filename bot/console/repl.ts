import { withRequestId } from '../../adapters/observability/request-context.ts';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ConsoleSession } from './session.ts';

/**
 * Feed lines to a session until /quit or the end of the input. Interactive (a terminal): a
 * readline prompt. Otherwise (a pipe, a test): each line is echoed after the prompt so the
 * transcript reads like a conversation, and the lines are handled one after the other.
 */
export async function runRepl(
  session: ConsoleSession,
  input: Readable,
  out: Writable,
  opts: { interactive: boolean },
): Promise<void> {
  const rl = createInterface({
    input,
    output: opts.interactive ? out : undefined,
    terminal: opts.interactive,
    crlfDelay: Infinity,
  });
  const show = () => {
    if (opts.interactive) {
      rl.setPrompt(session.prompt());
      rl.prompt();
    }
  };
  show();
  try {
    for await (const line of rl) {
      if (!opts.interactive) out.write(`${session.prompt()}${line}\n`);
      // each line is a request of its own: its log lines share a new id
      if (!(await withRequestId(undefined, () => session.handleLine(line)))) break;
      show();
    }
  } finally {
    rl.close();
  }
}
