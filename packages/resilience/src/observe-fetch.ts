import type { ObservedResponse } from './classify-failure';

export interface FetchObserver {
  /** Pass this to the HTTP client; it behaves as `base` and remembers each response's head. */
  readonly fetch: typeof fetch;
  /** The last response received through `fetch`, if any. */
  readonly last: () => ObservedResponse | undefined;
}

/**
 * Wraps `fetch` so the status and headers of responses stay available after the client that made
 * the request has turned them into an error (for example `Retry-After`, which
 * `@huggingface/inference` drops). When `signal` is given, every request is also bound to it.
 */
export function observeFetch(base: typeof fetch, signal?: AbortSignal): FetchObserver {
  let last: ObservedResponse | undefined;
  const observing = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const bound = signal && init?.signal && init.signal !== signal ? AbortSignal.any([signal, init.signal]) : (init?.signal ?? signal);
    const response = await base(input, { ...init, signal: bound });
    last = { status: response.status, headers: response.headers };
    return response;
  };
  return { fetch: observing as typeof fetch, last: () => last };
}
