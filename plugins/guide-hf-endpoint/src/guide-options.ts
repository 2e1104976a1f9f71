import { InvalidArgumentError, type WarningV1 } from '@rlgf/contracts';
import { choiceOption, numberOption, stringOption, unknownOptionWarnings, type RawOptions } from './option-readers';
import { resolveToken, type TokenSource } from './token';

/** What each option does and its default, for `rlgf plugins --options` (the factory's `options`). */
export const guideOptionDocs: Readonly<Record<string, string>> = {
  endpointUrl:
    'base URL of the server (required): an Inference Endpoint, TGI or vLLM; requests go to <endpointUrl>/v1/completions (a URL already ending in /v1 or /v1/completions is used as is)',
  model:
    'model name sent in each request: vLLM needs one of its --served-model-name values; TGI reads any name but "tgi" as a LoRA adapter id (default "tgi")',
  token: 'bearer token: { env: "NAME" } reads $NAME, a string is the token itself, null sends none (default: $HF_TOKEN when set); never logged',
  topP: 'nucleus sampling p in (0, 1]; 1 sends no top_p, as TGI refuses 1 (default 0.92, the authors\' guide)',
  temperature: 'sampling temperature >= 0; 0 asks TGI and vLLM for greedy decoding (default 1)',
  maxNewTokens: 'cap on new tokens per request, in the guide\'s tokens, applied on top of the trainer\'s budget (default: no cap)',
  timeoutMs: 'time limit of one request, from when it gets a concurrency slot (default 60000)',
  deadlineMs: 'time limit of one batch (one doGenerate call), retries included (default 600000)',
  retries: 'retries per sample after the first request, on network errors, time-outs, HTTP 429 and 5xx, unparseable bodies (default 3)',
  backoffBaseMs: 'first retry waits a uniform draw below this, doubling per retry (full jitter) (default 500)',
  backoffMaxMs: 'longest backoff between retries (default 20000)',
  retryAfterMaxMs: 'longest Retry-After honoured on HTTP 429 and 503; longer requests are cut to this (default 60000)',
  concurrency: 'requests in flight at once (default 4)',
  onUnavailable:
    '"fallback": a sample that still fails after retries is returned as failed and the trainer uses the learner for it; "fail": the batch throws GuideUnavailableError (default "fallback")',
};

export type OnUnavailable = 'fallback' | 'fail';

export interface GuideOptions {
  /** As given, without trailing slashes. */
  readonly endpointUrl: string;
  readonly model: string;
  readonly token?: string;
  readonly tokenSource: TokenSource;
  readonly topP: number;
  readonly temperature: number;
  readonly maxNewTokens?: number;
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  readonly retries: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly retryAfterMaxMs: number;
  readonly concurrency: number;
  readonly onUnavailable: OnUnavailable;
  /** Options given but not known. */
  readonly warnings: readonly WarningV1[];
}

function endpointUrlOption(options: RawOptions): string {
  const value = options.endpointUrl;
  const fix = 'e.g. https://xyz.endpoints.huggingface.cloud or http://gpu-box:8000 (vLLM), http://gpu-box:8080 (TGI)';
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError({ argument: 'endpointUrl', value, expected: 'the http(s) URL of the inference server', hint: fix });
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError({ argument: 'endpointUrl', value, expected: 'an absolute http(s) URL', hint: fix });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError({ argument: 'endpointUrl', value, expected: 'an http: or https: URL', hint: fix });
  }
  // Not quoted back: credentials in a URL are secrets too.
  if (url.username || url.password) {
    throw new InvalidArgumentError({ argument: 'endpointUrl', expected: 'a URL without user:password@', hint: 'pass credentials as `token` (sent as a bearer token)' });
  }
  if (url.search || url.hash) {
    throw new InvalidArgumentError({ argument: 'endpointUrl', value, expected: 'a URL without ?query or #fragment', hint: 'the client appends /v1/completions to the path' });
  }
  return value.trim().replace(/\/+$/, '');
}

/** What TGI expects in `model` for its base model (other names select LoRA adapters). */
export const defaultModel = 'tgi';

function modelOption(options: RawOptions): string {
  const model = stringOption(options, 'model') ?? defaultModel;
  if (model !== undefined && /^https?:\/\//i.test(model)) {
    throw new InvalidArgumentError({ argument: 'model', value: model, expected: 'a model name, not a URL', hint: 'put the server URL in endpointUrl' });
  }
  return model;
}

/** Validates the factory options (throwing `InvalidArgumentError` naming the field) and applies defaults. */
export function parseGuideOptions(options: RawOptions, env: Readonly<Record<string, string | undefined>>): GuideOptions {
  const endpointUrl = endpointUrlOption(options);
  const { token, source } = resolveToken(options.token, env);
  const maxNewTokens = options.maxNewTokens === undefined ? undefined : numberOption(options, 'maxNewTokens', 0, { integer: true, min: 1 });
  return {
    endpointUrl,
    model: modelOption(options),
    token,
    tokenSource: source,
    topP: numberOption(options, 'topP', 0.92, { min: 0, minExclusive: true, max: 1 }),
    temperature: numberOption(options, 'temperature', 1, { min: 0 }),
    maxNewTokens,
    timeoutMs: numberOption(options, 'timeoutMs', 60_000, { integer: true, min: 1 }),
    deadlineMs: numberOption(options, 'deadlineMs', 600_000, { integer: true, min: 1 }),
    retries: numberOption(options, 'retries', 3, { integer: true, min: 0, max: 100 }),
    backoffBaseMs: numberOption(options, 'backoffBaseMs', 500, { integer: true, min: 0 }),
    backoffMaxMs: numberOption(options, 'backoffMaxMs', 20_000, { integer: true, min: 0 }),
    retryAfterMaxMs: numberOption(options, 'retryAfterMaxMs', 60_000, { integer: true, min: 0 }),
    concurrency: numberOption(options, 'concurrency', 4, { integer: true, min: 1, max: 1024 }),
    onUnavailable: choiceOption(options, 'onUnavailable', ['fallback', 'fail'] as const, 'fallback'),
    warnings: unknownOptionWarnings(options, Object.keys(guideOptionDocs)),
  };
}
