import * as tf from '@tensorflow/tfjs-core';
import { rmsNorm } from '../../nn/norms';
import { rotaryAngles, type RotaryEmbedding } from '../../nn/rotary';
import type { WeightMap } from '../../weights/weight-map';
import type { CausalLmNetwork, ForwardInputs, ForwardOutputs } from '../causal-lm';
import { projectHidden } from '../project-hidden';
import { createRopeEmbedding, inverseFrequencies } from '../rope';
import { ParameterSet } from '../parameters';
import { tiedEmbedding, untiedEmbedding, type TokenEmbedding } from '../token-embedding';
import type { LlamaConfig } from './llama-config';
import { llamaLayer, type LlamaLayerWeights } from './llama-layer';
import { llamaStep, llamaStepWeights, type LlamaStepWeights } from './llama-step';
import { llamaLoraSites, loadLlamaParameters, saveLlamaParameters } from './llama-weights';
import type { LoraSite } from '../../lora/lora-site';

/** `LlamaForCausalLM`: RMSNorm, rotary attention with grouped key/value heads, SwiGLU MLP. */
export class LlamaNetwork implements CausalLmNetwork {
  private readonly parameters: ParameterSet;
  private readonly rotary: RotaryEmbedding;
  private readonly embedding: TokenEmbedding;
  /** The whole-step kernel's weight inputs, named once (the variables never change identity). */
  private stepWeights?: LlamaStepWeights;

  constructor(
    readonly config: LlamaConfig,
    /** Weights to load, or the parameters of a copy made on the device (see `copy`). */
    source: WeightMap | ParameterSet,
    options: { readonly trainable: boolean },
  ) {
    if (source instanceof ParameterSet) {
      this.parameters = source;
    } else {
      this.parameters = new ParameterSet(options.trainable);
      loadLlamaParameters(config, source, this.parameters);
    }
    this.rotary = createRopeEmbedding(config.maxPositions, config.headDim, inverseFrequencies(config.headDim, config.ropeTheta, config.ropeScaling));
    this.embedding = config.tieWordEmbeddings
      ? tiedEmbedding(this.parameters.get('head'))
      : untiedEmbedding(this.parameters.get('embed'), this.parameters.get('head'));
  }

  get variables(): readonly tf.Variable[] {
    return this.parameters.list();
  }

  get hiddenStateVariables(): readonly tf.Variable[] {
    if (this.config.tieWordEmbeddings) return this.parameters.list();
    const head = this.parameters.get('head');
    return this.parameters.list().filter((variable) => variable !== head);
  }

  get trainable(): boolean {
    return this.parameters.trainable;
  }

  get parameterCount(): number {
    return this.parameters.count();
  }

  forward(inputs: ForwardInputs): ForwardOutputs {
    const { rmsNormEps: eps, hiddenSize } = this.config;
    const [batch, steps] = inputs.ids.shape;
    const p = this.parameters;
    this.stepWeights ??= llamaStepWeights((name) => p.get(name), this.config);
    const wholeStep = llamaStep(inputs, this.stepWeights, this.config, this.rotary);
    if (wholeStep !== undefined) return wholeStep;
    let angles: { cos: tf.Tensor4D; sin: tf.Tensor4D } | undefined;
    const rotary = { embedding: this.rotary, angles: () => (angles ??= rotaryAngles(this.rotary, inputs.positions)) };
    // Activations stay 2-D [B·s, features] between attention calls: wasm slices 2-D tensors
    // several times faster than 3-D ones, and products need 2-D operands anyway.
    let hidden: tf.Tensor2D = this.embedding.lookup(inputs.ids);
    for (let layer = 0; layer < this.config.numLayers; layer++) {
      const weight = (name: string) => p.get(`layers.${layer}.${name}`);
      hidden = llamaLayer({
        hidden,
        weights: { inputNorm: weight('inputNorm'), qkv: weight('qkv'), o: weight('o'), postNorm: weight('postNorm'), gateUp: weight('gateUp'), down: weight('down') } as LlamaLayerWeights,
        config: this.config,
        batch,
        steps,
        rotary,
        positions: inputs.positions,
        bias: inputs.bias,
        slot: inputs.cache && { cache: inputs.cache.cache, layer, start: inputs.cache.start },
      });
    }
    const normed = rmsNorm(hidden, p.get('norm'), eps) as tf.Tensor2D;
    return projectHidden(this.embedding, normed, batch, steps, hiddenSize, inputs.lastPositionOnly);
  }

  async toWeightMap(): Promise<WeightMap> {
    return saveLlamaParameters(this.config, await this.parameters.readAll());
  }

  /** An independent network with this one's weights, copied on the device (no host round trip). */
  copy(options: { readonly trainable: boolean }): LlamaNetwork {
    return new LlamaNetwork(this.config, this.parameters.copy(options.trainable), options);
  }

  loraSites(): LoraSite[] {
    return llamaLoraSites(this.config, this.parameters);
  }

  dispose(): void {
    this.stepWeights = undefined;
    this.parameters.dispose();
    for (const tensor of [this.rotary.cos, this.rotary.sin, this.rotary.rotateHalf]) tensor.dispose();
  }
}
