import type { DecodingV1 } from '../../shared/v1/decoding-v1';
import type { TokenizerV1 } from '../../tokenizer/v1/tokenizer-v1';

/** The architecture-independent facts about a loaded model. */
export interface LanguageModelInfoV1 {
  /** `config.json`'s `model_type`, e.g. `llama`, `gpt2`, `t5`. */
  readonly modelType: string;
  /** Rows of the embedding matrix (the logits' width). */
  readonly vocabSize: number;
  /** Longest prompt + generation the model can attend over. */
  readonly maxPositions: number;
  /** True for encoder-decoder models (T5): prompts go to the encoder, generations to the decoder. */
  readonly isEncoderDecoder: boolean;
  /** Number of trainable parameters. */
  readonly parameterCount: number;
}

/** A batch generation request. Each row may have its own prompt length and forced prefix. */
export interface GenerateRequestV1 {
  /** Prompt token ids per sample (already including BOS when the model wants it). */
  readonly promptIds: readonly (readonly number[])[];
  /**
   * Tokens that the first generation steps must emit, per sample (teacher forcing of a roll-in
   * prefix). Their log-probs under the model are still reported. Empty or missing: none.
   */
  readonly forcedPrefixIds?: readonly (readonly number[])[];
  /** Maximum number of generated tokens per sample, forced prefix included. */
  readonly maxNewTokens: number;
  /**
   * EOS is suppressed until this many tokens were generated (forced prefix included): one number
   * for every row, or one per row. Default 0.
   */
  readonly minNewTokens?: number | readonly number[];
  readonly decoding: DecodingV1;
  /** Seed of the sampling stream: same seed, same request, same backend, same samples. */
  readonly seed?: number;
  /** Stop a row at EOS (default true). The EOS token itself is part of the output. */
  readonly stopAtEos?: boolean;
}

/** Result rows are aligned with the request rows; every array has `maxNewTokens` columns. */
export interface GenerateResultV1 {
  /** Generated token ids (not the prompt), padded after the end of each row. */
  readonly ids: number[][];
  /** Log-probability of each generated token under the model's *unprocessed* distribution. */
  readonly logProbs: number[][];
  /** 1 where a token was generated, 0 for padding after EOS. */
  readonly mask: number[][];
}

/**
 * A language model as plugins see it: generate and score, no tensors. The training-side API
 * (variables, differentiable forward passes) lives in `@rlgf/models`, which core packages use.
 */
export interface LanguageModelV1 {
  readonly specificationVersion: 'v1';
  readonly info: LanguageModelInfoV1;
  readonly tokenizer: TokenizerV1;
  generate(request: GenerateRequestV1): Promise<GenerateResultV1>;
  /**
   * Per-token log-probs of `targetIds[i]` given `promptIds[i]`; rows may differ in length.
   * Used for perplexity and for reference-model KL.
   */
  scoreTokens(
    promptIds: readonly (readonly number[])[],
    targetIds: readonly (readonly number[])[],
  ): Promise<number[][]>;
  /** Frees the model's tensors. Using the model afterwards throws. */
  dispose(): void;
}
