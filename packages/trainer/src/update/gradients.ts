import * as tf from '@tensorflow/tfjs-core';

/**
 * Scales gradients so their global L2 norm is at most `maxNorm` (0: no clipping), as PyTorch's
 * `clip_grad_norm_`. Returns the clipped gradients and the norm before clipping, both on device:
 * the caller reads the norm with the loss in one host sync.
 */
export function clipByGlobalNorm(gradients: readonly tf.Tensor[], maxNorm: number): { gradients: tf.Tensor[]; norm: tf.Scalar } {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(gradients.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
    if (maxNorm <= 0) return { gradients: gradients.map((g) => g.clone()), norm };
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    return { gradients: gradients.map((g) => tf.mul(g, scale)), norm };
  });
}

/** Learning rate at optimizer step `step` of `total`: constant, or linear decay to 0. */
export function learningRateAt(schedule: 'constant' | 'linear', base: number, step: number, total: number): number {
  if (schedule === 'constant' || total <= 0) return base;
  return base * Math.max(0, 1 - step / total);
}
