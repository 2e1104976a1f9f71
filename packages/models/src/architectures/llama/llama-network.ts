import * as tf from '@tensorflow/tfjs-core';
import { attention } from '../../nn/attention';
import { silu } from '../../nn/activations';
import { linear } from '../../nn/linear';
import { rmsNorm } from '../../nn/norms';
import { applyRotary, createRotaryEmbedding, rotaryAngles, type RotaryEmbedding } from '../../nn/rotary';
import type { WeightMap } from '../../weights/weight-map';
import type { CausalLmNetwork, ForwardInputs, ForwardOutputs } from '../causal-lm';
import { ParameterSet } from '../parameters';
import { tiedEmbedding, untiedEmbedding, type TokenEmbedding } from '../token-embedding';
import type { LlamaConfig } from './llama-config';
import { loadLlamaParameters, saveLlamaParameters } from './llama-weights';

/** `LlamaForCausalLM`: RMSNorm, rotary attention with grouped key/value heads, SwiGLU MLP. */
export class LlamaNetwork implements CausalLmNetwork {
  private readonly parameters: ParameterSet;
  private readonly rotary: RotaryEmbedding;
  private readonly embedding: TokenEmbedding;

  constructor(
    readonly config: LlamaConfig,
    weights: WeightMap,
    options: { readonly trainable: boolean },
  ) {
    this.parameters = new ParameterSet(options.trainable);
    loadLlamaParameters(config, weights, this.parameters);
    this.rotary = createRotaryEmbedding(config.maxPositions, config.headDim, config.ropeTheta);
    this.embedding = config.tieWordEmbeddings
      ? tiedEmbedding(this.parameters.get('head'))
      : untiedEmbedding(this.parameters.get('embed'), this.parameters.get('head'));
  }

  get variables(): readonly tf.Variable[] {
    return this.parameters.list();
  }

  get trainable(): boolean {
    return this.parameters.trainable;
  }

  get parameterCount(): number {
    return this.parameters.count();
  }

  forward(inputs: ForwardInputs): ForwardOutputs {
    const { numHeads, numKvHeads, headDim, rmsNormEps: eps, intermediateSize } = this.config;
    const [batch, steps] = inputs.ids.shape;
    const p = this.parameters;
    const angles = rotaryAngles(this.rotary, inputs.positions);
    let hidden: tf.Tensor = this.embedding.lookup(inputs.ids);
    for (let layer = 0; layer < this.config.numLayers; layer++) {
      const x = rmsNorm(hidden, p.get(`layers.${layer}.inputNorm`), eps);
      const qkv = linear(x, p.get(`layers.${layer}.qkv`));
      // Queries and keys are rotated together: one rotation for both.
      const queryKey = tf.reshape(tf.slice(qkv, [0, 0, 0], [batch, steps, (numHeads + numKvHeads) * headDim]), [
        batch,
        steps,
        numHeads + numKvHeads,
        headDim,
      ]) as tf.Tensor4D;
      const rotated = applyRotary(queryKey, angles, this.rotary.rotateHalf);
      const query = tf.slice(rotated, [0, 0, 0, 0], [batch, steps, numHeads, headDim]);
      const key = tf.slice(rotated, [0, 0, numHeads, 0], [batch, steps, numKvHeads, headDim]);
      const value = tf.reshape(tf.slice(qkv, [0, 0, (numHeads + numKvHeads) * headDim], [batch, steps, numKvHeads * headDim]), [
        batch,
        steps,
        numKvHeads,
        headDim,
      ]) as tf.Tensor4D;
      const slot = inputs.cache && { cache: inputs.cache.cache, layer, start: inputs.cache.start };
      const attended = attention(query, key, value, inputs.bias, slot);
      hidden = tf.add(hidden, linear(attended, p.get(`layers.${layer}.o`)));
      const gateUp = linear(rmsNorm(hidden, p.get(`layers.${layer}.postNorm`), eps), p.get(`layers.${layer}.gateUp`));
      const gate = tf.slice(gateUp, [0, 0, 0], [batch, steps, intermediateSize]);
      const up = tf.slice(gateUp, [0, 0, intermediateSize], [batch, steps, intermediateSize]);
      hidden = tf.add(hidden, linear(tf.mul(silu(gate), up), p.get(`layers.${layer}.down`)));
    }
    const normed = rmsNorm(hidden, p.get('norm'), eps) as tf.Tensor3D;
    const headInput = inputs.lastPositionOnly ? tf.slice(normed, [0, steps - 1, 0], [batch, 1, -1]) : normed;
    return { logits: this.embedding.project(headInput), hidden: normed };
  }

  toWeightMap(): WeightMap {
    return saveLlamaParameters(this.config, this.parameters);
  }

  dispose(): void {
    this.parameters.dispose();
    for (const tensor of [this.rotary.cos, this.rotary.sin, this.rotary.rotateHalf]) tensor.dispose();
  }
}
