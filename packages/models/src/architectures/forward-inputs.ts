import * as tf from '@tensorflow/tfjs-core';
import { attentionBias, positionsFromMask } from '../nn/masks';
import type { ForwardInputs } from './causal-lm';

/**
 * Tensors for a full-sequence forward pass (training, scoring, generation without cache) of
 * equal-length rows; `mask` marks real tokens (1) and padding (0), default all real. Create it
 * inside a `tf.tidy` or dispose `ids`, `positions` and `bias` yourself.
 */
export function sequenceInputs(ids: readonly (readonly number[])[], mask?: readonly (readonly number[])[]): ForwardInputs {
  const batch = ids.length;
  const steps = ids[0]?.length ?? 0;
  const validity = mask ?? ids.map((row) => row.map(() => 1));
  const positions = positionsFromMask(validity);
  return {
    ids: tf.tensor2d(ids.flat(), [batch, steps], 'int32'),
    positions: tf.tensor2d(
      positions.flatMap((row) => Array.from(row)),
      [batch, steps],
      'int32',
    ),
    bias: tf.tensor4d(attentionBias(validity, 0, steps, steps), [batch, 1, steps, steps]),
  };
}
