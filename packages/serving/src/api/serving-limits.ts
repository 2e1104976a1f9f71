/** What one request may ask for; larger asks are refused with 422. */
export interface ServingLimits {
  /** New tokens per prompt at most (`--max-new-tokens`). */
  readonly maxNewTokens: number;
  /** Prompt tokens at most (BOS included): the model's positions minus one. */
  readonly maxInputTokens: number;
  /**
   * Prompt characters at most, checked before tokenizing (a 1 MB prompt took 10 s to tokenize,
   * only to be refused for its tokens): `maxInputTokens` × {@link maxCharsPerToken} by default.
   */
  readonly maxPromptChars: number;
  /** Prompt + new tokens at most: the model's positions. */
  readonly maxTotalTokens: number;
  /** Stop strings per request at most. */
  readonly maxStopSequences: number;
  /** Prompts in one `/v1/completions` request at most (the batch size). */
  readonly maxPrompts: number;
}

/**
 * Characters one token covers at most, for the default character bound on prompts. The longest
 * token of GPT-2's vocabulary decodes to 66 characters (a run of spaces or dashes), Llama's to 16;
 * ordinary text averages 3 to 5. At 64, a prompt the character bound refuses would have needed
 * nearly every token to be one of GPT-2's longest to fit in `maxInputTokens`.
 */
export const maxCharsPerToken = 64;
