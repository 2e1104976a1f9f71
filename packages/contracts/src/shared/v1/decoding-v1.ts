/** Greedy decoding: always the most likely next token. */
export interface GreedyDecodingV1 {
  readonly strategy: 'greedy';
}

/**
 * Ancestral sampling, with the usual logits processors applied in order: temperature, top-k,
 * then top-p (nucleus). `topK: 0` and `topP: 1` switch those filters off.
 */
export interface SamplingDecodingV1 {
  readonly strategy: 'sample';
  /** Softmax temperature (> 0). Default 1. */
  readonly temperature?: number;
  /** Keep only the k most likely tokens; 0 keeps all. Default 0. */
  readonly topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p; 1 keeps all. Default 1. */
  readonly topP?: number;
}

/** Beam search, for evaluation only (it has no per-token sampling log-probs to train on). */
export interface BeamDecodingV1 {
  readonly strategy: 'beam';
  /** Number of beams (>= 1). */
  readonly numBeams: number;
  /** Exponent of the length normalisation `score / length^lengthPenalty`. Default 1. */
  readonly lengthPenalty?: number;
}

export type DecodingV1 = GreedyDecodingV1 | SamplingDecodingV1 | BeamDecodingV1;
