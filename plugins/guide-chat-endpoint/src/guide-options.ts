import { InvalidArgumentError, type WarningV1 } from '@rlgf/contracts';
import { isAbsolute, join, resolve } from 'node:path';
import { choiceOption, numberOption, stringOption, unknownOptionWarnings, type RawOptions } from './option-readers';
import { resolveToken, type TokenSource } from './token';

/** The system message when the options give no `instruction`. */
export const defaultInstruction =
  'You continue texts. Reply with the continuation only: do not repeat the given text, do not comment on it, do not add quotes or a preamble.';

/** What each option does and its default, for `rlgf plugins --options` (the factory's `options`). */
export const guideOptionDocs: Readonly<Record<string, string>> = {
  endpointUrl:
    'base URL of an OpenAI-compatible server (required): vLLM, TGI, llama.cpp, Ollama, a hosted API, rlgf serve; requests go to <endpointUrl>/v1/chat/completions (a URL ending in /v1 or /v1/chat/completions is used as is)',
  model: 'model name sent in each request (required): vLLM\'s --served-model-name, an Ollama tag, a hosted model id; part of the cache key',
  token: 'API key sent as a bearer token: { env: "NAME" } reads $NAME, a string is the key itself, null or absent sends none; never logged',
  instruction: `the system message: what to write (e.g. "Continue this movie review; keep it positive.") (default: "${defaultInstruction}")`,
  prefill:
    'true: the text goes in as the start of the assistant\'s reply and the server continues it (vLLM\'s continue_final_message with add_generation_prompt: false; rlgf serve does the same); false: the text goes in a user message with an instruction to continue, and the reply is cleaned of restated text and chat boilerplate (default false)',
  temperature: 'sampling temperature >= 0 (default 1)',
  topP: 'nucleus sampling p in (0, 1]; 1 sends no top_p (default 1)',
  maxNewTokens: 'cap on max_tokens per request, on top of the trainer\'s budget (default: no cap)',
  sendMinTokens: 'send the trainer\'s minimum length as min_tokens (vLLM, rlgf serve); set false for servers that refuse unknown fields (default true)',
  sendSeed: 'send a per-sample seed derived from the run seed (OpenAI, vLLM, llama.cpp and rlgf serve honour it) (default true)',
  timeoutMs: 'time limit of one request, from when it gets a concurrency slot (default 60000)',
  deadlineMs: 'time limit of one batch (one doGenerate call), retries included (default 600000)',
  retries: 'retries per sample after the first request, on network errors, time-outs, HTTP 429 and 5xx, bodies cut short (default 3)',
  backoffBaseMs: 'first retry waits a uniform draw below this, doubling per retry (full jitter) (default 500)',
  backoffMaxMs: 'longest backoff between retries (default 20000)',
  retryAfterMaxMs: 'longest Retry-After honoured on HTTP 429 and 503 (default 60000)',
  concurrency: 'requests in flight at once (default 4)',
  onUnavailable:
    '"fallback": a sample that still fails after retries is returned as failed and the trainer uses the learner for it; "fail": the batch throws GuideUnavailableError and the run stops (default "fallback")',
  maxTokens:
    'token budget of the run: prompt + completion tokens as the server reports them in `usage` (characters / 4 when it reports none); no request is sent once it is spent (cache hits are free); in-flight requests may pass it by at most `concurrency` answers (default: no budget)',
  maxTokensPerIteration:
    'token budget of one doGenerate call (the trainer makes one per iteration); once spent, the rest of the call\'s samples fall back to the learner (default: no budget)',
  onBudgetExhausted:
    '"fail": once maxTokens is spent the next batch throws GuideUnavailableError, and the run stops after a checkpoint (resume with a larger budget); "fallback": later samples are returned as failed and the learner takes over (default "fail")',
  cache: 'keep answers on disk, keyed by endpoint, model, messages, sampling and seed, so a repeated or resumed run sends no request twice (rlgf train --no-guide-cache sets false) (default true)',
  cacheDir: 'where the cache lives, relative to the working directory (default <rlgf cache dir>/guide-chat-endpoint, i.e. $RLGF_CACHE_DIR or ~/.cache/rlgf)',
  cacheMaxBytes: 'size bound of the cache; the oldest answers are removed past it (default 268435456, 256 MiB)',
};

export type OnUnavailable = 'fallback' | 'fail';

export interface GuideOptions {
  /** As given, without trailing slashes. */
  readonly endpointUrl: string;
  readonly model: string;
  readonly token?: string;
  readonly tokenSource: TokenSource;
  readonly instruction: string;
  readonly prefill: boolean;
  readonly topP: number;
  readonly temperature: number;
  readonly maxNewTokens?: number;
  readonly sendMinTokens: boolean;
  readonly sendSeed: boolean;
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  readonly retries: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly retryAfterMaxMs: number;
  readonly concurrency: number;
  readonly onUnavailable: OnUnavailable;
  readonly maxTokens?: number;
  readonly maxTokensPerIteration?: number;
  readonly onBudgetExhausted: OnUnavailable;
  /** Absolute; undefined when the cache is off. */
  readonly cacheDir?: string;
  readonly cacheMaxBytes: number;
  /** Options given but not known. */
  readonly warnings: readonly WarningV1[];
}

