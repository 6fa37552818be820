// Forms a messenger without modals (DingTalk) asks one item per message in a person's one-to-one
// chat. The open form lives in the store, not in a bot process: the next answer may reach another
// bot process, or arrive after a restart, and still continue it. The state is the asking side's
// (bot/dingtalk/guided-forms.ts); the store keeps it as JSON with an expiry and a version, so two
// processes handling two answers at once cannot both advance — or both submit — one form.
// The PostgreSQL implementation is prisma/repositories/open-forms.repository.ts.

export interface StoredForm {
  /** Unique to this form instance (the submission's idempotency key). */
  key: string;
  /** Increases with every saved answer. */
  version: number;
  state: unknown;
  expiresAt: Date;
}

export interface OpenFormsPort {
  /** The person's open form on a platform; null when none, or when it has expired. */
  get(platform: string, userId: string, now: Date): Promise<StoredForm | null>;
  /** Opens a form (version 0), replacing any the person left open. */
  open(platform: string, userId: string, form: { key: string; state: unknown; expiresAt: Date }): Promise<void>;
  /** Saves the next state, if the form is still `key` at `version`; false when someone else moved it on. */
  advance(
    platform: string,
    userId: string,
    at: { key: string; version: number },
    next: { state: unknown; expiresAt: Date },
  ): Promise<boolean>;
  /**
   * Removes the form, if it is still `key` (at `version`, when given): true for exactly one caller,
   * the one that may then submit (or cancel) it.
   */
  close(platform: string, userId: string, at: { key: string; version?: number }): Promise<boolean>;
}
