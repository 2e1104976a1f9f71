import * as tf from '@tensorflow/tfjs-core';
import { linear } from './linear';

/**
 * Cosine and sine tables of rotary embeddings for positions [0, maxPositions), each
 * [maxPositions, headDim], in Hugging Face's rotate-half layout (the frequencies repeated for the
 * two halves). Computed in float32 steps like `LlamaRotaryEmbedding` and llama2.c, so the angles
 * round the same way.
 */
export function rotaryTables(maxPositions: number, headDim: number, theta: number): { cos: Float32Array; sin: Float32Array } {
  const half = headDim / 2;
  const inverseFrequencies = new Float32Array(half);
  for (let i = 0; i < half; i++) {
    inverseFrequencies[i] = Math.fround(1 / Math.fround(Math.pow(theta, Math.fround((2 * i) / headDim))));
  }
  const cos = new Float32Array(maxPositions * headDim);
  const sin = new Float32Array(maxPositions * headDim);
  for (let position = 0; position < maxPositions; position++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(position * inverseFrequencies[i]);
      const row = position * headDim;
      cos[row + i] = cos[row + i + half] = Math.cos(angle);
      sin[row + i] = sin[row + i + half] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

/**
 * The [headDim, headDim] matrix R with `x @ R = rotate_half(x) = concat(-x2, x1)`: one 2-D product
 * instead of two slices, a negation and a concat per call.
 */
export function rotateHalfMatrix(headDim: number): Float32Array {
  const half = headDim / 2;
  const matrix = new Float32Array(headDim * headDim);
  for (let j = 0; j < half; j++) {
    matrix[(j + half) * headDim + j] = -1;
    matrix[j * headDim + j + half] = 1;
  }
  return matrix;
}

/** Device-side rotary tables of one model. */
export interface RotaryEmbedding {
  readonly cos: tf.Tensor2D;
  readonly sin: tf.Tensor2D;
  readonly rotateHalf: tf.Tensor2D;
}

export function createRotaryEmbedding(maxPositions: number, headDim: number, theta: number): RotaryEmbedding {
  const { cos, sin } = rotaryTables(maxPositions, headDim, theta);
  return {
    cos: tf.tensor2d(cos, [maxPositions, headDim]),
    sin: tf.tensor2d(sin, [maxPositions, headDim]),
    rotateHalf: tf.tensor2d(rotateHalfMatrix(headDim), [headDim, headDim]),
  };
}

/** cos/sin rows for `positions` [B, s], shaped [B, s, 1, headDim] to broadcast over heads. */
export function rotaryAngles(rotary: RotaryEmbedding, positions: tf.Tensor2D): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const [batch, steps] = positions.shape;
  const headDim = rotary.cos.shape[1];
  const flat = tf.reshape(positions, [batch * steps]);
  return {
    cos: tf.reshape(tf.gather(rotary.cos, flat), [batch, steps, 1, headDim]),
    sin: tf.reshape(tf.gather(rotary.sin, flat), [batch, steps, 1, headDim]),
  };
}

/** Applies the rotation to `x` [B, s, heads, headDim]: `x·cos + rotate_half(x)·sin`. */
export function applyRotary(x: tf.Tensor4D, angles: { cos: tf.Tensor4D; sin: tf.Tensor4D }, rotateHalf: tf.Tensor2D): tf.Tensor4D {
  const headDim = x.shape[3];
  const rotated = tf.reshape(linear(tf.reshape(x, [x.size / headDim, headDim]), rotateHalf), x.shape);
  return tf.add(tf.mul(x, angles.cos), tf.mul(rotated, angles.sin));
}
