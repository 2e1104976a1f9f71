import { InvalidArgumentError } from '@rlgf/contracts';

export interface ConcurrencyLimiter {
  /**
   * Waits for a free slot (first come, first served) and returns the function that frees it.
   * Rejects with the signal's reason, leaving the queue, if the signal aborts while waiting.
   */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Runs `task` in a slot. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly limit: number;
  /** Slots in use now. */
  readonly inFlight: number;
  /** Callers waiting for a slot now. */
  readonly waiting: number;
  /** The most slots ever in use at once. */
  readonly maxInFlight: number;
}

interface Waiter {
  readonly grant: () => void;
}

/** At most `limit` tasks at once; the others wait in arrival order. */
export function createConcurrencyLimiter(limit: number): ConcurrencyLimiter {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidArgumentError({ argument: 'concurrency limit', value: limit, expected: 'an integer >= 1' });
  }
  let inFlight = 0;
  let maxInFlight = 0;
  const queue: Waiter[] = [];

  const take = (): (() => void) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight -= 1;
      queue.shift()?.grant();
    };
  };

  const acquire = (signal?: AbortSignal): Promise<() => void> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (inFlight < limit && queue.length === 0) return Promise.resolve(take());
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        queue.splice(queue.indexOf(waiter), 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(take());
        },
      };
      queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  return {
    acquire,
    async run(task, signal) {
      const release = await acquire(signal);
      try {
        return await task();
      } finally {
        release();
      }
    },
    limit,
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return queue.length;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}