function endpointUrlOption(options: RawOptions): string {
  const value = options.endpointUrl;
  const fix = 'e.g. http://gpu-box:8000 (vLLM), http://127.0.0.1:8080 (rlgf serve), http://127.0.0.1:11434 (Ollama), https://api.openai.com';
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError({ argument: 'endpointUrl', value, expected: 'the http(s) URL of an OpenAI-compatible server', hint: fix });
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
    throw new InvalidArgumentError({ argument: 'endpointUrl', expected: 'a URL without user:password@', hint: 'pass the key as `token: { env: NAME }`' });
  }
  if (url.search || url.hash) {
    throw new InvalidArgumentError({ argument: 'endpointUrl', value, expected: 'a URL without ?query or #fragment', hint: 'the client appends /v1/chat/completions to the path' });
  }
  return value.trim().replace(/\/+$/, '');
}

function modelOption(options: RawOptions): string {
  const model = stringOption(options, 'model');
  if (model === undefined) {
    throw new InvalidArgumentError({ argument: 'model', value: model, expected: 'the model name the server serves', hint: 'vLLM: its --served-model-name; rlgf serve: any name; hosted APIs: their model id' });
  }
  if (/^https?:\/\//i.test(model)) throw new InvalidArgumentError({ argument: 'model', value: model, expected: 'a model name, not a URL', hint: 'put the server URL in endpointUrl' });
  return model;
}

function booleanOption(options: RawOptions, name: string, fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError({ argument: name, value, expected: 'true or false' });
  return value;
}

function optionalInteger(options: RawOptions, name: string): number | undefined {
  return options[name] === undefined || options[name] === null ? undefined : numberOption(options, name, 0, { integer: true, min: 1 });
}

/** Where the cache lives, or undefined when it is off. */
function cacheDirOption(options: RawOptions, paths: { readonly cacheDir: string; readonly workingDirectory: string }): string | undefined {
  if (!booleanOption(options, 'cache', true)) return undefined;
  const dir = stringOption(options, 'cacheDir');
  if (dir === undefined) return join(paths.cacheDir, 'guide-chat-endpoint');
  return isAbsolute(dir) ? dir : resolve(paths.workingDirectory, dir);
}

/** Validates the factory options (throwing `InvalidArgumentError` naming the field) and applies defaults. */
export function parseGuideOptions(
  options: RawOptions,
  env: Readonly<Record<string, string | undefined>>,
  paths: { readonly cacheDir: string; readonly workingDirectory: string },
): GuideOptions {
  const endpointUrl = endpointUrlOption(options);
  const { token, source } = resolveToken(options.token, env);
  return {
    endpointUrl,
    model: modelOption(options),
    token,
    tokenSource: source,
    instruction: stringOption(options, 'instruction') ?? defaultInstruction,
    prefill: booleanOption(options, 'prefill', false),
    topP: numberOption(options, 'topP', 1, { min: 0, minExclusive: true, max: 1 }),
    temperature: numberOption(options, 'temperature', 1, { min: 0 }),
    maxNewTokens: optionalInteger(options, 'maxNewTokens'),
    sendMinTokens: booleanOption(options, 'sendMinTokens', true),
    sendSeed: booleanOption(options, 'sendSeed', true),
    timeoutMs: numberOption(options, 'timeoutMs', 60_000, { integer: true, min: 1 }),
    deadlineMs: numberOption(options, 'deadlineMs', 600_000, { integer: true, min: 1 }),
    retries: numberOption(options, 'retries', 3, { integer: true, min: 0, max: 100 }),
    backoffBaseMs: numberOption(options, 'backoffBaseMs', 500, { integer: true, min: 0 }),
    backoffMaxMs: numberOption(options, 'backoffMaxMs', 20_000, { integer: true, min: 0 }),
    retryAfterMaxMs: numberOption(options, 'retryAfterMaxMs', 60_000, { integer: true, min: 0 }),
    concurrency: numberOption(options, 'concurrency', 4, { integer: true, min: 1, max: 1024 }),
    onUnavailable: choiceOption(options, 'onUnavailable', ['fallback', 'fail'] as const, 'fallback'),
    maxTokens: optionalInteger(options, 'maxTokens'),
    maxTokensPerIteration: optionalInteger(options, 'maxTokensPerIteration'),
    onBudgetExhausted: choiceOption(options, 'onBudgetExhausted', ['fallback', 'fail'] as const, 'fail'),
    cacheDir: cacheDirOption(options, paths),
    cacheMaxBytes: numberOption(options, 'cacheMaxBytes', 256 * 1024 * 1024, { integer: true, min: 1 }),
    warnings: unknownOptionWarnings(options, Object.keys(guideOptionDocs)),
  };
}
