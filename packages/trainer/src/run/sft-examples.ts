import type { TaskSampleV1, TokenizerV1 } from '@rlgf/contracts';
import { continuationIds } from '@rlgf/models';

export interface SftExample {
  readonly promptIds: readonly number[];
  /** The reference continuation in policy tokens (the tokens the loss is on). */
  readonly tokens: readonly number[];
}

/**
 * One example per (prompt, reference) pair, the reference cut so prompt + reference fit in
 * `maxTokens`, EOS appended when the whole reference fits (so the model learns to stop).
 * Prompts longer than the budget keep their last tokens.
 */
export function sftExamples(samples: readonly TaskSampleV1[], tokenizer: TokenizerV1, maxTokens: number): SftExample[] {
  const examples: SftExample[] = [];
  for (const sample of samples) {
    const fullPrompt = [...(sample.promptIds ?? tokenizer.encode(sample.prompt))];
    const promptIds = fullPrompt.length >= maxTokens ? fullPrompt.slice(fullPrompt.length - (maxTokens - 1)) : fullPrompt;
    const budget = maxTokens - promptIds.length;
    for (const reference of sample.references) {
      const ids = continuationIds(tokenizer, { ids: fullPrompt, text: tokenizer.decode(fullPrompt) }, reference);
      const withEos = tokenizer.eosTokenId !== undefined ? [...ids, tokenizer.eosTokenId] : ids;
      const tokens = withEos.slice(0, budget);
      if (tokens.length > 0) examples.push({ promptIds, tokens });
    }
  }
  return examples;
}
