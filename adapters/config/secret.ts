// A credential from the environment. Whatever prints it — pino (JSON.stringify → toJSON),
// console.log / util.inspect, a template string — sees '***'; only reveal() gives the value, and
// it is called where the credential is handed to the client library that needs it.

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The credential itself: pass it straight to the client that needs it, never to a logger. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '***';
  }

  toJSON(): string {
    return '***';
  }

  [INSPECT](): string {
    return 'Secret(***)';
  }
}
