import * as tf from '@tensorflow/tfjs-core';

// All inputs are [batch, tokens]; masks are 0/1 float tensors built outside the differentiated
// function (comparisons inside it have no gradients on every backend).

/** Σ x·mask / max(Σ mask, 1). */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(tf.sum(tf.mul(x, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar);
}

/** How a per-token loss over [batch, tokens] becomes one number (see `LossAggregation`). */
export type TokenAggregation = 'token' | 'sequence' | 'constant';

/**
 * Aggregates a per-token loss `x` over the masked tokens: `token` — the mean over all of them;
 * `sequence` — each row's mean, then the mean over rows that have any; `constant` — the sum
 * divided by rows × tokens (Dr. GRPO's constant normaliser, no length bias).
 */
export function aggregateTokens(x: tf.Tensor, mask: tf.Tensor, aggregation: TokenAggregation): tf.Scalar {
  return tf.tidy(() => {
    if (aggregation === 'token') return maskedMean(x, mask);
    if (aggregation === 'constant') return tf.div(tf.sum(tf.mul(x, mask)), mask.size) as tf.Scalar;
    const perRow = tf.sum(mask, 1);
    const rowMeans = tf.div(tf.sum(tf.mul(x, mask), 1), tf.maximum(perRow, 1));
    const rowsWithTokens = tf.sum(tf.minimum(perRow, 1));
    return tf.div(tf.sum(rowMeans), tf.maximum(rowsWithTokens, 1)) as tf.Scalar;
  });
}

/**
 * PPO's clipped surrogate (Schulman et al. 2017), as a loss to minimise:
 *   mean_t max(−A_t·ρ_t, −A_t·clip(ρ_t, 1−ε, 1+ε)),  ρ_t = exp(log πθ − log πθ_old).
 */
export function clippedPolicyLoss(options: {
  logProbs: tf.Tensor;
  oldLogProbs: tf.Tensor;
  advantages: tf.Tensor;
  mask: tf.Tensor;
  clipRange: number;
  /** Default `token` (PPO). */
  aggregation?: TokenAggregation;
}): tf.Scalar {
  return tf.tidy(() => {
    // Padding is zeroed before exp: a huge log-ratio there would give Inf·0 = NaN in the mean.
    const ratio = tf.exp(tf.mul(tf.sub(options.logProbs, options.oldLogProbs), options.mask));
    const advantages = tf.mul(options.advantages, options.mask);
    const unclipped = tf.mul(tf.neg(advantages), ratio);
    const clipped = tf.mul(tf.neg(advantages), tf.clipByValue(ratio, 1 - options.clipRange, 1 + options.clipRange));
    return aggregateTokens(tf.maximum(unclipped, clipped), options.mask, options.aggregation ?? 'token');
  });
}

/**
 * PPO's value loss: 0.5 · mean max((V − R)², (V_clip − R)²) with V_clip = V_old + clip(V − V_old, ±ε_v);
 * ε_v = 0 gives the plain squared error.
 */
export function clippedValueLoss(options: {
  values: tf.Tensor;
  oldValues: tf.Tensor;
  returns: tf.Tensor;
  mask: tf.Tensor;
  clipRange: number;
}): tf.Scalar {
  return tf.tidy(() => {
    const unclipped = tf.square(tf.sub(options.values, options.returns));
    if (options.clipRange <= 0) return tf.mul(maskedMean(unclipped, options.mask), 0.5) as tf.Scalar;
    const delta = tf.clipByValue(tf.sub(options.values, options.oldValues), -options.clipRange, options.clipRange);
    const clipped = tf.square(tf.sub(tf.add(options.oldValues, delta), options.returns));
    return tf.mul(maskedMean(tf.maximum(unclipped, clipped), options.mask), 0.5) as tf.Scalar;
  });
}

/** Negative log-likelihood of reference tokens (the auxiliary MLE loss, weighted by `target_coef`). */
export function mleLoss(logProbs: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(maskedMean(logProbs, mask)) as tf.Scalar);
}

export interface PolicyStatistics {
  /** Share of trained tokens whose ratio left [1−ε, 1+ε]. */
  readonly clipFraction: number;
  /** mean((ρ − 1) − log ρ): the k3 estimate of KL(πθ_old ‖ πθ) used for early stopping. */
  readonly approxKl: number;
}

/** Diagnostics of an update, read on the host (not differentiated). */
export async function policyStatistics(options: {
  logProbs: tf.Tensor;
  oldLogProbs: tf.Tensor;
  mask: tf.Tensor;
  clipRange: number;
}): Promise<PolicyStatistics> {
  const stats = tf.tidy(() => {
    const logRatio = tf.mul(tf.sub(options.logProbs, options.oldLogProbs), options.mask);
    const ratio = tf.exp(logRatio);
    const clipped = tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), options.clipRange), 'float32');
    const approxKl = tf.sub(tf.sub(ratio, 1), logRatio);
    return tf.stack([maskedMean(clipped, options.mask), maskedMean(approxKl, options.mask)]);
  });
  const [clipFraction, approxKl] = await stats.data();
  stats.dispose();
  return { clipFraction, approxKl };
}
