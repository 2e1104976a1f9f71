import { failureKinds, type FailureKind } from './classify-failure';

/** Counters a caller can read to report how remote calls went. Mutated by `callWithRetries`. */
export interface CallStats {
  /** Calls started. */
  calls: number;
  /** Requests sent, first attempts and retries. */
  attempts: number;
  /** Attempts after a first one. */
  retries: number;
  /** Calls that ended with a value. */
  succeeded: number;
  /** Calls that ended without one (after retries, or at once when not retryable). */
  failed: number;
  /** Failed attempts, by what went wrong. */
  failuresByKind: Record<FailureKind, number>;
  /** Total time spent backing off between attempts. */
  backoffMs: number;
}

export function createCallStats(): CallStats {
  return {
    calls: 0,
    attempts: 0,
    retries: 0,
    succeeded: 0,
    failed: 0,
    failuresByKind: Object.fromEntries(failureKinds.map((kind) => [kind, 0])) as Record<FailureKind, number>,
    backoffMs: 0,
  };
}
