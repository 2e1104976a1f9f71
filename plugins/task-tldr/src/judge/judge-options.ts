import { InvalidArgumentError } from '@rlgf/contracts';
import { z } from 'zod';

export type JudgeApi = 'chat' | 'completions';

export const defaultTokenVariable = 'OPENAI_API_KEY';

const httpUrl = (value: string) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
const int = (min: number, fallback: number, what: string) => z.number().int().min(min).max(Number.MAX_SAFE_INTEGER).default(fallback).describe(what);
const tokenExpected = 'a token string, { env: "VARIABLE" }, or null for no token';

function isTokenOption(value: unknown): value is TokenOption {
  if (value === null || (typeof value === 'string' && value.trim() !== '')) return true;
  if (typeof value !== 'object' || Object.keys(value).length !== 1) return false;
  const name = (value as { env?: unknown }).env;
  return typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

type TokenOption = string | null | { readonly env: string };

/** The options of the `tldr-win-rate` metric; the core validates them and `rlgf plugins --options` shows them. */
export const judgeSchema = z.strictObject({
  endpointUrl: z
    .string()
    .refine(httpUrl, { error: (issue) => `got ${JSON.stringify(issue.input)}, expected an http(s) URL of an OpenAI-compatible server` })
    .describe('base URL of an OpenAI-compatible server (https://api.openai.com, a vLLM or TGI server); /v1/chat/completions or /v1/completions is appended'),
  api: z.enum(['chat', 'completions']).default('chat').describe('"chat" (/v1/chat/completions) or "completions" (/v1/completions)'),
  model: z.string().trim().min(1).describe("model name sent to the server, e.g. gpt-4-0314 (the DPO paper's judge) or a vLLM --served-model-name"),
  // Checked by a predicate with a fixed message: a malformed token may be the secret itself, so it is never quoted.
  token: z
    .unknown()
    .refine(isTokenOption, { message: tokenExpected })
    .optional()
    .meta({ type: ['string', 'object', 'null'] })
    .describe(`bearer token: a string, { env: NAME }, or null for none (default $${defaultTokenVariable} when set)`),
  temperature: z.number().min(0).default(0).describe('sampling temperature of the judge'),
  maxTokens: int(1, 128, 'longest judge answer in tokens'),
  post: z.enum(['full', 'prompt']).default('full').describe('"full": the whole post, as the papers judged; "prompt": the post as cut for the policy'),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe('seed of the per-item coin that puts the policy summary in position A or B (default: the run seed)'),
  concurrency: int(1, 4, 'requests in flight at most'),
  retries: int(0, 3, 'retries of a failed request: network errors, time-outs, 429, 5xx, unparseable bodies'),
  timeoutMs: int(1, 60_000, 'time limit of one request'),
  deadlineMs: int(1, 600_000, 'time limit of one evaluation, all requests together'),
  backoffBaseMs: int(0, 500, 'first backoff (full jitter, doubling)'),
  backoffMaxMs: int(0, 20_000, 'longest backoff'),
  retryAfterMaxMs: int(0, 60_000, 'longest wait a Retry-After header may ask for'),
});

type JudgeSchemaOutput = z.output<typeof judgeSchema>;

export interface JudgeOptions extends Omit<JudgeSchemaOutput, 'endpointUrl' | 'token'> {
  /** The full URL requests go to (`…/v1/chat/completions` or `…/v1/completions`). */
  readonly url: string;
  readonly token?: string;
  /** Where the token came from, for logs (never the token itself). */
  readonly tokenSource: 'none' | 'literal' | { readonly env: string };
}

function resolveToken(value: TokenOption | undefined, env: Readonly<Record<string, string | undefined>>): Pick<JudgeOptions, 'token' | 'tokenSource'> {
  if (value === undefined) {
    const token = env[defaultTokenVariable];
    return token ? { token, tokenSource: { env: defaultTokenVariable } } : { tokenSource: 'none' };
  }
  if (value === null) return { tokenSource: 'none' };
  if (typeof value === 'string') return { token: value, tokenSource: 'literal' };
  const token = env[value.env];
  if (!token) {
    throw new InvalidArgumentError({ argument: 'metric.options.token', expected: `environment variable ${value.env} to hold the token, but it is not set`, hint: `export ${value.env}=<token>, or token: null` });
  }
  return { token, tokenSource: { env: value.env } };
}

/** The route of `api` under `endpointUrl`, which may or may not end with `/v1`. */
export function judgeUrl(endpointUrl: string, api: JudgeApi): string {
  const base = endpointUrl.replace(/\/+$/, '');
  const route = api === 'chat' ? 'chat/completions' : 'completions';
  return base.endsWith('/v1') ? `${base}/${route}` : `${base}/v1/${route}`;
}

/** The judge's settings from its validated options: the request URL, and the token read from the environment. */
export function resolveJudgeOptions(options: JudgeSchemaOutput, env: Readonly<Record<string, string | undefined>>): JudgeOptions {
  const { endpointUrl, token, ...rest } = options;
  return { ...rest, url: judgeUrl(endpointUrl, options.api), ...resolveToken(token as TokenOption | undefined, env) };
}
