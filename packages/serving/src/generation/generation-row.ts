import type { GreedyDecodingV1, SamplingDecodingV1 } from '@rlgf/contracts';

/** One prompt to continue, with its own budget, decoding, seed and stop strings. */
export interface GenerationRow {
  /** Prompt token ids (BOS included when the model wants it); not empty. */
  readonly promptIds: readonly number[];
  /** New tokens at most (>= 1); the EOS token counts as one. */
  readonly maxNewTokens: number;
  readonly decoding: GreedyDecodingV1 | SamplingDecodingV1;
  /**
   * Seed of this row's own sampling stream (an integer in [0, 2^53)): the same row gives the same
   * tokens whatever else shares its batch.
   */
  readonly seed: number;
  /** Generation stops at the first of these strings; the text ends before it. */
  readonly stop: readonly string[];
  /**
   * New tokens at least, in [0, maxNewTokens] (default 0): before them EOS is never sampled and
   * stop strings do not end the row (vLLM's `min_tokens`).
   */
  readonly minNewTokens?: number;
}

/** Why a row stopped: its budget, the EOS token, or one of its stop strings. */
export type FinishReason = 'length' | 'eos' | 'stop';

export interface GeneratedRow {
  /** Generated token ids (EOS included when it was generated). */
  readonly ids: readonly number[];
  /** The continuation's text, without EOS and cut before a stop string. */
  readonly text: string;
  readonly finishReason: FinishReason;
}
