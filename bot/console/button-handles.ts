import type { Button } from '../../core/messages/message.ts';

// Buttons at the console are pressed by a short handle: `[提交整改] (/press 3)` → `/press 3`.
// The same button (action and value) keeps its handle for the whole session, so a handle in an
// older message still works; `/press <action> <value>` works too.

export class ButtonHandles {
  readonly #byKey = new Map<string, number>();
  readonly #byHandle = new Map<number, { actionId: string; value: string }>();

  /** The handle of a button, assigned on first sight. */
  handle(b: Pick<Button, 'actionId' | 'value'>): number {
    const key = `${b.actionId}\u0000${b.value}`;
    let n = this.#byKey.get(key);
    if (n === undefined) {
      n = this.#byKey.size + 1;
      this.#byKey.set(key, n);
      this.#byHandle.set(n, { actionId: b.actionId, value: b.value });
    }
    return n;
  }

  pressCommand = (b: Pick<Button, 'actionId' | 'value'>): string => `/press ${this.handle(b)}`;

  /** The button behind a handle typed as "3" or "#3"; null when there is none. */
  lookup(word: string): { actionId: string; value: string } | null {
    const m = /^#?(\d+)$/.exec(word.trim());
    return m ? (this.#byHandle.get(Number(m[1])) ?? null) : null;
  }
}
