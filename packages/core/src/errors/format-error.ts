import { RlgfError } from '@rlgf/contracts';

/**
 * The one line the CLI prints for a failure: what was wrong and how to fix it. Unexpected errors
 * (bugs, not bad input) say so; `verbose` adds the stack and the cause chain.
 */
export function formatError(error: unknown, options: { verbose?: boolean } = {}): string {
  const head = RlgfError.isInstance(error)
    ? `${error.message}${error.hint ? ` (${error.hint})` : ''}`
    : `unexpected error: ${error instanceof Error ? error.message : String(error)}${
        options.verbose ? '' : ' (run with --verbose for the stack trace)'
      }`;
  if (!options.verbose) return head.replace(/\s*\n\s*/g, ' ');
  const lines = [head];
  let current: unknown = error;
  const seen = new Set<unknown>();
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    if (current.stack) lines.push(current.stack);
    current = current.cause;
    if (current !== undefined) lines.push('caused by:');
  }
  return lines.join('\n');
}
