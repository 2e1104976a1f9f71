import * as tf from '@tensorflow/tfjs-core';

/** Splits a [B·s, heads·headDim] projection into heads: [B, heads, s, headDim]. */
export function splitHeads(x: tf.Tensor2D, batch: number, steps: number, heads: number, headDim: number): tf.Tensor4D {
  const perRow = tf.reshape(x, [batch, steps, heads, headDim]);
  return (steps === 1 ? tf.reshape(perRow, [batch, heads, 1, headDim]) : tf.transpose(perRow, [0, 2, 1, 3])) as tf.Tensor4D;
}

/**
 * T5 attention: softmax(q·kᵀ + bias)·v with no 1/√headDim scaling (T5 folds it into the
 * initialisation of q). `query` [B, heads, s, headDim]; `keys`/`values` [B, heads, Tk, headDim];
 * `bias` broadcasts to [B, heads, s, Tk] and holds the relative positions and the masks.
 * Returns [B·s, heads·headDim], the input of the output projection.
 */
export function t5Attention(query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, bias: tf.Tensor4D): tf.Tensor2D {
  const [batch, heads, steps, headDim] = query.shape;
  const weights = tf.softmax(tf.add(tf.matMul(query, keys, false, true), bias));
  const mixed = tf.matMul(weights, values);
  const perRow = steps === 1 ? mixed : tf.transpose(mixed, [0, 2, 1, 3]);
  return tf.reshape(perRow, [batch * steps, heads * headDim]) as tf.Tensor2D;
}
