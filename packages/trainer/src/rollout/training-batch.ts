import type { ContinuationRow } from '@rlgf/models';

/**
 * Everything the PPO update needs about an iteration's samples, as host arrays of
 * [samples][T]: column j belongs to generated token j of `rows[i]`.
 */
export interface TrainingBatch {
  /** Prompt and generated tokens per sample. */
  readonly rows: readonly ContinuationRow[];
  /** Generation length T (columns of every per-token array). */
  readonly width: number;
  readonly oldLogProbs: number[][];
  /** log πref of each token, for a KL term in the loss (GRPO). */
  readonly referenceLogProbs: number[][];
  readonly oldValues: number[][];
  readonly advantages: number[][];
  readonly returns: number[][];
  readonly policyMask: number[][];
  readonly valueMask: number[][];
  /** Prompt + reference continuation per sample for the auxiliary MLE loss, and its token mask. */
  readonly references: { readonly rows: readonly ContinuationRow[]; readonly mask: number[][] };
}
