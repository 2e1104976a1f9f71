import * as tf from '@tensorflow/tfjs-core';

/**
 * A new variable with `variable`'s values, made on the device with no host round trip (webgpu
 * under Node has no synchronous read). It starts on the same buffer: tfjs counts references, and
 * `assign` (the optimizers' only write) swaps a variable's buffer instead of writing into it, so
 * training either variable leaves the other unchanged.
 */
export function copyVariable(variable: tf.Variable, trainable: boolean): tf.Variable {
  return tf.variable(variable, trainable);
}
