import type { Message } from '../../core/messages/message.ts';

// A form the bot asks a person to fill in, independent of the messenger: Slack renders it as a
// modal (bot/slack/listeners/views/rectification-modal.ts), the console asks field by field.
// The answer comes back as { formId, metadata, values } and is checked by the handler that
// opened it; field errors go back to the same field.

export interface FormField {
  /** Slack block_id and action_id; the key in `values`. */
  id: string;
  label: string;
  hint?: string;
  placeholder?: string;
  multiline: boolean;
  optional: boolean;
  maxLength: number;
}

export interface FormSpec {
  /** Routes the submission (Slack callback_id). */
  formId: string;
  title: string;
  submitLabel: string;
  closeLabel: string;
  /** What the form is about, shown above the fields (no buttons). */
  intro: Message;
  fields: FormField[];
  /** Opaque state handed back on submission (Slack private_metadata, at most 3000 characters). */
  metadata: string;
}

export interface FormSubmission {
  formId: string;
  metadata: string;
  /** Field id → what was typed ('' when left empty). */
  values: Record<string, string>;
  /** Unique to this form instance and equal on resubmission (Slack: the view id). */
  formKey: string;
}

export type FormOutcome = { ok: true } | { ok: false; errors: Record<string, string> };

/** What a form submission handler returns: answer the form now, then do the slower follow-ups. */
export interface FormResult {
  outcome: FormOutcome;
  followUp(): Promise<void>;
}

export const noFollowUp = async (): Promise<void> => {};
