import { parseRetryAfter } from './retry-after';

/**
 * What went wrong with one attempt.
 * - `timeout`: no complete answer within the attempt's time limit;
 * - `deadline`: the caller's overall deadline passed (never retried);
 * - `network`: connection refused or reset, DNS failure, body cut short;
 * - `rate-limited`: HTTP 429;
 * - `server-error`: HTTP 5xx;
 * - `client-error`: any other HTTP 4xx (the request itself is wrong: never retried);
 * - `malformed-response`: the answer could not be parsed, or had the wrong shape or content type;
 * - `unexpected`: anything else (a bug or a misconfigured client): never retried.
 */
export type FailureKind =
  | 'timeout'
  | 'deadline'
  | 'network'
  | 'rate-limited'
  | 'server-error'
  | 'client-error'
  | 'malformed-response'
  | 'unexpected';

export const failureKinds: readonly FailureKind[] = [
  'timeout',
  'deadline',
  'network',
  'rate-limited',
  'server-error',
  'client-error',
  'malformed-response',
  'unexpected',
];

export interface Failure {
  readonly kind: FailureKind;
  /** Whether another attempt may succeed. */
  readonly retryable: boolean;
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** What `Retry-After` asked for, uncapped, when the server sent one that could be read. */
  readonly retryAfterMs?: number;
  /** One line for logs. It may quote the server: redact secrets before showing it. */
  readonly message: string;
}

/** The status line and headers of the last HTTP response an attempt received (see `observeFetch`). */
export interface ObservedResponse {
  readonly status: number;
  readonly headers: Headers;
}

// Codes Node (libuv) and undici put on errors, or on their `cause`, when a connection fails.
const networkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const maxQuoted = 200;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maxQuoted ? `${flat.slice(0, maxQuoted - 3)}...` : flat;
}

function messageOf(error: unknown): string {
  const message = field(error, 'message');
  return oneLine(typeof message === 'string' && message !== '' ? message : String(error));
}

function isHttpStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
}

/**
 * The HTTP status an error carries: `httpResponse.status` (errors of `@huggingface/inference`),
 * `status` or `statusCode` (most HTTP clients), or `response.status`.
 */
export function statusOfError(error: unknown): number | undefined {
  const candidates = [
    field(field(error, 'httpResponse'), 'status'),
    field(error, 'status'),
    field(error, 'statusCode'),
    field(field(error, 'response'), 'status'),
  ];
  return candidates.find(isHttpStatus);
}

/** The first network error code on the error or its chain of causes (fetch hides them in `cause`). */
function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth += 1) {
    const code = field(current, 'code');
    if (typeof code === 'string' && networkCodes.has(code)) return code;
    const nested = field(current, 'errors');
    if (Array.isArray(nested)) {
      const found = nested.map(networkCodeOf).find((value) => value !== undefined);
      if (found) return found;
    }
    current = field(current, 'cause');
  }
  return undefined;
}

function describeNetworkError(error: unknown, code: string | undefined): string {
  const cause = field(error, 'cause');
  const detail = cause !== undefined && cause !== null ? messageOf(cause) : messageOf(error);
  return `network error: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}`;
}

function httpFailure(status: number, error: unknown, observed: ObservedResponse | undefined, nowMs: number): Failure {
  const detail = messageOf(error);
  // RFC 9110 gives Retry-After meaning on 429 and on 503 (a server starting up or scaling from zero).
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(observed?.headers.get('retry-after') ?? headerOfError(error, 'retry-after'), nowMs) : undefined;
  const asked = retryAfterMs === undefined ? '' : `; Retry-After ${retryAfterMs} ms`;
  if (status === 429) return { kind: 'rate-limited', retryable: true, status, retryAfterMs, message: `HTTP 429 (rate limited${asked}): ${detail}` };
  if (status >= 500) {
    const failure: Failure = { kind: 'server-error', retryable: true, status, message: `HTTP ${status} (server error${asked}): ${detail}` };
    return retryAfterMs === undefined ? failure : { ...failure, retryAfterMs };
  }
  if (status >= 400) return { kind: 'client-error', retryable: false, status, message: `HTTP ${status} (request refused): ${detail}` };
  return { kind: 'unexpected', retryable: false, status, message: `unexpected HTTP ${status}: ${detail}` };
}

/** A header carried on the error itself (`error.headers` or `error.response.headers`), if any. */
function headerOfError(error: unknown, name: string): string | undefined {
  for (const headers of [field(error, 'headers'), field(field(error, 'response'), 'headers')]) {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const value = field(headers, name);
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * Sorts an error thrown by an attempt into a {@link Failure}. Understands the errors of `fetch`
 * (undici: `TypeError('fetch failed' | 'terminated')` with a coded `cause`), of JSON parsing
 * (`SyntaxError`), of `@huggingface/inference` (`ProviderApiError` with `httpResponse.status`,
 * `ProviderOutputError` for a body of the wrong shape or content type, `InputError` and
 * `RoutingError` for misuse), `TimeoutError`s, and of other clients that put `status` on their
 * errors. Any other error after a 2xx answer counts as a malformed response. `observed` is the response the attempt received, if any: it supplies the status when the
 * error lost it (an error page whose JSON did not parse) and the `Retry-After` header, which
 * `@huggingface/inference` does not keep.
 */
export function classifyFailure(error: unknown, observed?: ObservedResponse, nowMs: number = Date.now()): Failure {
  const name = field(error, 'name');
  if (name === 'TimeoutError') return { kind: 'timeout', retryable: true, message: `timed out: ${messageOf(error)}` };
  const status = statusOfError(error) ?? (observed && (observed.status < 200 || observed.status > 299) ? observed.status : undefined);
  if (status !== undefined) return httpFailure(status, error, observed, nowMs);
  const code = networkCodeOf(error);
  const message = field(error, 'message');
  if (code !== undefined || (name === 'TypeError' && (message === 'fetch failed' || message === 'terminated'))) {
    return { kind: 'network', retryable: true, message: describeNetworkError(error, code) };
  }
  // A body that does not parse was most likely cut short on the way: worth another try. A body
  // that parses but has the wrong shape or content type comes from a server speaking another
  // protocol, which answers the same way every time.
  if (name === 'SyntaxError') {
    return { kind: 'malformed-response', retryable: true, message: `malformed response (not valid JSON): ${messageOf(error)}` };
  }
  if (name === 'ProviderOutputError') {
    const type = observed?.headers.get('content-type');
    const detail = type && !/json/i.test(type) ? `content type ${oneLine(type)}, expected application/json` : messageOf(error);
    return { kind: 'malformed-response', retryable: false, message: `malformed response: ${detail}` };
  }
  // The server answered 2xx and the client still failed: it choked on the answer (a JSON `null`
  // body makes `@huggingface/inference` throw a TypeError, for one).
  if (observed && observed.status >= 200 && observed.status <= 299) {
    return { kind: 'malformed-response', retryable: false, message: `malformed response: ${messageOf(error)}` };
  }
  return { kind: 'unexpected', retryable: false, message: messageOf(error) };
}
