import type { GreedyDecodingV1, SamplingDecodingV1 } from '@rlgf/contracts';
import type { GeneratedRow } from '../generation/generation-row';
import { validationError } from '../http/http-error';
import { deriveSeed } from '@rlgf/core';
import { booleanField, isJsonObject, numberField, refuseUnsupported, stringField, stringListField, type JsonObject } from './fields';
import { checkPromptChars, type PromptSettings } from './prompt-row';
import type { ServingLimits } from './serving-limits';

/** A parsed OpenAI completions request. */
export interface CompletionsRequest {
  readonly prompts: readonly string[];
  readonly settings: PromptSettings;
  /** Choices per prompt (OpenAI's `n`). */
  readonly n: number;
  /** Answer as server-sent events. */
  readonly stream: boolean;
  /** With `stream`: a last chunk with `usage` (OpenAI's `stream_options.include_usage`). */
  readonly includeUsage: boolean;
}

/** Options of the OpenAI API this server does not implement, with the values that are harmless. */
const unsupported = { best_of: [1], echo: [false], logprobs: [], presence_penalty: [0], frequency_penalty: [0], suffix: [''] };

/**
 * `n`, `stream` and `stream_options` as OpenAI defines them, shared by both OpenAI routes: `n`
 * choices per prompt (their rows count against the batch limit), `stream: true` for server-sent
 * events, and `stream_options.include_usage` for a last chunk with the usage.
 */
export function readChoicesAndStreaming(body: JsonObject, prompts: number, limits: ServingLimits): { readonly n: number; readonly stream: boolean; readonly includeUsage: boolean } {
  const n = numberField(body, 'n', { integer: true, min: 1, max: limits.maxPrompts }) ?? 1;
  if (n * prompts > limits.maxPrompts) {
    throw validationError(`\`n\` ${n} x ${prompts} prompts is ${n * prompts} rows; at most ${limits.maxPrompts} per request (rlgf serve --max-batch)`);
  }
  const stream = booleanField(body, 'stream') ?? false;
  const options = body.stream_options ?? undefined;
  if (options !== undefined && options !== null && !isJsonObject(options)) throw validationError('`stream_options` must be an object');
  if (options && !stream) throw validationError('`stream_options` is only allowed with `stream: true`');
  const includeUsage = options ? (booleanField(options, 'include_usage') ?? false) : false;
  return { n, stream, includeUsage };
}

/**
 * The seed of choice `choice` of a request seeded `seed`: the first choice is the answer `n: 1`
 * gives; the others are their own seeded streams.
 */
export function choiceSeed(seed: number, choice: number): number {
  return choice === 0 ? seed : deriveSeed(seed % 2 ** 32, 'choice', choice);
}

function promptsOf(value: unknown, limits: ServingLimits): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) throw validationError('`prompt` must be a string or a non-empty list of strings');
  if (!list.every((item) => typeof item === 'string')) {
    throw validationError('`prompt` must hold text: prompts of token ids are not supported (this server tokenizes with its own tokenizer)');
  }
  if (list.length > limits.maxPrompts) throw validationError(`\`prompt\` has ${list.length} prompts; at most ${limits.maxPrompts} per request (rlgf serve --max-batch)`);
  list.forEach((prompt: string, i) => checkPromptChars(prompt, limits, typeof value === 'string' ? 'prompt' : `prompt[${i}]`));
  return list as string[];
}

/**
 * Reads `POST /v1/completions` as OpenAI (and vLLM, TGI) define it: `prompt` (text or a list),
 * `max_tokens` (default 16), `temperature` (default 1; 0 is greedy), `top_p`, `top_k` (vLLM's;
 * 0 or -1: all), `seed`, `stop`, and vLLM's `min_tokens` (EOS and stop strings ignored before that
 * many new tokens; <= `max_tokens`), `n`, `stream` and `stream_options`. `model` is accepted
 * whatever it names (TGI does the same).
 */
export function parseCompletionsRequest(body: unknown, limits: ServingLimits, randomSeed: () => number): CompletionsRequest {
  if (!isJsonObject(body)) throw validationError('the body must be a JSON object');
  refuseUnsupported(body, unsupported);
  stringField(body, 'model');
  const prompts = promptsOf(body.prompt, limits);
  const temperature = numberField(body, 'temperature', { min: 0 }) ?? 1;
  const topP = numberField(body, 'top_p', { min: 0, minExclusive: true, max: 1 }) ?? 1;
  const topK = numberField(body, 'top_k', { integer: true, min: -1 }) ?? 0;
  const decoding: GreedyDecodingV1 | SamplingDecodingV1 =
    temperature === 0 ? { strategy: 'greedy' } : { strategy: 'sample', temperature, topP, topK: Math.max(topK, 0) };
  const maxNewTokens = numberField(body, 'max_tokens', { integer: true, min: 1 });
  const minNewTokens = numberField(body, 'min_tokens', { integer: true, min: 0 });
  if (minNewTokens !== undefined && maxNewTokens !== undefined && minNewTokens > maxNewTokens) {
    throw validationError(`\`min_tokens\` ${minNewTokens} must be <= \`max_tokens\` ${maxNewTokens}`);
  }
  return {
    prompts,
    ...readChoicesAndStreaming(body, prompts.length, limits),
    settings: {
      maxNewTokens,
      minNewTokens,
      defaultMaxNewTokens: 16,
      decoding,
      seed: numberField(body, 'seed', { integer: true, min: 0 }) ?? randomSeed(),
      stop: stringListField(body, 'stop', limits.maxStopSequences),
    },
  };
}

export interface CompletionsAnswer {
  readonly id: string;
  readonly model: string;
  readonly createdMs: number;
  readonly promptTokens: number;
  /** Prompt by prompt, `n` choices each. */
  readonly rows: readonly GeneratedRow[];
}

export const finishReason = (row: GeneratedRow) => (row.finishReason === 'length' ? 'length' : 'stop');

export function usageOf(answer: { readonly promptTokens: number; readonly rows: readonly GeneratedRow[] }): Record<string, number> {
  const completionTokens = answer.rows.reduce((sum, row) => sum + row.ids.length, 0);
  return { prompt_tokens: answer.promptTokens, completion_tokens: completionTokens, total_tokens: answer.promptTokens + completionTokens };
}

/** The OpenAI completions answer: one choice per prompt and sample, in order. */
export function completionsResponse(answer: CompletionsAnswer): Record<string, unknown> {
  return {
    id: answer.id,
    object: 'text_completion',
    created: Math.floor(answer.createdMs / 1000),
    model: answer.model,
    choices: answer.rows.map((row, index) => ({ index, text: row.text, logprobs: null, finish_reason: finishReason(row) })),
    usage: usageOf(answer),
  };
}

/**
 * The same answer as OpenAI's stream of `text_completion` chunks: per choice, one chunk with its
 * text and one with its finish reason; then, when asked, a chunk with no choices and the usage.
 */
export function completionsChunks(answer: CompletionsAnswer, includeUsage: boolean): Record<string, unknown>[] {
  const head = { id: answer.id, object: 'text_completion', created: Math.floor(answer.createdMs / 1000), model: answer.model };
  const chunks: Record<string, unknown>[] = [];
  answer.rows.forEach((row, index) => {
    chunks.push({ ...head, choices: [{ index, text: row.text, logprobs: null, finish_reason: null }] });
    chunks.push({ ...head, choices: [{ index, text: '', logprobs: null, finish_reason: finishReason(row) }] });
  });
  if (includeUsage) chunks.push({ ...head, choices: [], usage: usageOf(answer) });
  return chunks;
}
