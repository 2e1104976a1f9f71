import * as tf from '@tensorflow/tfjs-core';
import { linear } from '../nn/linear';

/**
 * Token embedding and LM head. With tied weights a single variable is kept in the head's
 * [hidden, vocab] layout, because the head's product runs every decoding step and wasm
 * multiplies an untransposed right operand much faster; lookups gather its columns instead.
 */
export interface TokenEmbedding {
  /** Embeddings of `ids` [B, s] (int32): [B, s, hidden]. */
  lookup(ids: tf.Tensor2D): tf.Tensor3D;
  /** Logits of `hidden` [B, s, hidden]: [B, s, vocab]. */
  project(hidden: tf.Tensor3D): tf.Tensor3D;
}

export function tiedEmbedding(headWeight: tf.Variable): TokenEmbedding {
  const [hiddenSize] = headWeight.shape;
  return {
    lookup(ids) {
      const [batch, steps] = ids.shape;
      const columns = tf.gather(headWeight, tf.reshape(ids, [batch * steps]), 1);
      return tf.reshape(tf.transpose(columns), [batch, steps, hiddenSize]);
    },
    project: (hidden) => linear(hidden, headWeight as tf.Variable<tf.Rank.R2>) as tf.Tensor3D,
  };
}

export function untiedEmbedding(embedWeight: tf.Variable, headWeight: tf.Variable): TokenEmbedding {
  const [, hiddenSize] = embedWeight.shape;
  return {
    lookup(ids) {
      const [batch, steps] = ids.shape;
      return tf.reshape(tf.gather(embedWeight, tf.reshape(ids, [batch * steps])), [batch, steps, hiddenSize]);
    },
    project: (hidden) => linear(hidden, headWeight as tf.Variable<tf.Rank.R2>) as tf.Tensor3D,
  };
}
