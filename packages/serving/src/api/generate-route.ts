import type { GreedyDecodingV1, SamplingDecodingV1 } from '@rlgf/contracts';
import type { FinishReason, GeneratedRow } from '../generation/generation-row';
import { validationError } from '../http/http-error';
import { booleanField, isJsonObject, numberField, refuseUnsupported, stringListField, type JsonObject } from './fields';
import { checkPromptChars, type PromptSettings } from './prompt-row';
import type { ServingLimits } from './serving-limits';

/** A parsed TGI `/generate` request. */
export interface TgiGenerateRequest {
  readonly prompt: string;
  readonly settings: PromptSettings;
  readonly details: boolean;
  readonly returnFullText: boolean;
}

/** TGI parameters this server does not implement, with the values that are harmless. */
const unsupported = {
  best_of: [1],
  repetition_penalty: [1],
  frequency_penalty: [0],
  typical_p: [1],
  watermark: [false],
  decoder_input_details: [false],
  top_n_tokens: [0],
  truncate: [],
  grammar: [],
  adapter_id: [],
};

/**
 * TGI's sampling rule: greedy unless `do_sample` is true or a sampling parameter (`temperature`
 * other than 1, `top_k`, `top_p` below 1) is given.
 */
function decodingOf(parameters: JsonObject): GreedyDecodingV1 | SamplingDecodingV1 {
  const temperature = numberField(parameters, 'temperature', { min: 0, minExclusive: true });
  const topK = numberField(parameters, 'top_k', { integer: true, min: 1 });
  const topP = numberField(parameters, 'top_p', { min: 0, minExclusive: true, max: 1 });
  const doSample = booleanField(parameters, 'do_sample') ?? false;
  const warped = (temperature !== undefined && temperature !== 1) || topK !== undefined || (topP !== undefined && topP < 1);
  if (!doSample && !warped) return { strategy: 'greedy' };
  return { strategy: 'sample', temperature: temperature ?? 1, topK: topK ?? 0, topP: topP ?? 1 };
}

/**
 * Reads TGI's `POST /generate`: `inputs` and `parameters` (`max_new_tokens` (default 100),
 * `temperature`, `top_p`, `top_k`, `do_sample`, `seed`, `stop`, `details`, `return_full_text`).
 * TGI has no minimum number of new tokens, so this route takes none (`min_tokens` is vLLM's, on
 * `/v1/completions`).
 */
export function parseTgiGenerateRequest(body: unknown, limits: ServingLimits, randomSeed: () => number): TgiGenerateRequest {
  if (!isJsonObject(body)) throw validationError('the body must be a JSON object');
  if (typeof body.inputs !== 'string') throw validationError('`inputs` must be a string (the prompt)');
  checkPromptChars(body.inputs, limits, 'inputs');
  const parameters = body.parameters ?? {};
  if (!isJsonObject(parameters)) throw validationError('`parameters` must be an object');
  refuseUnsupported(parameters, unsupported);
  return {
    prompt: body.inputs,
    settings: {
      maxNewTokens: numberField(parameters, 'max_new_tokens', { integer: true, min: 1 }),
      defaultMaxNewTokens: 100,
      decoding: decodingOf(parameters),
      seed: numberField(parameters, 'seed', { integer: true, min: 0 }) ?? randomSeed(),
      stop: stringListField(parameters, 'stop', limits.maxStopSequences),
    },
    details: booleanField(parameters, 'details') ?? false,
    returnFullText: booleanField(parameters, 'return_full_text') ?? false,
  };
}

const tgiFinishReasons: Record<FinishReason, string> = { length: 'length', eos: 'eos_token', stop: 'stop_sequence' };

/** TGI's answer: `generated_text`, with `details` when asked. */
export function tgiGenerateResponse(request: TgiGenerateRequest, row: GeneratedRow): Record<string, unknown> {
  const generated_text = request.returnFullText ? request.prompt + row.text : row.text;
  if (!request.details) return { generated_text };
  return { generated_text, details: { finish_reason: tgiFinishReasons[row.finishReason], generated_tokens: row.ids.length, seed: request.settings.seed } };
}
