import type { GreedyDecodingV1, SamplingDecodingV1 } from '@rlgf/contracts';
import type { GeneratedRow } from '../generation/generation-row';
import { validationError } from '../http/http-error';
import { isJsonObject, numberField, refuseUnsupported, stringField, stringListField } from './fields';
import { checkPromptChars, type PromptSettings } from './prompt-row';
import type { ServingLimits } from './serving-limits';

/** A parsed OpenAI completions request. */
export interface CompletionsRequest {
  readonly prompts: readonly string[];
  readonly settings: PromptSettings;
}

/** Options of the OpenAI API this server does not implement, with the values that are harmless. */
const unsupported = { n: [1], best_of: [1], echo: [false], stream: [false], logprobs: [], presence_penalty: [0], frequency_penalty: [0], suffix: [''] };

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
 * many new tokens; <= `max_tokens`). `model` is accepted whatever it names (TGI does the same).
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
  readonly rows: readonly GeneratedRow[];
}

/** The OpenAI completions answer: one choice per prompt, in order. */
export function completionsResponse(answer: CompletionsAnswer): Record<string, unknown> {
  const completionTokens = answer.rows.reduce((sum, row) => sum + row.ids.length, 0);
  return {
    id: answer.id,
    object: 'text_completion',
    created: Math.floor(answer.createdMs / 1000),
    model: answer.model,
    choices: answer.rows.map((row, index) => ({ index, text: row.text, logprobs: null, finish_reason: row.finishReason === 'length' ? 'length' : 'stop' })),
    usage: { prompt_tokens: answer.promptTokens, completion_tokens: completionTokens, total_tokens: answer.promptTokens + completionTokens },
  };
}
