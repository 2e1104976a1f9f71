import type { WarningV1 } from '../../shared/v1/warning-v1';

export interface RewardSampleV1 {
  readonly prompt: string;
  /** The generated text (decoded without special tokens). */
  readonly generation: string;
  /** The task's references for this prompt (may be empty for reference-free rewards). */
  readonly references: readonly string[];
  /** Policy token ids of the generation, for per-token rewards. */
  readonly generationIds?: readonly number[];
  /** The task sample's `meta`. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface RewardScoreOptionsV1 {
  readonly samples: readonly RewardSampleV1[];
  readonly abortSignal?: AbortSignal;
}

export interface RewardScoreResultV1 {
  /** One scalar per sample: the terminal reward, or the sum of the per-token rewards. */
  readonly scores: readonly number[];
  /**
   * Per-token rewards aligned with `generationIds`, only from `token` rewards. The trainer adds
   * them to the per-token KL penalty instead of putting `scores` on the last token.
   */
  readonly tokenScores?: readonly (readonly number[])[];
  readonly warnings: readonly WarningV1[];
}

/**
 * A reward: a classifier's probability, a metric against references, a learned reward model, or
 * any function of the text. Batched, because most rewards run a model.
 */
export interface RewardFunctionV1 {
  readonly specificationVersion: 'v1';
  readonly id: string;
  /** `terminal`: one score on the last generated token. `token`: a score per generated token. */
  readonly granularity: 'terminal' | 'token';
  doScore(options: RewardScoreOptionsV1): Promise<RewardScoreResultV1>;
  close?(): Promise<void>;
}
