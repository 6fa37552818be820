import type { AckFn, ViewResponseAction } from '@slack/bolt';
import { AppError } from '../../../../core/errors.ts';
import { t } from '../../../../core/i18n/t.ts';
import type { Locale } from '../../../../core/i18n/locale.ts';
import type { FormResult } from '../../../handlers/rectification-form.ts';
import { shortRef, unexpectedError } from '../../../handlers/failure.ts';
import type { BotDeps, Interaction } from '../../../interaction.ts';
import { slackInteraction, type SlackInteractionInput } from '../../slack-interaction.ts';

// A view submission is the one request whose acknowledgement carries the answer: field errors go
// back onto the form (response_action: errors) and keep what the person typed. So the store is
// asked before the ack — but only within a budget well inside Slack's 3 seconds. When the store
// is down or slow, the form is answered at the budget with SERVICE.UNAVAILABLE on its first field
// (the person's input stays; they can submit again), and work that lands later still sends its
// follow-ups. A resubmission of the same view is a repeat (the view id is the idempotency key).

/** Time given to the store before a view submission is answered anyway (ms). */
export const VIEW_BUDGET_MS = 2_000;

type Settled<T> = { state: 'done'; value: T } | { state: 'failed'; error: unknown } | { state: 'timeout' };

async function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ state: 'timeout' }), ms);
  });
  const settled = await Promise.race([
    work.then(
      (value): Settled<T> => ({ state: 'done', value }),
      (error: unknown): Settled<T> => ({ state: 'failed', error }),
    ),
    timeout,
  ]);
  clearTimeout(timer);
  return settled;
}

/** A field error's text: the message, its code and the request reference. */
export function fieldFailure(locale: Locale, error: AppError, requestId: string | undefined): string {
  const ref = shortRef(requestId);
  const code = ref
    ? t(locale, 'msg.error.codeRef', { code: error.code, ref })
    : t(locale, 'msg.error.code', { code: error.code });
  return `${error.userMessage(locale)} (${code})`;
}

export interface AnswerFormArgs {
  ack: AckFn<void> | AckFn<ViewResponseAction>;
  input: SlackInteractionInput;
  /** For logs and metrics, e.g. 'view:finding.withdraw.form'. */
  what: string;
  /** The field that shows a failure that belongs to no field. */
  field: string;
  budgetMs?: number;
}

export async function answerForm(
  deps: BotDeps,
  args: AnswerFormArgs,
  submit: (ix: Interaction) => Promise<FormResult>,
): Promise<void> {
  const { input, what } = args;
  const ack = args.ack as AckFn<ViewResponseAction>;
  const work = (async () => {
    const ix = await slackInteraction(deps, input);
    return { ix, result: await submit(ix) };
  })();
  const first = await settleWithin(work, args.budgetMs ?? VIEW_BUDGET_MS);
  if (first.state === 'done') {
    const { result } = first.value;
    await ack(result.outcome.ok ? undefined : { response_action: 'errors', errors: result.outcome.errors });
    deps.metrics?.requests.inc({ command: what, outcome: result.outcome.ok ? 'ok' : 'refused' });
    await followUp(deps, what, result);
    return;
  }
  const error =
    first.state === 'failed'
      ? unexpectedError(first.error, what)
      : new AppError('SERVICE.UNAVAILABLE', `${what}: no answer from the store within the budget`);
  const locale = input.context.resolved?.locale ?? deps.defaultLocale;
  await ack({
    response_action: 'errors',
    errors: { [args.field]: fieldFailure(locale, error, input.context.requestId) },
  });
  deps.metrics?.requests.inc({
    command: what,
    outcome: error.code === 'SERVICE.UNAVAILABLE' ? 'unavailable' : 'failed',
  });
  deps.logger.error(
    {
      err: first.state === 'failed' ? { message: (first.error as Error)?.message } : undefined,
      code: error.code,
      what,
      user: input.userId,
      requestId: input.context.requestId,
    },
    first.state === 'timeout' ? 'view submission answered at its budget' : 'view submission failed',
  );
  if (first.state === 'timeout')
    work.then(({ result }) => (result.outcome.ok ? followUp(deps, what, result) : undefined)).catch(() => undefined);
}

async function followUp(deps: BotDeps, what: string, result: FormResult): Promise<void> {
  try {
    await result.followUp();
  } catch (e) {
    deps.logger.error({ err: (e as Error).message, what }, 'form accepted, but its follow-ups failed');
  }
}

/** A submission whose sealed metadata does not hold: refused on the form, nothing else done. */
export async function refuseTampered(deps: BotDeps, args: AnswerFormArgs): Promise<void> {
  const error = new AppError('REQUEST.TAMPERED', `${args.what}: form metadata does not match its seal`);
  const locale = deps.defaultLocale;
  await (args.ack as AckFn<ViewResponseAction>)({
    response_action: 'errors',
    errors: { [args.field]: fieldFailure(locale, error, args.input.context.requestId) },
  });
  deps.metrics?.requests.inc({ command: args.what, outcome: 'refused' });
}
