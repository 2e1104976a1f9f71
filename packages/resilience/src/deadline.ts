import type { Clock } from './clock';

/** A point in time after which a whole operation (a batch of calls, say) gives up. */
export interface Deadline {
  /** When it passes, in the clock's milliseconds. */
  readonly at: number;
  /** Aborts when the deadline passes (a real timer), cutting attempts in flight. */
  readonly signal: AbortSignal;
  /** The budget it was created with, for messages. */
  readonly budgetMs: number;
  /** Stops the timer. */
  readonly dispose: () => void;
}

/**
 * A deadline `budgetMs` from now. Backoff decisions compare `clock.now()` with `at` (so an injected
 * clock decides them); attempts in flight are aborted by a real timer.
 */
export function createDeadline(budgetMs: number, clock: Clock): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    const error = new Error(`deadline of ${budgetMs} ms passed`);
    error.name = 'TimeoutError';
    controller.abort(error);
  }, budgetMs);
  return { at: clock.now() + budgetMs, signal: controller.signal, budgetMs, dispose: () => clearTimeout(timer) };
}
