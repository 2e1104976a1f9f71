import * as tf from '@tensorflow/tfjs-core';
import { recordingGradients } from './linear';

const sqrtTwoOverPi = Math.sqrt(2 / Math.PI);

function tanhArgument(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), sqrtTwoOverPi);
}

/**
 * GPT-2's `gelu_new`: the tanh approximation `0.5·x·(1 + tanh(u))`, u = √(2/π)·(x + 0.044715·x³).
 * Its gradient is written out so that only x is kept for the backward pass (autodiff would keep
 * eight MLP-wide intermediates per layer):
 *   d/dx = 0.5·(1 + tanh u) + 0.5·x·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·x²).
 */
const geluTanhWithGradient = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(tanhArgument(x)), 1))),
    gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) =>
      tf.tidy(() => {
        const t = tf.tanh(tanhArgument(saved));
        const slope = tf.mul(tf.add(tf.mul(tf.mul(saved, saved), 3 * 0.044715), 1), sqrtTwoOverPi);
        const derivative = tf.add(tf.mul(tf.add(t, 1), 0.5), tf.mul(tf.mul(tf.mul(saved, 0.5), tf.sub(1, tf.square(t))), slope));
        return [tf.mul(dy, derivative)];
      }),
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;

/** `gelu_new`; the custom gradient only while a tape records (it costs a scope per call). */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  if (recordingGradients()) return geluTanhWithGradient(x);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(tanhArgument(x)), 1));
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
