import type { Locale } from '../../core/i18n/locale.ts';
import { t } from '../../core/i18n/t.ts';
import { context, message, paragraph } from '../../core/messages/message.ts';
import type { FormResult, FormSpec, FormSubmission } from '../handlers/rectification-form.ts';
import type { Interaction } from '../interaction.ts';

// DingTalk has no modals: a form (rectification evidence, rejection reason, withdrawal reason)
// is asked in the person's one-to-one chat with the robot, one item per message, like the
// console asks it line by line. The open form is kept per person in this process for 30
// minutes; a form left open longer is dropped and the person presses the card button again.

interface OpenForm {
  spec: FormSpec;
  values: Record<string, string>;
  index: number;
  key: string;
  ix: Interaction;
  submit: (sub: FormSubmission) => Promise<FormResult>;
  expiresAt: number;
}

const SKIP = new Set(['-', '—', '－', '跳过', 'skip']);

export class GuidedForms {
  readonly #open = new Map<string, OpenForm>();
  #seq = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 30 * 60_000,
  ) {}

  isOpen(userId: string): boolean {
    const f = this.#open.get(userId);
    if (f && f.expiresAt < this.now()) this.#open.delete(userId);
    return this.#open.has(userId);
  }

  /** Start asking; replaces a form the person left open. */
  async start(ix: Interaction, spec: FormSpec, submit: OpenForm['submit']): Promise<void> {
    this.#seq += 1;
    const form: OpenForm = {
      spec,
      values: {},
      index: 0,
      key: `dingtalk:form:${ix.userId}:${this.now()}:${this.#seq}`,
      ix,
      submit,
      expiresAt: this.now() + this.ttlMs,
    };
    this.#open.set(ix.userId, form);
    const locale = ix.locale;
    await ix.replyPrivately(
      message(
        [
          ...spec.intro.blocks,
          context(t(locale, 'bot.dingtalk.form.open', { title: spec.title })),
          fieldPrompt(locale, form),
        ],
        { text: `${spec.title}: ${spec.fields[0]?.label ?? ''}` },
      ),
    );
  }

  /** `/cancel` in the one-to-one chat. false when no form was open. */
  async cancel(userId: string): Promise<boolean> {
    const f = this.#open.get(userId);
    if (!f) return false;
    this.#open.delete(userId);
    await f.ix.replyPrivately(
      message([paragraph(t(f.ix.locale, 'bot.dingtalk.form.cancelled', { title: f.spec.title }))]),
    );
    return true;
  }

  /** One answer (one message); the form is submitted after its last field. */
  async answer(userId: string, text: string): Promise<void> {
    const f = this.#open.get(userId);
    if (!f) return;
    const locale = f.ix.locale;
    const field = f.spec.fields[f.index]!;
    f.values[field.id] = field.optional && SKIP.has(text.trim().toLowerCase()) ? '' : text;
    f.index += 1;
    f.expiresAt = this.now() + this.ttlMs;
    if (f.index < f.spec.fields.length) {
      await f.ix.replyPrivately(message([fieldPrompt(locale, f)]));
      return;
    }
    const result = await f.submit({
      formId: f.spec.formId,
      metadata: f.spec.metadata,
      values: { ...f.values },
      formKey: f.key,
    });
    if (!result.outcome.ok) {
      const errors = result.outcome.errors;
      const lines = Object.entries(errors).map(([id, error]) =>
        t(locale, 'bot.dingtalk.form.error', { label: f.spec.fields.find((x) => x.id === id)?.label ?? id, error }),
      );
      f.index = Math.max(
        f.spec.fields.findIndex((x) => x.id in errors),
        0,
      );
      await f.ix.replyPrivately(message([paragraph(lines.join('\n')), fieldPrompt(locale, f)]));
      return;
    }
    this.#open.delete(userId);
    await f.ix.replyPrivately(
      message([paragraph(t(locale, 'bot.dingtalk.form.done', { submit: f.spec.submitLabel }))]),
    );
    await result.followUp();
  }
}

function fieldPrompt(locale: Locale, f: Pick<OpenForm, 'spec' | 'index'>) {
  const field = f.spec.fields[f.index]!;
  const ask = t(locale, 'bot.dingtalk.form.field', {
    label: field.label,
    optional: field.optional ? t(locale, 'bot.dingtalk.form.optional') : '',
  });
  return paragraph(field.hint ? `${ask}\n${field.hint}` : ask);
}
