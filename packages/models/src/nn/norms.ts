import * as tf from '@tensorflow/tfjs-core';

export { rmsNorm } from './fused-ops';

/** LayerNorm over the last axis with a learned scale and shift (biased variance, as PyTorch). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}
