import * as tf from '@tensorflow/tfjs-core';

/**
 * Log-probabilities of `targets` and entropies of the distributions, per position, from logits
 * [B, T, V] and int32 targets [B, T]. Differentiable on every backend: the target column is
 * picked with a one-hot product (wasm has no gradient for gather-based selection).
 */
export function tokenLogProbs(logits: tf.Tensor3D, targets: tf.Tensor2D): { logProbs: tf.Tensor2D; entropies: tf.Tensor2D } {
  const vocab = logits.shape[2];
  const logDistribution = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(tf.oneHot(targets, vocab), logDistribution), -1) as tf.Tensor2D;
  const entropies = tf.neg(tf.sum(tf.mul(tf.exp(logDistribution), logDistribution), -1)) as tf.Tensor2D;
  return { logProbs: picked, entropies };
}
