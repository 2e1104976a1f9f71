import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@rlgf/contracts';
import type { ForwardInputs } from '../architectures/causal-lm';
import { sequenceInputs } from '../architectures/forward-inputs';

/**
 * Device tensors for scoring or training on whole sequences (prompt + continuation) of equal
 * length, built outside any differentiated function (masks cannot be built inside one on wasm).
 */
export interface SequenceBatch {
  readonly inputs: ForwardInputs;
  /**
   * Next-token targets: ids shifted left, int32 [B, T]. Position t holds x_{t+1}; the last
   * position has nothing to predict (0, masked), so every per-token quantity is [B, T] and lines
   * up with hidden states and values.
   */
  readonly targets: tf.Tensor2D;
  /**
   * 1 where both the target and the position predicting it are real tokens, float32 [B, T]
   * (a left-padded row's first token is predicted from padding: not a real prediction).
   */
  readonly targetMask: tf.Tensor2D;
  dispose(): void;
}

/** Builds a {@link SequenceBatch}; `mask` marks real tokens (1) and padding (0), default all 1. */
export function createSequenceBatch(ids: readonly (readonly number[])[], mask?: readonly (readonly number[])[]): SequenceBatch {
  const length = ids[0]?.length ?? 0;
  if (ids.length === 0 || length < 2 || ids.some((row) => row.length !== length)) {
    throw new InvalidArgumentError({ argument: 'ids', value: ids.map((row) => row.length), expected: 'one or more rows of one common length >= 2', hint: 'pad the rows to a common length and pass a mask' });
  }
  if (mask !== undefined && (mask.length !== ids.length || mask.some((row) => row.length !== length))) {
    throw new InvalidArgumentError({ argument: 'mask', value: mask.map((row) => row.length), expected: `the shape of ids (${ids.length} x ${length})` });
  }
  const validity = mask ?? ids.map((row) => row.map(() => 1));
  const inputs = sequenceInputs(ids, validity);
  const targets = tf.tensor2d(
    ids.flatMap((row) => [...row.slice(1), 0]),
    [ids.length, length],
    'int32',
  );
  const targetMask = tf.tensor2d(
    validity.flatMap((row) => [...row.slice(1).map((valid, j) => (valid !== 0 && row[j] !== 0 ? 1 : 0)), 0]),
    [ids.length, length],
    'float32',
  );
  return {
    inputs,
    targets,
    targetMask,
    dispose() {
      for (const tensor of [inputs.ids, inputs.positions, inputs.bias, targets, targetMask]) tensor.dispose();
    },
  };
}
