import { InvalidArgumentError } from '@rlgf/contracts';
import { retryDelay, type BackoffPolicy } from './backoff';
import type { CallStats } from './call-stats';
import { classifyFailure, type Failure, type ObservedResponse } from './classify-failure';
import type { Clock } from './clock';
import type { ConcurrencyLimiter } from './concurrency-limiter';
import type { Deadline } from './deadline';
import { linkSignals } from './linked-signal';
import { observeFetch } from './observe-fetch';

export interface RetryPolicy extends BackoffPolicy {
  /** Attempts after the first one (0: try once). */
  readonly retries: number;
  /** Time limit of each attempt, from the moment it holds a concurrency slot. */
  readonly timeoutMs?: number;
}

/** What one attempt gets to work with. */
export interface AttemptContext {
  /** Aborts on the caller's signal, the deadline or the attempt's time limit. */
  readonly signal: AbortSignal;
  /** 0 for the first attempt. */
  readonly attempt: number;
  /**
   * `fetch` bound to `signal` that remembers the response head, so the failure can be classified
   * from the status and `Retry-After` even when the client's error dropped them. Hand it to the
   * HTTP client.
   */
  readonly fetch: typeof fetch;
}

/** Told before each backoff, for logging. */
export interface RetryEvent {
  /** The attempt that failed (0-based). */
  readonly attempt: number;
  readonly failure: Failure;
  readonly delayMs: number;
}

export interface CallOptions {
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  /** Uniform in [0, 1): the jitter source. Pass a seeded generator. */
  readonly random: () => number;
  /** The caller's cancellation: aborting it rejects the call with its reason. */
  readonly signal?: AbortSignal;
  /** Shared by calls that must finish together; the call gives up rather than outlive it. */
  readonly deadline?: Deadline;
  /** Each attempt waits for a slot of this limiter before it starts its time limit. */
  readonly limiter?: ConcurrencyLimiter;
  /** Counters to update (shared across calls, typically). */
  readonly stats?: CallStats;
  /** The `fetch` attempts build on. Default: the global one. */
  readonly fetch?: typeof fetch;
  /** Overrides {@link classifyFailure}, for clients whose errors it does not know. */
  readonly classify?: (error: unknown, observed: ObservedResponse | undefined, nowMs: number) => Failure;
  readonly onRetry?: (event: RetryEvent) => void;
}

/** How a call ended. Failures are values, not exceptions: only the caller's own abort throws. */
export type CallOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | {
      readonly ok: false;
      /** The last attempt's failure, or a `deadline` failure. */
      readonly failure: Failure;
      readonly attempts: number;
    };

function checkPolicy(policy: RetryPolicy): void {
  const checks: [keyof RetryPolicy, boolean, string][] = [
    ['retries', Number.isInteger(policy.retries) && policy.retries >= 0, 'an integer >= 0'],
    ['baseDelayMs', Number.isFinite(policy.baseDelayMs) && policy.baseDelayMs >= 0, 'a number >= 0'],
    ['maxDelayMs', Number.isFinite(policy.maxDelayMs) && policy.maxDelayMs >= 0, 'a number >= 0'],
    ['maxRetryAfterMs', Number.isFinite(policy.maxRetryAfterMs) && policy.maxRetryAfterMs >= 0, 'a number >= 0'],
    ['timeoutMs', policy.timeoutMs === undefined || (Number.isFinite(policy.timeoutMs) && policy.timeoutMs > 0), 'a number > 0'],
  ];
  for (const [name, ok, expected] of checks) {
    if (!ok) throw new InvalidArgumentError({ argument: `retry policy ${name}`, value: policy[name], expected });
  }
}

function deadlineFailure(deadline: Deadline, last: Failure | undefined): Failure {
  const after = last ? `; last failure: ${last.message}` : '';
  return { kind: 'deadline', retryable: false, message: `deadline of ${deadline.budgetMs} ms passed${after}` };
}

/**
 * Calls `attempt` until it returns, retrying failures that {@link classifyFailure} (or
 * `options.classify`) calls retryable: network errors, time-outs, HTTP 429 and 5xx, unparseable
 * bodies. Between attempts it waits what `Retry-After` asked for (capped), else a full-jitter
 * exponential backoff. It stops early when the next wait would pass the deadline.
 */
export async function callWithRetries<T>(attempt: (context: AttemptContext) => Promise<T>, options: CallOptions): Promise<CallOutcome<T>> {
  checkPolicy(options.policy);
  if (options.stats) options.stats.calls += 1;
  // One signal for the whole call (caller + deadline) covers queueing and backoff; each attempt
  // adds its own time limit on top.
  const call = linkSignals([options.signal, options.deadline?.signal]);
  try {
    const outcome = await attemptUntilDone(attempt, options, call.signal);
    if (options.stats) options.stats[outcome.ok ? 'succeeded' : 'failed'] += 1;
    return outcome;
  } finally {
    call.dispose();
  }
}

async function attemptUntilDone<T>(
  attempt: (context: AttemptContext) => Promise<T>,
  options: CallOptions,
  callSignal: AbortSignal,
): Promise<CallOutcome<T>> {
  const { policy, clock, deadline, stats } = options;
  let last: Failure | undefined;
  // The call's signal stopped a wait or an attempt: the caller's abort is rethrown, a passed
  // deadline becomes the outcome.
  const stopped = (error: unknown, attempts: number): CallOutcome<T> => {
    if (options.signal?.aborted) throw options.signal.reason;
    if (deadline?.signal.aborted) return { ok: false, failure: deadlineFailure(deadline, last), attempts };
    throw error;
  };
  for (let index = 0; ; index += 1) {
    let release: () => void = () => undefined;
    try {
      if (options.limiter) release = await options.limiter.acquire(callSignal);
    } catch (error) {
      return stopped(error, index);
    }
    const link = linkSignals([callSignal], policy.timeoutMs);
    const observer = observeFetch(options.fetch ?? globalThis.fetch, link.signal);
    if (stats) {
      stats.attempts += 1;
      if (index > 0) stats.retries += 1;
    }
    try {
      return { ok: true, value: await attempt({ signal: link.signal, attempt: index, fetch: observer.fetch }), attempts: index + 1 };
    } catch (error) {
      if (callSignal.aborted) {
        if (stats && deadline?.signal.aborted) stats.failuresByKind.deadline += 1;
        return stopped(error, index + 1);
      }
      last = link.timedOut()
        ? { kind: 'timeout', retryable: true, message: `no answer within ${policy.timeoutMs} ms` }
        : (options.classify ?? classifyFailure)(error, observer.last(), clock.now());
      if (stats) stats.failuresByKind[last.kind] += 1;
    } finally {
      link.dispose();
      release();
    }
    if (!last.retryable || index >= policy.retries) return { ok: false, failure: last, attempts: index + 1 };
    const delayMs = retryDelay(index, last.retryAfterMs, policy, options.random);
    if (deadline && clock.now() + delayMs >= deadline.at) {
      const message = `${last.message}; gave up: waiting ${delayMs} ms to retry would pass the ${deadline.budgetMs} ms deadline`;
      return { ok: false, failure: { ...last, message }, attempts: index + 1 };
    }
    options.onRetry?.({ attempt: index, failure: last, delayMs });
    if (stats) stats.backoffMs += delayMs;
    try {
      await clock.sleep(delayMs, callSignal);
    } catch (error) {
      return stopped(error, index + 1);
    }
  }
}
