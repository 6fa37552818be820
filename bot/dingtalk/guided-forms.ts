import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { context, message, paragraph } from '../../core/messages/message.ts';
import type { OpenFormsPort } from '../../core/ports/open-forms.port.ts';
import type { FormResult, FormSpec, FormSubmission } from '../handlers/rectification-form.ts';
import type { Interaction } from '../interaction.ts';

// DingTalk has no modals: a form (rectification evidence, rejection reason, withdrawal reason)
// is asked in the person's one-to-one chat with the robot, one item per message, like the
// console asks it line by line. The open form is kept in the store (core/ports/open-forms.port.ts,
// table open_form), not in this process: the next answer may reach another bot process, or come
// after a restart, and continues the form. A form left alone for 30 minutes is dropped and the
// person presses the card button again. What a finished form does is looked up by its formId
// (`submitters`), since the process that opened it may not be the one that submits it.

/** Submits a finished form as the person answering it. */
export type FormSubmitter = (ix: Interaction, sub: FormSubmission) => Promise<FormResult>;

/** What is stored of an open form: the spec without its intro, the answers so far, the next item. */
const formStateSchema = z.object({
  formId: z.string(),
  title: z.string(),
  submitLabel: z.string(),
  metadata: z.string(),
  fields: z
    .array(z.object({ id: z.string(), label: z.string(), hint: z.string().optional(), optional: z.boolean() }))
    .min(1),
  values: z.record(z.string(), z.string()),
  index: z.number().int().min(0),
});
type FormState = z.infer<typeof formStateSchema>;

const SKIP = new Set(['-', '—', '－', '跳过', 'skip']);
/** Answers racing for one form in two processes: each re-reads and takes the next item. */
const MAX_RACES = 5;

export class GuidedForms {
  constructor(
    private readonly store: OpenFormsPort,
    private readonly submitters: Readonly<Record<string, FormSubmitter>>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 30 * 60_000,
  ) {}

  /** Start asking; replaces a form the person left open. */
  async start(ix: Interaction, spec: FormSpec): Promise<void> {
    const state: FormState = {
      formId: spec.formId,
      title: spec.title,
      submitLabel: spec.submitLabel,
      metadata: spec.metadata,
      fields: spec.fields.map((f) => ({
        id: f.id,
        label: f.label,
        ...(f.hint ? { hint: f.hint } : {}),
        optional: f.optional,
      })),
      values: {},
      index: 0,
    };
    await this.store.open(ix.platform, ix.userId, {
      key: `${ix.platform}:form:${ix.userId}:${randomUUID()}`,
      state,
      expiresAt: this.#expiry(),
    });
    const locale = ix.locale;
    await ix.replyPrivately(
      message(
        [
          ...spec.intro.blocks,
          context(t(locale, 'bot.dingtalk.form.open', { title: spec.title })),
          fieldPrompt(locale, state),
        ],
        { text: `${spec.title}: ${spec.fields[0]?.label ?? ''}` },
      ),
    );
  }

  /** `/cancel` in the one-to-one chat. false when no form was open. */
  async cancel(ix: Interaction): Promise<boolean> {
    const open = await this.#read(ix);
    if (!open || !(await this.store.close(ix.platform, ix.userId, { key: open.key }))) return false;
    await ix.replyPrivately(
      message([paragraph(t(ix.locale, 'bot.dingtalk.form.cancelled', { title: open.state.title }))]),
    );
    return true;
  }

  /** One answer (one message); the form is submitted after its last item. false when no form is open. */
  async answer(ix: Interaction, text: string): Promise<boolean> {
    const locale = ix.locale;
    for (let race = 0; race < MAX_RACES; race += 1) {
      const open = await this.#read(ix);
      if (!open) return race > 0; // closed by the answer it raced with: this one came too late
      const f = open.state;
      const field = f.fields[f.index]!;
      const values = { ...f.values, [field.id]: field.optional && SKIP.has(text.trim().toLowerCase()) ? '' : text };
      const next: FormState = { ...f, values, index: f.index + 1 };
      const at = { key: open.key, version: open.version };
      if (next.index < f.fields.length) {
        if (!(await this.store.advance(ix.platform, ix.userId, at, { state: next, expiresAt: this.#expiry() })))
          continue;
        await ix.replyPrivately(message([fieldPrompt(locale, next)]));
        return true;
      }
      // the last item: the one process that closes the form submits it
      if (!(await this.store.close(ix.platform, ix.userId, at))) continue;
      const submit = this.submitters[f.formId];
      if (!submit) {
        await ix.replyPrivately(message([paragraph(t(locale, 'bot.dingtalk.form.expired'))]));
        return true;
      }
      const result = await submit(ix, { formId: f.formId, metadata: f.metadata, values, formKey: open.key });
      if (!result.outcome.ok) {
        const errors = result.outcome.errors;
        const lines = Object.entries(errors).map(([id, error]) =>
          t(locale, 'bot.dingtalk.form.error', { label: f.fields.find((x) => x.id === id)?.label ?? id, error }),
        );
        // asked again from the first item in error, under the same key (a resubmission of this form)
        const retry: FormState = {
          ...next,
          index: Math.max(
            f.fields.findIndex((x) => x.id in errors),
            0,
          ),
        };
        await this.store.open(ix.platform, ix.userId, { key: open.key, state: retry, expiresAt: this.#expiry() });
        await ix.replyPrivately(message([paragraph(lines.join('\n')), fieldPrompt(locale, retry)]));
        return true;
      }
      await ix.replyPrivately(message([paragraph(t(locale, 'bot.dingtalk.form.done', { submit: f.submitLabel }))]));
      await result.followUp();
      return true;
    }
    return true;
  }

  async #read(ix: Interaction): Promise<{ key: string; version: number; state: FormState } | null> {
    const stored = await this.store.get(ix.platform, ix.userId, new Date(this.now()));
    if (!stored) return null;
    const state = formStateSchema.safeParse(stored.state);
    // a form saved by an incompatible version of the bot: dropped, the person presses again
    if (!state.success || state.data.index >= state.data.fields.length) {
      await this.store.close(ix.platform, ix.userId, { key: stored.key });
      return null;
    }
    return { key: stored.key, version: stored.version, state: state.data };
  }

  #expiry(): Date {
    return new Date(this.now() + this.ttlMs);
  }
}

function fieldPrompt(locale: Locale, f: Pick<FormState, 'fields' | 'index'>) {
  const field = f.fields[f.index]!;
  const ask = t(locale, 'bot.dingtalk.form.field', {
    label: field.label,
    optional: field.optional ? t(locale, 'bot.dingtalk.form.optional') : '',
  });
  return paragraph(field.hint ? `${ask}\n${field.hint}` : ask);
}
