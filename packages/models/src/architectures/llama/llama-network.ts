import * as tf from '@tensorflow/tfjs-core';
import { attention } from '../../nn/attention';
import { silu } from '../../nn/activations';
import { linear } from '../../nn/linear';
import { rmsNorm } from '../../nn/norms';
import { applyRotary, createRotaryEmbedding, rotaryAngles, type RotaryEmbedding } from '../../nn/rotary';
import type { WeightMap } from '../../weights/weight-map';
import type { CausalLmNetwork, ForwardInputs, ForwardOutputs } from '../causal-lm';
import { projectHidden } from '../project-hidden';
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
    const { numHeads, numKvHeads, headDim, rmsNormEps: eps, intermediateSize, hiddenSize } = this.config;
    const [batch, steps] = inputs.ids.shape;
    const rows = batch * steps;
    const p = this.parameters;
    const queryKeyWidth = (numHeads + numKvHeads) * headDim;
    const angles = rotaryAngles(this.rotary, inputs.positions);
    // Activations stay 2-D [B·s, features] between attention calls: wasm slices 2-D tensors
    // several times faster than 3-D ones, and products need 2-D operands anyway.
    let hidden: tf.Tensor2D = this.embedding.lookup(inputs.ids);
    for (let layer = 0; layer < this.config.numLayers; layer++) {
      const x = rmsNorm(hidden, p.get(`layers.${layer}.inputNorm`), eps);
      const qkv = linear(x, p.get(`layers.${layer}.qkv`)) as tf.Tensor2D;
      // Queries and keys are rotated together: one rotation for both.
      const queryKey = tf.reshape(tf.slice(qkv, [0, 0], [rows, queryKeyWidth]), [batch, steps, numHeads + numKvHeads, headDim]) as tf.Tensor4D;
      const rotated = tf.reshape(applyRotary(queryKey, angles, this.rotary.rotateHalf), [rows, queryKeyWidth]);
      const query = tf.reshape(tf.slice(rotated, [0, 0], [rows, numHeads * headDim]), [batch, steps, numHeads, headDim]) as tf.Tensor4D;
      const key = tf.reshape(tf.slice(rotated, [0, numHeads * headDim], [rows, numKvHeads * headDim]), [batch, steps, numKvHeads, headDim]) as tf.Tensor4D;
      const value = tf.reshape(tf.slice(qkv, [0, queryKeyWidth], [rows, numKvHeads * headDim]), [batch, steps, numKvHeads, headDim]) as tf.Tensor4D;
      const slot = inputs.cache && { cache: inputs.cache.cache, layer, start: inputs.cache.start };
      const attended = tf.reshape(attention(query, key, value, inputs.bias, slot), [rows, numHeads * headDim]);
      hidden = tf.add(hidden, linear(attended, p.get(`layers.${layer}.o`)));
      const gateUp = linear(rmsNorm(hidden, p.get(`layers.${layer}.postNorm`), eps), p.get(`layers.${layer}.gateUp`)) as tf.Tensor2D;
      const gate = tf.slice(gateUp, [0, 0], [rows, intermediateSize]);
      const up = tf.slice(gateUp, [0, intermediateSize], [rows, intermediateSize]);
      hidden = tf.add(hidden, linear(tf.mul(silu(gate), up), p.get(`layers.${layer}.down`)));
    }
    const normed = rmsNorm(hidden, p.get('norm'), eps) as tf.Tensor2D;
    return projectHidden(this.embedding, normed, batch, steps, hiddenSize, inputs.lastPositionOnly);
  }

  toWeightMap(): WeightMap {
    return saveLlamaParameters(this.config, this.parameters);
  }

  dispose(): void {
    this.parameters.dispose();
    for (const tensor of [this.rotary.cos, this.rotary.sin, this.rotary.rotateHalf]) tensor.dispose();
  }
}
