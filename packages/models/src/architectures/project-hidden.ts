import * as tf from '@tensorflow/tfjs-core';
import type { ForwardOutputs } from './causal-lm';
import type { TokenEmbedding } from './token-embedding';

/**
 * Final hidden states [B·s, hidden] to the forward pass's outputs: logits of every position, or of
 * each row's last position only (generation, which skips the LM head product for the rest).
 */
export function projectHidden(embedding: TokenEmbedding, normed: tf.Tensor2D, batch: number, steps: number, hiddenSize: number, lastPositionOnly = false): ForwardOutputs {
  const hidden = tf.reshape(normed, [batch, steps, hiddenSize]) as tf.Tensor3D;
  if (lastPositionOnly) {
    const last = steps === 1 ? normed : (tf.reshape(tf.slice(hidden, [0, steps - 1, 0], [batch, 1, hiddenSize]), [batch, hiddenSize]) as tf.Tensor2D);
    return { logits: tf.reshape(embedding.project(last), [batch, 1, -1]) as tf.Tensor3D, hidden };
  }
  return { logits: tf.reshape(embedding.project(normed), [batch, steps, -1]) as tf.Tensor3D, hidden };
}
