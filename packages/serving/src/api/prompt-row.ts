import type { GreedyDecodingV1, SamplingDecodingV1, TokenizerV1 } from '@rlgf/contracts';
import type { GenerationRow } from '../generation/generation-row';
import { validationError } from '../http/http-error';
import type { ServingLimits } from './serving-limits';

/** What a request asks of each of its prompts. */
export interface PromptSettings {
  /** As given; `undefined` takes the route's default, lowered to what fits. */
  readonly maxNewTokens?: number;
  /** The route's default budget (16 on `/v1/completions` as OpenAI, 100 on `/generate` as TGI). */
  readonly defaultMaxNewTokens: number;
  readonly decoding: GreedyDecodingV1 | SamplingDecodingV1;
  readonly seed: number;
  readonly stop: readonly string[];
  /** vLLM's `min_tokens`: EOS and stop strings are ignored before this many new tokens (default 0). */
  readonly minNewTokens?: number;
}

/**
 * Refuses a prompt longer than `limits.maxPromptChars` characters, before anything tokenizes it.
 * `field` names it in the message (`prompt`, `prompt[2]`, `inputs`).
 */
export function checkPromptChars(prompt: string, limits: ServingLimits, field: string): void {
  if (prompt.length <= limits.maxPromptChars) return;
  throw validationError(
    `\`${field}\` has ${prompt.length} characters; this server takes at most ${limits.maxPromptChars} before tokenizing (rlgf serve --max-prompt-chars)`,
  );
}

/**
 * Tokenizes a prompt with the model's tokenizer (BOS added when it wants one, unless `encoding`
 * says otherwise: a rendered chat template writes its own) and checks it and
 * its budget against the limits, naming the field and the limit when one is passed.
 */
export function promptRow(
  tokenizer: TokenizerV1,
  prompt: string,
  settings: PromptSettings,
  limits: ServingLimits,
  budgetField: string,
  encoding: { readonly addSpecialTokens?: boolean } = {},
): GenerationRow {
  const promptIds = encoding.addSpecialTokens === undefined ? tokenizer.encode(prompt) : tokenizer.encode(prompt, { addSpecialTokens: encoding.addSpecialTokens });
  if (promptIds.length === 0) throw validationError('the prompt is empty and this model adds no BOS token: send some text');
  if (promptIds.length > limits.maxInputTokens) {
    throw validationError(`the prompt has ${promptIds.length} tokens; this model takes at most ${limits.maxInputTokens} (max_input_tokens)`);
  }
  const room = limits.maxTotalTokens - promptIds.length;
  const asked = settings.maxNewTokens;
  if (asked !== undefined && asked > limits.maxNewTokens) {
    throw validationError(`\`${budgetField}\` ${asked} is over this server's limit of ${limits.maxNewTokens} (rlgf serve --max-new-tokens)`);
  }
  if (asked !== undefined && asked > room) {
    throw validationError(
      `the prompt (${promptIds.length} tokens) + \`${budgetField}\` (${asked}) must be <= ${limits.maxTotalTokens} (max_total_tokens); ask for at most ${room}`,
    );
  }
  const maxNewTokens = asked ?? Math.min(settings.defaultMaxNewTokens, limits.maxNewTokens, room);
  const minNewTokens = settings.minNewTokens ?? 0;
  if (minNewTokens > maxNewTokens) {
    // Only reached without an explicit budget (parsing compares min_tokens with max_tokens).
    throw validationError(
      `\`min_tokens\` ${minNewTokens} is over the ${maxNewTokens} new tokens this prompt gets without \`${budgetField}\`; send \`${budgetField}\` >= ${minNewTokens}`,
    );
  }
  return { promptIds, maxNewTokens, minNewTokens, decoding: settings.decoding, seed: settings.seed, stop: settings.stop };
}
