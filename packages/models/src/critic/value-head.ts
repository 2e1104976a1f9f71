import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@rlgf/core';
import { readFloat32 } from '../backend/read-float32';
import { copyVariable } from '../nn/copy-variable';
import { linear } from '../nn/linear';
import type { HostTensor } from '../weights/weight-map';

/** How a fresh value head starts: all zeros, or normal with a small standard deviation. */
export type ValueHeadInit = { readonly kind: 'zeros' } | { readonly kind: 'normal'; readonly std: number; readonly seed: number };

/** Names of the head's weights when saved (TRL's `AutoModelForCausalLMWithValueHead`). */
export const valueHeadWeightNames = { weight: 'v_head.summary.weight', bias: 'v_head.summary.bias' } as const;

function normalSamples(count: number, std: number, seed: number): Float32Array {
  const rng = Rng.fromSeed(seed, 'value-head');
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    // Box-Muller; 1 - u keeps the logarithm finite.
    values[i] = std * Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  }
  return values;
}

/** A scalar value per position: `hidden @ w + b` over the trunk's final hidden states. */
export class ValueHead {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(hiddenSize: number, init: ValueHeadInit | { readonly weight: HostTensor; readonly bias: HostTensor } | { readonly copyOf: ValueHead }) {
    if ('copyOf' in init) {
      // Copied on the device (a critic started from another's trained head).
      this.weight = copyVariable(init.copyOf.weight, true);
      this.bias = copyVariable(init.copyOf.bias, true);
      return;
    }
    const weight = 'weight' in init ? init.weight.data : init.kind === 'zeros' ? new Float32Array(hiddenSize) : normalSamples(hiddenSize, init.std, init.seed);
    const bias = 'bias' in init ? init.bias.data : new Float32Array(1);
    // Stored [hidden, 1] (the layout the product wants); saved as PyTorch's [1, hidden].
    this.weight = tf.tidy(() => tf.variable(tf.tensor2d(weight, [hiddenSize, 1])));
    this.bias = tf.tidy(() => tf.variable(tf.tensor1d(bias)));
  }

  get variables(): tf.Variable[] {
    return [this.weight, this.bias];
  }

  /** Values [B, T] of hidden states [B, T, hidden]. */
  values(hidden: tf.Tensor3D): tf.Tensor2D {
    const [batch, steps] = hidden.shape;
    return tf.reshape(linear(hidden, this.weight as tf.Variable<tf.Rank.R2>, this.bias as tf.Variable<tf.Rank.R1>), [batch, steps]);
  }

  /** The head's weights under TRL's names, read asynchronously (webgpu has no synchronous read). */
  async getWeights(): Promise<Map<string, HostTensor>> {
    const [hiddenSize] = this.weight.shape;
    const [weight, bias] = await Promise.all([readFloat32(this.weight), readFloat32(this.bias)]);
    return new Map([
      [valueHeadWeightNames.weight, { shape: [1, hiddenSize], data: weight }],
      [valueHeadWeightNames.bias, { shape: [1], data: bias }],
    ]);
  }

  dispose(): void {
    this.weight.dispose();
    this.bias.dispose();
  }
}
