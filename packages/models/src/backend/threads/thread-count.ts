import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '@rlgf/contracts';

let requested: number | undefined;
let minimumWork = 1 << 20;
let minimumRows = 16;

/**
 * Sets how many threads the wasm kernels split their work over (`--threads`, a recipe's
 * `threads`); undefined returns to the default, `os.availableParallelism()`. Products below
 * `minimumWork` multiply-adds (default 2^20) or `minimumRows` output rows (default 16) run on one
 * thread. Results do not
 * depend on it: kernels split outputs, never sums, so any count gives the same bits.
 */
export function setThreads(count?: number, options: { readonly minimumWork?: number; readonly minimumRows?: number } = {}): void {
  if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > 256)) {
    throw new InvalidArgumentError({ argument: 'threads', value: count, expected: 'an integer from 1 to 256 (default: the number of cores)' });
  }
  requested = count;
  minimumWork = options.minimumWork ?? 1 << 20;
  minimumRows = options.minimumRows ?? 16;
}

/**
 * Multiply-adds below which a product stays on one thread (waking the others costs more); tests
 * set 0 through `setThreads(n, { minimumWork: 0, minimumRows: 0 })` to split even tiny products.
 */
export function threadingMinimumWork(): number {
  return minimumWork;
}

/**
 * Output rows (batch × m) below which a product stays on one thread: threads copy the operands
 * to shared memory, and a decoding step's few rows would copy whole weight matrices to save a
 * fraction of one pass over them.
 */
export function threadingMinimumRows(): number {
  return minimumRows;
}

/** The thread count in force: the one set, else the cores this process may use. */
export function threadCount(): number {
  return requested ?? availableParallelism();
}

/**
 * Runs `work` with the kernels on `count` threads, then returns to the count in force before (the
 * update's share of the cores while a critic thread takes the rest).
 */
export async function withThreadCount<T>(count: number, work: () => Promise<T>): Promise<T> {
  const before = requested;
  setThreads(count, { minimumWork, minimumRows });
  try {
    return await work();
  } finally {
    requested = before;
  }
}
