import * as tf from '@tensorflow/tfjs-core';
import { rotaryAngles, type RotaryEmbedding } from '../../nn/rotary';
import type { LoraSite } from '../../lora/lora-site';
import type { WeightMap } from '../../weights/weight-map';
import type { CausalLmNetwork, ForwardInputs, ForwardOutputs, NetworkBuildOptions } from '../causal-lm';
import { llamaLayer, type LlamaLayerWeights } from '../llama/llama-layer';
import { ParameterSet } from '../parameters';
import { projectHidden } from '../project-hidden';
import { createRopeEmbedding, inverseFrequencies } from '../rope';
import { tiedEmbedding, untiedEmbedding, type TokenEmbedding } from '../token-embedding';
import { newlyInitializedWarning } from '../weight-checks';
import { hasStandardScores, type DecoderConfig } from './decoder-config';
import { decoderLayer, decoderNorm } from './decoder-layer';
import type { DecoderWeightLayout } from './decoder-weights';
import { slidingWindowBias } from './sliding-window';

/** True when a layer is Llama's exactly, so the fused decoding-layer kernel computes it. */
function isLlamaShaped(config: DecoderConfig): boolean {
  return (
    config.norm === 'rms' &&
    !config.biases.qkv &&
    !config.biases.o &&
    !config.qkNorm &&
    config.gatedMlp &&
    config.activation === 'silu' &&
    config.residual === 'sequential' &&
    hasStandardScores(config)
  );
}

/**
 * A rotary decoder-only network of any family {@link DecoderConfig} describes (Qwen2/3, Mistral,
 * Gemma 2, Phi-3, GPT-NeoX), its weights named by a {@link DecoderWeightLayout}.
 */
export class DecoderNetwork implements CausalLmNetwork {
  private readonly parameters: ParameterSet;
  private readonly rotary: RotaryEmbedding;
  private readonly embedding: TokenEmbedding;
  /** The settings the fused Llama layer reads, when this family's layers are Llama's. */
  private readonly llamaShaped?: { numHeads: number; numKvHeads: number; headDim: number; rmsNormEps: number };

  constructor(
    readonly config: DecoderConfig,
    private readonly layout: DecoderWeightLayout,
    /** Weights to load, or the parameters of a copy made on the device (see `copy`). */
    source: WeightMap | ParameterSet,
    options: NetworkBuildOptions,
  ) {
    if (source instanceof ParameterSet) {
      this.parameters = source;
    } else {
      this.parameters = new ParameterSet(options.trainable);
      const newlyInitialized = layout.load(config, source, this.parameters);
      if (newlyInitialized.length > 0) options.warn?.(newlyInitializedWarning(newlyInitialized));
    }
    const { rope } = config;
    this.rotary = createRopeEmbedding(config.maxPositions, config.headDim, inverseFrequencies(rope.rotaryDim, rope.theta, rope.scaling));
    this.embedding = config.tieWordEmbeddings
      ? tiedEmbedding(this.parameters.get('head'))
      : untiedEmbedding(this.parameters.get('embed'), this.parameters.get('head'));
    if (isLlamaShaped(config)) this.llamaShaped = { numHeads: config.numHeads, numKvHeads: config.numKvHeads, headDim: config.headDim, rmsNormEps: config.normEps };
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
    const { config } = this;
    const [batch, steps] = inputs.ids.shape;
    const p = this.parameters;
    let angles: { cos: tf.Tensor4D; sin: tf.Tensor4D } | undefined;
    const rotary = { embedding: this.rotary, angles: () => (angles ??= rotaryAngles(this.rotary, inputs.positions)) };
    const start = inputs.cache?.start ?? 0;
    const windowed = new Map<number, tf.Tensor4D>();
    const biasOf = (window: number | undefined) => {
      if (window === undefined) return inputs.bias;
      if (!windowed.has(window)) windowed.set(window, slidingWindowBias(inputs.bias, start, window));
      return windowed.get(window) as tf.Tensor4D;
    };
    let hidden: tf.Tensor2D = this.embedding.lookup(inputs.ids);
    // Gemma rounds √hidden to the activations' dtype before multiplying; float32 here.
    if (config.embeddingScale !== undefined) hidden = tf.mul(hidden, Math.fround(config.embeddingScale));
    for (let layer = 0; layer < config.numLayers; layer++) {
      const weight = (name: string) => p.get(`layers.${layer}.${name}`);
      const common = { hidden, batch, steps, rotary, positions: inputs.positions, bias: biasOf(config.slidingWindows[layer]) };
      const slot = inputs.cache && { cache: inputs.cache.cache, layer, start };
      hidden =
        this.llamaShaped === undefined
          ? decoderLayer({ ...common, slot, config, weight })
          : llamaLayer({ ...common, slot, config: this.llamaShaped, weights: llamaLayerWeights(weight) });
    }
    const normed = decoderNorm(config, (name) => p.get(name), hidden, 'norm');
    const outputs = projectHidden(this.embedding, normed, batch, steps, config.hiddenSize, inputs.lastPositionOnly);
    const cap = config.finalLogitSoftcap;
    return cap === undefined ? outputs : { ...outputs, logits: tf.mul(tf.tanh(tf.div(outputs.logits, cap)), cap) as tf.Tensor3D };
  }

  async toWeightMap(): Promise<WeightMap> {
    return this.layout.save(this.config, await this.parameters.readAll());
  }

  /** An independent network with this one's weights, copied on the device (no host round trip). */
  copy(options: { readonly trainable: boolean }): DecoderNetwork {
    return new DecoderNetwork(this.config, this.layout, this.parameters.copy(options.trainable), options);
  }

  loraSites(): LoraSite[] {
    return this.layout.loraSites?.(this.config, this.parameters) ?? [];
  }

  dispose(): void {
    this.parameters.dispose();
    for (const tensor of [this.rotary.cos, this.rotary.sin, this.rotary.rotateHalf]) tensor.dispose();
  }
}

function llamaLayerWeights(weight: (name: string) => tf.Variable): LlamaLayerWeights {
  return {
    inputNorm: weight('inputNorm') as tf.Tensor1D,
    qkv: weight('qkv') as tf.Tensor2D,
    o: weight('o') as tf.Tensor2D,
    postNorm: weight('postNorm') as tf.Tensor1D,
    gateUp: weight('gateUp') as tf.Tensor2D,
    down: weight('down') as tf.Tensor2D,
  };
}
