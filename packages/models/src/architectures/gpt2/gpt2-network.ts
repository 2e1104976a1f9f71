import * as tf from '@tensorflow/tfjs-core';
import { activations } from '../../nn/activations';
import { linear } from '../../nn/linear';
import { layerNorm } from '../../nn/norms';
import { selfAttention } from '../../nn/self-attention';
import type { WeightMap } from '../../weights/weight-map';
import type { CausalLmNetwork, ForwardInputs, ForwardOutputs, NetworkBuildOptions } from '../causal-lm';
import { projectHidden } from '../project-hidden';
import { ParameterSet } from '../parameters';
import { newlyInitializedWarning } from '../weight-checks';
import { tiedEmbedding, type TokenEmbedding } from '../token-embedding';
import type { Gpt2Config } from './gpt2-config';
import { gpt2LoraSites, loadGpt2Parameters, saveGpt2Parameters } from './gpt2-weights';
import type { LoraSite } from '../../lora/lora-site';

/** `GPT2LMHeadModel`: learned positions, pre-LayerNorm blocks, fused QKV, tied LM head. */
export class Gpt2Network implements CausalLmNetwork {
  private readonly parameters: ParameterSet;
  private readonly embedding: TokenEmbedding;

  constructor(
    readonly config: Gpt2Config,
    /** Weights to load, or the parameters of a copy made on the device (see `copy`). */
    source: WeightMap | ParameterSet,
    options: NetworkBuildOptions,
  ) {
    if (source instanceof ParameterSet) {
      this.parameters = source;
    } else {
      this.parameters = new ParameterSet(options.trainable);
      const newlyInitialized = loadGpt2Parameters(config, source, this.parameters);
      if (newlyInitialized.length > 0) options.warn?.(newlyInitializedWarning(newlyInitialized));
    }
    this.embedding = tiedEmbedding(this.parameters.get('head'));
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
    const { numHeads, headDim, hiddenSize: d, layerNormEps: eps } = this.config;
    const [batch, steps] = inputs.ids.shape;
    const rows = batch * steps;
    const p = this.parameters;
    const act = activations[this.config.activation];
    const positions = tf.gather(p.get('wpe'), tf.reshape(inputs.positions, [rows]));
    // Activations stay 2-D [B·s, features] (see LlamaNetwork.forward).
    let hidden: tf.Tensor2D = tf.add(this.embedding.lookup(inputs.ids), positions);
    for (let layer = 0; layer < this.config.numLayers; layer++) {
      const l = `layers.${layer}`;
      const x = layerNorm(hidden, p.get(`${l}.ln1.gamma`), p.get(`${l}.ln1.beta`), eps);
      const qkv = linear(x, p.get(`${l}.attn.w`), p.get(`${l}.attn.b`)) as tf.Tensor2D;
      const slot = inputs.cache && { cache: inputs.cache.cache, layer, start: inputs.cache.start };
      const attended = selfAttention({ qkv, batch, steps, heads: numHeads, kvHeads: numHeads, headDim, positions: inputs.positions, bias: inputs.bias, slot });
      hidden = tf.add(hidden, linear(attended, p.get(`${l}.attnProj.w`), p.get(`${l}.attnProj.b`)));
      const y = layerNorm(hidden, p.get(`${l}.ln2.gamma`), p.get(`${l}.ln2.beta`), eps);
      const inner = act(linear(y, p.get(`${l}.fc.w`), p.get(`${l}.fc.b`)));
      hidden = tf.add(hidden, linear(inner, p.get(`${l}.mlpProj.w`), p.get(`${l}.mlpProj.b`)));
    }
    const normed = layerNorm(hidden, p.get('lnf.gamma'), p.get('lnf.beta'), eps) as tf.Tensor2D;
    return projectHidden(this.embedding, normed, batch, steps, d, inputs.lastPositionOnly);
  }

  async toWeightMap(): Promise<WeightMap> {
    return saveGpt2Parameters(this.config, await this.parameters.readAll());
  }

  /** An independent network with this one's weights, copied on the device (no host round trip). */
  copy(options: { readonly trainable: boolean }): Gpt2Network {
    return new Gpt2Network(this.config, this.parameters.copy(options.trainable), options);
  }

  loraSites(): LoraSite[] {
    return gpt2LoraSites(this.config, this.parameters);
  }

  dispose(): void {
    this.parameters.dispose();
  }
}
