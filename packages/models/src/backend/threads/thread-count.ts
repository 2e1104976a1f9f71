import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '@rlgf/contracts';

let requested: number | undefined;
let minimumWork = 1 << 20;

/**
 * Sets how many threads the wasm kernels split their work over (`--threads`, a recipe's
 * `threads`); undefined returns to the default, `os.availableParallelism()`. Products below
 * `minimumWork` multiply-adds (default 2^20) run on one thread. Results do not
 * depend on it: kernels split outputs, never sums, so any count gives the same bits.
 */
export function setThreads(count?: number, options: { readonly minimumWork?: number } = {}): void {
  if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > 256)) {
    throw new InvalidArgumentError({ argument: 'threads', value: count, expected: 'an integer from 1 to 256 (default: the number of cores)' });
  }
  requested = count;
  minimumWork = options.minimumWork ?? 1 << 20;
}

/**
 * Multiply-adds below which a product stays on one thread (waking the others costs more); tests
 * set 0 through `setThreads(n, { minimumWork: 0 })` to split even tiny products.
 */
export function threadingMinimumWork(): number {
  return minimumWork;
}

/** The thread count in force: the one set, else the cores this process may use. */
export function threadCount(): number {
  return requested ?? availableParallelism();
}
