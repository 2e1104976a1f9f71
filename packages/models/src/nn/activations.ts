import * as tf from '@tensorflow/tfjs-core';

const sqrtTwoOverPi = Math.sqrt(2 / Math.PI);

/** GPT-2's `gelu_new`: the tanh approximation `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`. */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), sqrtTwoOverPi);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** The exact GELU `0.5·x·(1 + erf(x/√2))`. */
export function geluExact(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

/** SiLU (swish): `x·sigmoid(x)`. */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

export type ActivationName = 'gelu_new' | 'gelu_pytorch_tanh' | 'gelu' | 'silu' | 'relu';

export const activations: Record<ActivationName, (x: tf.Tensor) => tf.Tensor> = {
  gelu_new: geluTanh,
  gelu_pytorch_tanh: geluTanh,
  gelu: geluExact,
  silu,
  relu: (x) => tf.relu(x),
};

export function isActivationName(name: string): name is ActivationName {
  return Object.hasOwn(activations, name);
}
