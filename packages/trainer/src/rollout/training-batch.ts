import type { SequenceLayout } from './sequence-layout';

/**
 * Everything the PPO update needs about an iteration's samples, as host arrays of
 * [samples][T] aligned with the generation columns of `layout`.
 */
export interface TrainingBatch {
  readonly layout: SequenceLayout;
  readonly oldLogProbs: number[][];
  readonly oldValues: number[][];
  readonly advantages: number[][];
  readonly returns: number[][];
  readonly policyMask: number[][];
  readonly valueMask: number[][];
  /** Prompt + reference continuation per sample, for the auxiliary MLE loss. */
  readonly references: { readonly layout: SequenceLayout; readonly mask: number[][] };
}
