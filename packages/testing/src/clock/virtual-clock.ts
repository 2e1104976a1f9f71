/**
 * A clock whose time moves only when something sleeps on it: `sleep(ms)` records `ms`, advances
 * `now()` by it and resolves at once. Lets tests check backoff schedules exactly, without waiting.
 * (Structurally a `Clock` of `@rlgf/resilience`.)
 */
export interface VirtualClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Every sleep requested so far, in order. */
  readonly sleeps: readonly number[];
  /** Moves time forward without a sleep (time spent elsewhere). */
  advance(ms: number): void;
}

/** Starts at `startMs` (default 2024-01-01T00:00:00Z, so HTTP-dates are easy to write). */
export function createVirtualClock(startMs: number = Date.UTC(2024, 0, 1)): VirtualClock {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    advance: (ms) => {
      now += ms;
    },
  };
}
