import type * as tf from '@tensorflow/tfjs-core';
import type { CausalLmNetwork } from '../architectures/causal-lm';
import type { SequenceBatch } from './sequence-batch';
import { tokenLogProbs } from './token-log-probs';

/** Differentiable per-token quantities of a {@link SequenceBatch}. */
export interface SequenceScores {
  /** log π(x_{t+1} | x_≤t), [B, T]; multiply by `batch.targetMask` before reducing. */
  readonly logProbs: tf.Tensor2D;
  /** Entropy of π(· | x_≤t), [B, T]. */
  readonly entropies: tf.Tensor2D;
  /** Final hidden states [B, T, hidden] (for a value head on the shared trunk). */
  readonly hidden: tf.Tensor3D;
  /** Logits [B, T, V]. */
  readonly logits: tf.Tensor3D;
}

/**
 * One batched forward pass over whole sequences, usable inside `tf.variableGrads` or
 * `optimizer.minimize` (the PPO policy loss).
 */
export function scoreSequences(network: CausalLmNetwork, batch: SequenceBatch): SequenceScores {
  const { logits, hidden } = network.forward(batch.inputs);
  const { logProbs, entropies } = tokenLogProbs(logits, batch.targets);
  return { logProbs, entropies, hidden, logits };
}
