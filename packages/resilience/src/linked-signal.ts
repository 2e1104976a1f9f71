export interface LinkedSignal {
  /** Aborts when any source aborts (with that source's reason) or when the time limit passes. */
  readonly signal: AbortSignal;
  /** True when it was the time limit, not a source, that aborted `signal`. */
  readonly timedOut: () => boolean;
  /** Stops the timer and detaches from the sources; call once the work is over. */
  readonly dispose: () => void;
}

/** An error with name `TimeoutError`, as `AbortSignal.timeout` produces. */
export function timeoutError(ms: number): Error {
  const error = new Error(`no answer within ${ms} ms`);
  error.name = 'TimeoutError';
  return error;
}

/**
 * One signal for one attempt: the caller's signals plus an optional time limit. Unlike
 * `AbortSignal.any` with `AbortSignal.timeout`, it clears its timer and its listeners on
 * `dispose`, so thousands of short attempts under one long-lived run signal leave nothing behind.
 */
export function linkSignals(sources: readonly (AbortSignal | undefined)[], timeoutMs?: number): LinkedSignal {
  const controller = new AbortController();
  let timedOut = false;
  const attached: AbortSignal[] = [];
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  for (const source of sources) {
    if (!source) continue;
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    source.addEventListener('abort', onAbort, { once: true });
    attached.push(source);
  }
  const timer =
    timeoutMs === undefined || controller.signal.aborted
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(timeoutError(timeoutMs));
        }, timeoutMs);
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      for (const source of attached) source.removeEventListener('abort', onAbort);
    },
  };
}
