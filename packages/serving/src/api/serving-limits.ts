/** What one request may ask for; larger asks are refused with 422. */
export interface ServingLimits {
  /** New tokens per prompt at most (`--max-new-tokens`). */
  readonly maxNewTokens: number;
  /** Prompt tokens at most (BOS included): the model's positions minus one. */
  readonly maxInputTokens: number;
  /** Prompt + new tokens at most: the model's positions. */
  readonly maxTotalTokens: number;
  /** Stop strings per request at most. */
  readonly maxStopSequences: number;
  /** Prompts in one `/v1/completions` request at most (the batch size). */
  readonly maxPrompts: number;
}
