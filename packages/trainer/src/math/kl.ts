import * as tf from '@tensorflow/tfjs-core';

export type KlEstimator = 'k1' | 'k2' | 'k3';

/**
 * Per-token estimate of KL(πθ ‖ πref) from the sampled token's log-probs (Schulman, "Approximating
 * KL divergence", 2020): k1 = log πθ − log πref (unbiased, can be negative); k2 = ½(log r)² (biased,
 * low variance, its gradient is that of the true KL near πref); k3 = (r − 1) − log r with
 * r = πref/πθ (unbiased, never negative, lower variance).
 */
export function klPerToken(policyLogProb: number, referenceLogProb: number, estimator: KlEstimator): number {
  const logRatio = referenceLogProb - policyLogProb;
  if (estimator === 'k1') return -logRatio;
  if (estimator === 'k2') return 0.5 * logRatio * logRatio;
  return Math.expm1(logRatio) - logRatio;
}

/** {@link klPerToken} on tensors, differentiable in `policyLogProbs` (GRPO's KL loss term). */
export function klPerTokenTensor(policyLogProbs: tf.Tensor, referenceLogProbs: tf.Tensor, estimator: KlEstimator): tf.Tensor {
  return tf.tidy(() => {
    const logRatio = tf.sub(referenceLogProbs, policyLogProbs);
    if (estimator === 'k1') return tf.neg(logRatio);
    if (estimator === 'k2') return tf.mul(0.5, tf.square(logRatio));
    return tf.sub(tf.sub(tf.exp(logRatio), 1), logRatio);
  });
}
