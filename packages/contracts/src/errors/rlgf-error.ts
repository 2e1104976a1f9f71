const marker = Symbol.for('rlgf:error');

/**
 * Base of every error the project throws on purpose. `message` says what was wrong; `hint` says
 * how to fix it. The CLI prints both on one line and exits non-zero, with the stack only under
 * `--verbose`.
 */
export class RlgfError extends Error {
  private readonly [marker] = true;
  readonly hint?: string;

  constructor(options: { name: string; message: string; hint?: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.name;
    this.hint = options.hint;
  }

  /** True for any RLGF error, even one thrown by another installed copy of this package. */
  static isInstance(error: unknown): error is RlgfError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/** Builds the `isInstance` check of a subclass from its stable name. */
export function isRlgfErrorNamed<T extends RlgfError>(name: string) {
  return (error: unknown): error is T => RlgfError.isInstance(error) && error.name === name;
}
