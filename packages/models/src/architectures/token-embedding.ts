import * as tf from '@tensorflow/tfjs-core';
import { linear } from '../nn/linear';

/**
 * Token embedding and LM head. With tied weights a single variable is kept in the head's
 * [hidden, vocab] layout, because the head's product runs every decoding step and wasm
 * multiplies an untransposed right operand much faster; lookups gather its columns instead.
 */
export interface TokenEmbedding {
  /** Embeddings of `ids` [B, s] (int32), one row per token: [B·s, hidden]. */
  lookup(ids: tf.Tensor2D): tf.Tensor2D;
  /** Logits of `hidden` [rows, hidden]: [rows, vocab]. */
  project(hidden: tf.Tensor2D): tf.Tensor2D;
}

export function tiedEmbedding(headWeight: tf.Variable): TokenEmbedding {
  return {
    lookup: (ids) => tf.transpose(tf.gather(headWeight, tf.reshape(ids, [ids.size]), 1)) as tf.Tensor2D,
    project: (hidden) => linear(hidden, headWeight as tf.Variable<tf.Rank.R2>) as tf.Tensor2D,
  };
}

export function untiedEmbedding(embedWeight: tf.Variable, headWeight: tf.Variable): TokenEmbedding {
  return {
    lookup: (ids) => tf.gather(embedWeight, tf.reshape(ids, [ids.size])) as tf.Tensor2D,
    project: (hidden) => linear(hidden, headWeight as tf.Variable<tf.Rank.R2>) as tf.Tensor2D,
  };
}
