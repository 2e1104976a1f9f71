import * as tf from '@tensorflow/tfjs-core';

/**
 * Per row of logits z [N, V] and target t [N]: [log p_t, H] with p = softmax(z) and
 * H = −Σ p log p, as one op with a hand-written gradient:
 *   ∂ log p_t / ∂z = onehot(t) − p,   ∂H / ∂z = −p ⊙ (log p + H).
 * Only the logits and their log-normaliser are kept for the backward pass, and temporaries are
 * freed as soon as they are used: with a 50k vocabulary every [N, V] tensor is hundreds of MB
 * (the wasm heap stops at 4 GB). Works on every backend: the target column is read with a
 * forward-only gather and written back with a one-hot product.
 */
const logProbAndEntropy = tf.customGrad(((logits: tf.Tensor2D, targets: tf.Tensor1D, save: tf.GradSaveFunc) => {
  const [rows, vocab] = logits.shape;
  const logNormaliser = tf.logSumExp(logits, 1, true);
  const logDistribution = tf.sub(logits, logNormaliser);
  const probabilities = tf.exp(logDistribution);
  const weighted = tf.mul(probabilities, logDistribution);
  probabilities.dispose();
  const entropy = tf.neg(tf.sum(weighted, 1, true));
  weighted.dispose();
  const flatIndex = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(vocab, 'int32')), targets);
  const picked = tf.reshape(tf.gather(tf.reshape(logDistribution, [rows * vocab]), flatIndex), [rows, 1]);
  logDistribution.dispose();
  save([logits, logNormaliser, entropy, targets]);
  return {
    value: tf.concat([picked, entropy], 1),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedLogits, savedNormaliser, savedEntropy, savedTargets] = saved;
      const dLogProb = tf.slice(dy, [0, 0], [rows, 1]);
      const dEntropy = tf.slice(dy, [0, 1], [rows, 1]);
      const logP = tf.sub(savedLogits, savedNormaliser);
      const shifted = tf.add(logP, savedEntropy);
      const scaled = tf.mul(shifted, dEntropy);
      shifted.dispose();
      const inner = tf.add(scaled, dLogProb);
      scaled.dispose();
      const p = tf.exp(logP);
      logP.dispose();
      const spread = tf.mul(p, inner);
      p.dispose();
      inner.dispose();
      // An int32 one-hot, cast: wasm's OneHot writes integer bits into a float32 output.
      const targetInt = tf.oneHot(savedTargets as tf.Tensor1D, vocab);
      const target = tf.cast(targetInt, 'float32');
      targetInt.dispose();
      const atTarget = tf.mul(target, dLogProb);
      target.dispose();
      const gradient = tf.sub(atTarget, spread);
      atTarget.dispose();
      spread.dispose();
      return [gradient, tf.zerosLike(savedTargets)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (logits: tf.Tensor2D, targets: tf.Tensor1D) => tf.Tensor2D;

/**
 * Log-probabilities of `targets` and entropies of the distributions, per position, from logits
 * [B, T, V] and int32 targets [B, T]. Differentiable on every backend.
 */
export function tokenLogProbs(logits: tf.Tensor3D, targets: tf.Tensor2D): { logProbs: tf.Tensor2D; entropies: tf.Tensor2D } {
  const [batch, steps, vocab] = logits.shape;
  const both = logProbAndEntropy(tf.reshape(logits, [batch * steps, vocab]), tf.reshape(targets, [batch * steps]));
  return {
    logProbs: tf.reshape(tf.slice(both, [0, 0], [batch * steps, 1]), [batch, steps]),
    entropies: tf.reshape(tf.slice(both, [0, 1], [batch * steps, 1]), [batch, steps]),
  };
}
