/**
 * Where components report progress and diagnostics. The CLI writes these to stderr so that
 * stdout carries only results.
 */
export interface LoggerV1 {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
