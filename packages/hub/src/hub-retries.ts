import { HubError, type LoggerV1 } from '@rlgf/contracts';
import { callWithRetries, classifyFailure, systemClock, type AttemptContext, type Clock, type Failure, type ObservedResponse, type RetryPolicy } from '@rlgf/resilience';

/** How transient Hub failures (5xx, 429, dropped connections, bodies cut short) are retried. */
export interface HubRetrySettings {
  /** Default: 5 retries, backoff from 1 s doubling to 8 s (huggingface_hub's `http_backoff`), Retry-After up to 60 s. */
  readonly policy?: RetryPolicy;
  /** Default: the system clock. Tests pass one that records waits instead of sleeping. */
  readonly clock?: Clock;
  /** Jitter source in [0, 1). Default Math.random: jitter only spreads clients, it changes no result. */
  readonly random?: () => number;
}

export const defaultHubRetryPolicy: RetryPolicy = { retries: 5, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };

// The failure each HubError stands for, decided where the cause is still known (a raw fetch
// error, the refused response); the HubError itself only keeps text for people.
const failures = new WeakMap<object, Failure>();

/** Marks `error` with how a retry loop should treat it. */
export function withFailure<E extends Error>(error: E, failure: Failure): E {
  failures.set(error, failure);
  return error;
}

/** Marks `error` as what `cause` (a fetch error, or the server's message with its `response`) means for retrying. */
export function classifiedAs<E extends Error>(error: E, cause: unknown, response?: ObservedResponse): E {
  return withFailure(error, classifyFailure(cause, response));
}

function classifyHubFailure(error: unknown, observed: ObservedResponse | undefined, nowMs: number): Failure {
  return (typeof error === 'object' && error !== null && failures.get(error)) || classifyFailure(error, observed, nowMs);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Runs `attempt` under packages/resilience's retry loop: retryable failures are logged and tried
 * again after a backoff (or the Hub's Retry-After); the last HubError is thrown when retries run
 * out or the failure is not transient (404, 401, a full disk). The caller's abort rethrows its reason.
 */
export async function withHubRetries<T>(
  settings: { readonly retry: HubRetrySettings; readonly logger: LoggerV1; readonly fetch: typeof fetch },
  what: string,
  signal: AbortSignal | undefined,
  attempt: (context: AttemptContext) => Promise<T>,
): Promise<T> {
  const policy = settings.retry.policy ?? defaultHubRetryPolicy;
  let lastError: unknown;
  const outcome = await callWithRetries(
    async (context) => {
      try {
        return await attempt(context);
      } catch (error) {
        lastError = error;
        throw error;
      }
    },
    {
      policy,
      clock: settings.retry.clock ?? systemClock,
      random: settings.retry.random ?? Math.random,
      signal,
      fetch: settings.fetch,
      classify: classifyHubFailure,
      onRetry: ({ attempt: index, failure, delayMs }) =>
        settings.logger.warn(`${what}: ${failure.message}; retrying in ${seconds(delayMs)} (attempt ${index + 2} of ${policy.retries + 1})`),
    },
  );
  if (outcome.ok) return outcome.value;
  if (!HubError.isInstance(lastError)) throw lastError;
  if (outcome.attempts === 1) throw lastError;
  throw new HubError({ message: `${lastError.message} (gave up after ${outcome.attempts} attempts)`, hint: lastError.hint, cause: lastError.cause });
}
