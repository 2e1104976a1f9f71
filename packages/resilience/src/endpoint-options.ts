import { z } from 'zod';

/**
 * Option schemas shared by the plugins that call a remote server (the endpoint guides): the
 * server URL, the bearer-token reference and the fault-handling knobs, so each plugin declares
 * the same names, defaults and checks without a copy of the readers.
 */

/** A secret reference: `{ env: NAME }` reads `$NAME`, a string is the token itself, `null` sends none. */
export type TokenReference = string | null | { readonly env: string };

function isTokenReference(value: unknown): value is TokenReference {
  if (value === null || (typeof value === 'string' && value.trim() !== '')) return true;
  if (typeof value !== 'object' || Object.keys(value).length !== 1) return false;
  const name = (value as { env?: unknown }).env;
  return typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/**
 * The `token` option. Checked by a predicate with a fixed message: a malformed token may be the
 * secret itself, so no message ever quotes the value given.
 */
export function tokenReferenceSchema(description: string) {
  return z
    .unknown()
    .refine(isTokenReference, { message: 'a token string, { env: "VARIABLE" } naming an environment variable, or null for no token' })
    .transform((value) => value as TokenReference)
    .optional()
    .meta({ type: ['string', 'object', 'null'] })
    .describe(description);
}

/** The `endpointUrl` option: an absolute http(s) URL without credentials, query or fragment; trailing slashes dropped. */
export function endpointUrlSchema(description: string, examples: string) {
  return z
    .string()
    .superRefine((value, context) => {
      const fail = (message: string) => context.addIssue({ code: 'custom', message });
      const got = `got ${JSON.stringify(value)}, expected`;
      if (!URL.canParse(value)) return fail(`${got} an absolute http(s) URL, ${examples}`);
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`${got} an http: or https: URL, ${examples}`);
      // Not quoted back: credentials in a URL are secrets too.
      if (url.username || url.password) return fail('a URL without user:password@ (pass credentials as `token: { env: NAME }`)');
      if (url.search || url.hash) return fail(`${got} a URL without ?query or #fragment (the client appends the route to the path)`);
    })
    .transform((value) => value.trim().replace(/\/+$/, ''))
    .describe(description);
}

/** A model name sent in requests; a URL there is a mistake (it belongs in `endpointUrl`). */
export function modelNameSchema(description: string) {
  return z
    .string()
    .trim()
    .min(1)
    .refine((value) => !/^https?:\/\//i.test(value), { error: (issue) => `got ${JSON.stringify(issue.input)}, expected a model name, not a URL (put the server URL in endpointUrl)` })
    .describe(description);
}

const integer = (min: number, fallback: number, description: string, max = Number.MAX_SAFE_INTEGER) =>
  z.number().int().min(min).max(max).default(fallback).describe(description);

/** Time limits, retries, backoff and concurrency of the calls to one server, with the defaults every endpoint plugin uses. */
export const callOptionsShape = {
  timeoutMs: integer(1, 60_000, 'time limit of one request, from when it gets a concurrency slot'),
  deadlineMs: integer(1, 600_000, 'time limit of one batch (one doGenerate call), retries included'),
  retries: integer(0, 3, 'retries per sample after the first request, on network errors, time-outs, HTTP 429 and 5xx, unparseable bodies', 100),
  backoffBaseMs: integer(0, 500, 'first retry waits a uniform draw below this, doubling per retry (full jitter)'),
  backoffMaxMs: integer(0, 20_000, 'longest backoff between retries'),
  retryAfterMaxMs: integer(0, 60_000, 'longest Retry-After honoured on HTTP 429 and 503; longer requests are cut to this'),
  concurrency: integer(1, 4, 'requests in flight at once', 1024),
  onUnavailable: z
    .enum(['fallback', 'fail'])
    .default('fallback')
    .describe('"fallback": a sample that still fails after retries is returned as failed and the trainer uses the learner for it; "fail": the batch throws GuideUnavailableError'),
};
