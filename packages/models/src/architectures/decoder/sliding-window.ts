import * as tf from '@tensorflow/tfjs-core';
import { maskedScore } from '../../nn/attention';

/**
 * `bias` [B, 1, s, Tk] with a sliding window added: the query at cache column `start + i` sees
 * columns j with j > start + i − window, as transformers' `sliding_window_overlay` masks
 * (kv_idx > q_idx − sliding_window: the last `window` columns, its own included). Columns count
 * left padding as transformers' cache positions do; the same mask holds for a prompt pass and for
 * every decoding step, since the cache keeps every column. `bias` itself when nothing falls out.
 */
export function slidingWindowBias(bias: tf.Tensor4D, start: number, window: number): tf.Tensor4D {
  const [, , steps, keyLength] = bias.shape;
  if (start + steps - 1 - window < 0) return bias;
  const mask = new Float32Array(steps * keyLength);
  for (let i = 0; i < steps; i++) {
    const last = Math.min(start + i - window, keyLength - 1);
    for (let j = 0; j <= last; j++) mask[i * keyLength + j] = maskedScore;
  }
  return tf.add(bias, tf.tensor4d(mask, [1, 1, steps, keyLength]));
}
