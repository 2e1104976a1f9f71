import { InvalidArgumentError } from '@rlgf/contracts';

export type JudgeApi = 'chat' | 'completions';

export interface JudgeOptions {
  /** The full URL requests go to (`…/v1/chat/completions` or `…/v1/completions`). */
  readonly url: string;
  readonly api: JudgeApi;
  readonly model: string;
  readonly token?: string;
  /** Where the token came from, for logs (never the token itself). */
  readonly tokenSource: 'none' | 'literal' | { readonly env: string };
  readonly temperature: number;
  readonly maxTokens: number;
  /** `full`: the whole post (sample meta `sourcePrompt`); `prompt`: the post as the policy saw it. */
  readonly post: 'full' | 'prompt';
  /** Seed of the coins that put the policy's summary first or second. */
  readonly seed?: number;
  readonly concurrency: number;
  readonly retries: number;
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly retryAfterMaxMs: number;
}

export const defaultTokenVariable = 'OPENAI_API_KEY';

export const judgeOptionHelp: Readonly<Record<string, string>> = {
  endpointUrl: 'base URL of an OpenAI-compatible server (https://api.openai.com, a vLLM or TGI server); /v1/chat/completions or /v1/completions is appended (required)',
  api: '"chat" (/v1/chat/completions, default) or "completions" (/v1/completions)',
  model: 'model name sent to the server, e.g. gpt-4-0314 (the DPO paper\'s judge) or a vLLM --served-model-name (required)',
  token: `bearer token: a string, { env: NAME }, or null for none (default $${defaultTokenVariable} when set)`,
  temperature: 'sampling temperature of the judge (default 0)',
  maxTokens: 'longest judge answer in tokens (default 128)',
  post: '"full": the whole post, as the papers judged (default); "prompt": the post as cut for the policy',
  seed: 'seed of the per-item coin that puts the policy summary in position A or B (default: the run seed)',
  concurrency: 'requests in flight at most (default 4)',
  retries: 'retries of a failed request: network errors, time-outs, 429, 5xx, unparseable bodies (default 3)',
  timeoutMs: 'time limit of one request (default 60000)',
  deadlineMs: 'time limit of one evaluation, all requests together (default 600000)',
  backoffBaseMs: 'first backoff (full jitter, doubling; default 500)',
  backoffMaxMs: 'longest backoff (default 20000)',
  retryAfterMaxMs: 'longest wait a Retry-After header may ask for (default 60000)',
};

type RawOptions = Readonly<Record<string, unknown>>;

function integer(options: RawOptions, name: string, fallback: number, min: number): number {
  const value = options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidArgumentError({ argument: `metric.options.${name}`, value, expected: `an integer >= ${min}` });
  }
  return value;
}

function choice<T extends string>(options: RawOptions, name: string, allowed: readonly T[]): T {
  const value = options[name] ?? allowed[0];
  if (!allowed.includes(value as T)) throw new InvalidArgumentError({ argument: `metric.options.${name}`, value, expected: allowed.map((a) => `"${a}"`).join(' or ') });
  return value as T;
}

// Messages about the token never quote the value given: it may be the secret itself.
function resolveToken(value: unknown, env: Readonly<Record<string, string | undefined>>): Pick<JudgeOptions, 'token' | 'tokenSource'> {
  const expected = 'a token string, { env: "VARIABLE" }, or null for no token';
  if (value === undefined) {
    const token = env[defaultTokenVariable];
    return token ? { token, tokenSource: { env: defaultTokenVariable } } : { tokenSource: 'none' };
  }
  if (value === null) return { tokenSource: 'none' };
  if (typeof value === 'string' && value.trim() !== '') return { token: value, tokenSource: 'literal' };
  const name = typeof value === 'object' && Object.keys(value).length === 1 ? (value as { env?: unknown }).env : undefined;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InvalidArgumentError({ argument: 'metric.options.token', expected });
  const token = env[name];
  if (!token) {
    throw new InvalidArgumentError({ argument: 'metric.options.token', expected: `environment variable ${name} to hold the token, but it is not set`, hint: `export ${name}=<token>, or token: null` });
  }
  return { token, tokenSource: { env: name } };
}

/** The route of `api` under `endpointUrl`, which may or may not end with `/v1`. */
export function judgeUrl(endpointUrl: string, api: JudgeApi): string {
  const base = endpointUrl.replace(/\/+$/, '');
  const route = api === 'chat' ? 'chat/completions' : 'completions';
  return base.endsWith('/v1') ? `${base}/${route}` : `${base}/v1/${route}`;
}

/** Validates the options of the `tldr-win-rate` metric, naming the bad field. */
export function parseJudgeOptions(options: RawOptions, env: Readonly<Record<string, string | undefined>>): JudgeOptions {
  const unknown = Object.keys(options).filter((name) => !(name in judgeOptionHelp));
  if (unknown.length > 0) throw new InvalidArgumentError({ argument: `metric.options.${unknown[0]}`, expected: `one of ${Object.keys(judgeOptionHelp).join(', ')}` });
  const { endpointUrl, model, temperature = 0, seed } = options;
  if (typeof endpointUrl !== 'string' || !URL.canParse(endpointUrl) || !/^https?:$/.test(new URL(endpointUrl).protocol)) {
    throw new InvalidArgumentError({ argument: 'metric.options.endpointUrl', value: endpointUrl, expected: 'an http(s) URL of an OpenAI-compatible server' });
  }
  if (typeof model !== 'string' || model.trim() === '') throw new InvalidArgumentError({ argument: 'metric.options.model', value: model, expected: 'the judge model name' });
  if (typeof temperature !== 'number' || !(temperature >= 0)) throw new InvalidArgumentError({ argument: 'metric.options.temperature', value: temperature, expected: 'a number >= 0' });
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0)) {
    throw new InvalidArgumentError({ argument: 'metric.options.seed', value: seed, expected: 'an integer >= 0' });
  }
  const api = choice(options, 'api', ['chat', 'completions'] as const);
  return {
    url: judgeUrl(endpointUrl, api),
    api,
    model,
    ...resolveToken(options.token, env),
    temperature,
    maxTokens: integer(options, 'maxTokens', 128, 1),
    post: choice(options, 'post', ['full', 'prompt'] as const),
    seed: seed as number | undefined,
    concurrency: integer(options, 'concurrency', 4, 1),
    retries: integer(options, 'retries', 3, 0),
    timeoutMs: integer(options, 'timeoutMs', 60_000, 1),
    deadlineMs: integer(options, 'deadlineMs', 600_000, 1),
    backoffBaseMs: integer(options, 'backoffBaseMs', 500, 0),
    backoffMaxMs: integer(options, 'backoffMaxMs', 20_000, 0),
    retryAfterMaxMs: integer(options, 'retryAfterMaxMs', 60_000, 0),
  };
}
