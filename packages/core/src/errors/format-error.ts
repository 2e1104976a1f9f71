import { RlgfError } from '@rlgf/contracts';

/**
 * The one line the CLI prints for a failure: what was wrong and how to fix it. Unexpected errors
 * (bugs, not bad input) say so; `verbose` adds the stack and the cause chain.
 */
export function formatError(error: unknown, options: { verbose?: boolean } = {}): string {
  const head = RlgfError.isInstance(error)
    ? `${error.message}${error.hint ? ` (${error.hint})` : ''}`
    : wasmHeapExhausted(error)
      ? `the WebAssembly heap is exhausted (the wasm backend keeps every tensor in one memory of at most 4 GiB): train a LoRA adapter (policy.lora, critic.lora) instead of full copies, lower optimization.minibatchSize or rollout.generationBatchSize, or use a native backend${
          options.verbose ? '' : ' (run with --verbose for the stack trace)'
        }`
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

/**
 * What running out of the wasm backend's memory looks like: a wasm trap when a tensor cannot be
 * placed, or XNNPACK's out-of-memory status (6) before the module aborts. Neither says "memory".
 */
function wasmHeapExhausted(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /memory access out of bounds/.test(message) || /XNN status .* Got status 6\b/.test(message) || (/^Aborted\(\)/.test(message) && /xnn|wasm/i.test(String((error as Error)?.stack ?? '')));
}
