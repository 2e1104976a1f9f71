/** How long to wait between attempts. */
export interface BackoffPolicy {
  /** Upper bound of the first retry's delay; it doubles per retry. */
  readonly baseDelayMs: number;
  /** Upper bound of any backoff delay. */
  readonly maxDelayMs: number;
  /** Longest `Retry-After` honoured; longer requests are cut to this. */
  readonly maxRetryAfterMs: number;
}

/**
 * "Full jitter" exponential backoff (Brooker, AWS Architecture Blog, 2015): a uniform draw in
 * [0, min(maxDelay, base·2^retryIndex)), which spreads retries of many clients that failed
 * together. `retryIndex` is 0 for the first retry; `random` returns values in [0, 1).
 */
export function fullJitterDelay(retryIndex: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/**
 * The delay before the next attempt: what the server asked for in `Retry-After` (capped), else
 * full-jitter backoff. A server's explicit wait is honoured as is, without jitter.
 */
export function retryDelay(
  retryIndex: number,
  retryAfterMs: number | undefined,
  policy: BackoffPolicy,
  random: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return fullJitterDelay(retryIndex, policy, random);
}
