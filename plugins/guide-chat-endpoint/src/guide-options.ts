import { callOptionsShape, endpointUrlSchema, modelNameSchema, tokenReferenceSchema } from '@rlgf/resilience';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { resolveToken, type TokenSource } from './token';

/** The system message when the options give no `instruction`. */
export const defaultInstruction =
  'You continue texts. Reply with the continuation only: do not repeat the given text, do not comment on it, do not add quotes or a preamble.';

// null reads as "none", as absent does: recipes written with `maxTokens: null` keep working.
const optionalCount = (description: string) =>
  z
    .number()
    .int()
    .min(1)
    .nullish()
    .transform((value) => value ?? undefined)
    .describe(description);

/** The options of the `chat-endpoint` guide; the core validates them (unknown ones are errors) and `rlgf plugins --options` shows them. */
export const chatEndpointGuideOptions = z.strictObject({
  endpointUrl: endpointUrlSchema(
    'base URL of an OpenAI-compatible server: vLLM, TGI, llama.cpp, Ollama, a hosted API, rlgf serve; requests go to <endpointUrl>/v1/chat/completions (a URL ending in /v1 or /v1/chat/completions is used as is)',
    'e.g. http://gpu-box:8000 (vLLM), http://127.0.0.1:8080 (rlgf serve), http://127.0.0.1:11434 (Ollama), https://api.openai.com',
  ),
  model: modelNameSchema("model name sent in each request: vLLM's --served-model-name, an Ollama tag, a hosted model id; part of the cache key"),
  token: tokenReferenceSchema('API key sent as a bearer token: { env: "NAME" } reads $NAME, a string is the key itself, null or absent sends none; never logged'),
  instruction: z.string().trim().min(1).default(defaultInstruction).describe('the system message: what to write (e.g. "Continue this movie review; keep it positive.")'),
  prefill: z
    .boolean()
    .default(false)
    .describe(
      "true: the text goes in as the start of the assistant's reply and the server continues it (vLLM's continue_final_message with add_generation_prompt: false; rlgf serve does the same); false: the text goes in a user message with an instruction to continue, and the reply is cleaned of restated text and chat boilerplate",
    ),
  temperature: z.number().min(0).default(1).describe('sampling temperature'),
  topP: z.number().gt(0).max(1).default(1).describe('nucleus sampling p in (0, 1]; 1 sends no top_p'),
  maxNewTokens: optionalCount("cap on max_tokens per request, on top of the trainer's budget (default: no cap)"),
  sendMinTokens: z.boolean().default(true).describe("send the trainer's minimum length as min_tokens (vLLM, rlgf serve); set false for servers that refuse unknown fields"),
  sendSeed: z.boolean().default(true).describe('send a per-sample seed derived from the run seed (OpenAI, vLLM, llama.cpp and rlgf serve honour it)'),
  ...callOptionsShape,
  maxTokens: optionalCount(
    'token budget of the run: prompt + completion tokens as the server reports them in `usage` (characters / 4 when it reports none); no request is sent once it is spent (cache hits are free); in-flight requests may pass it by at most `concurrency` answers (default: no budget)',
  ),
  maxTokensPerIteration: optionalCount("token budget of one doGenerate call (the trainer makes one per iteration); once spent, the rest of the call's samples fall back to the learner (default: no budget)"),
  onBudgetExhausted: z
    .enum(['fallback', 'fail'])
    .default('fail')
    .describe(
      '"fail": once maxTokens is spent the next batch throws GuideUnavailableError, and the run stops after a checkpoint (resume with a larger budget); "fallback": later samples are returned as failed and the learner takes over',
    ),
  cache: z.boolean().default(true).describe('keep answers on disk, keyed by endpoint, model, messages, sampling and seed, so a repeated or resumed run sends no request twice (rlgf train --no-guide-cache sets false)'),
  cacheDir: z.string().trim().min(1).optional().describe('where the cache lives, relative to the working directory (default <rlgf cache dir>/guide-chat-endpoint, i.e. $RLGF_CACHE_DIR or ~/.cache/rlgf)'),
  cacheMaxBytes: z.number().int().min(1).default(256 * 1024 * 1024).describe('size bound of the cache (256 MiB by default); the oldest answers are removed past it'),
});

type ParsedOptions = z.output<typeof chatEndpointGuideOptions>;

export type OnUnavailable = 'fallback' | 'fail';

export interface GuideOptions extends Omit<ParsedOptions, 'token' | 'cache' | 'cacheDir'> {
  readonly token?: string;
  readonly tokenSource: TokenSource;
  /** Absolute; undefined when the cache is off. */
  readonly cacheDir?: string;
}

/** The guide's settings from its validated options: the key read from the environment, the cache folder made absolute. */
export function resolveGuideOptions(
  options: ParsedOptions,
  env: Readonly<Record<string, string | undefined>>,
  paths: { readonly cacheDir: string; readonly workingDirectory: string },
): GuideOptions {
  const { token: reference, cache, cacheDir, ...rest } = options;
  const { token, source } = resolveToken(reference, env);
  const dir = !cache ? undefined : cacheDir === undefined ? join(paths.cacheDir, 'guide-chat-endpoint') : isAbsolute(cacheDir) ? cacheDir : resolve(paths.workingDirectory, cacheDir);
  return { ...rest, token, tokenSource: source, cacheDir: dir };
}
