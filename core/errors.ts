import { tAny, type Params } from './i18n/t.ts';
import type { Locale } from './i18n/locale.ts';

/**
 * A typed, expected failure: a stable code ("FINDING.MONTH_CLOSED"), an internal message for logs,
 * and parameters from which the user-facing message is rendered in the user's language
 * (catalog key "error.<code>"). Survives a JSON round trip (job data, HTTP bodies).
 */
export class AppError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  readonly params: Params;

  constructor(code: string, message: string, opts: { field?: string; params?: Params; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.field = opts.field;
    this.params = { ...(opts.field ? { field: opts.field } : {}), ...(opts.params ?? {}) };
  }

  userMessage(locale: Locale): string {
    return tAny(locale, `error.${this.code}`, this.params);
  }

  toJSON(): AppErrorJSON {
    return { name: 'AppError', code: this.code, message: this.message, field: this.field, params: this.params };
  }

  static fromJSON(json: AppErrorJSON): AppError {
    return new AppError(json.code, json.message, { ...(json.field ? { field: json.field } : {}), params: json.params });
  }

  static is(e: unknown, code?: string): e is AppError {
    return e instanceof AppError && (code === undefined || e.code === code);
  }
}

/** One row of a batch that cannot be filed: its position (from 0), the field and why. */
export interface RowError {
  index: number;
  field: string;
  error: AppError;
}

/**
 * A batch refused as a whole because some of its rows are invalid (BATCH.INVALID_ROWS): every
 * invalid row is listed, so a person can fix them all at once; nothing was written.
 */
export class InvalidRowsError extends AppError {
  readonly rows: readonly RowError[];

  constructor(rows: readonly RowError[]) {
    const invalid = new Set(rows.map((r) => r.index)).size;
    super(
      'BATCH.INVALID_ROWS',
      `${invalid} invalid rows: ${rows
        .slice(0, 5)
        .map((r) => `${r.index}.${r.field}: ${r.error.message}`)
        .join('; ')}`,
      {
        params: { count: invalid },
      },
    );
    this.rows = rows;
  }
}

export interface AppErrorJSON {
  name: 'AppError';
  code: string;
  message: string;
  field: string | undefined;
  params: Params;
}

export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = AppError>(error: E): Result<never, E> => ({ ok: false, error });
