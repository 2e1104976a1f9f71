/**
 * Something a component noticed but did not treat as an error, for example an option it ignores.
 * Returned to the caller instead of being swallowed, so the CLI can show it once.
 */
export interface WarningV1 {
  /** Stable machine-readable kind, e.g. `unsupported-option`. */
  readonly type: string;
  /** One sentence a user can act on. */
  readonly message: string;
  /** The option or field the warning is about, when there is one. */
  readonly field?: string;
}
