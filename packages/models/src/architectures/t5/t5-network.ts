import * as tf from '@tensorflow/tfjs-core';
import type { CrossAttentionMemory, DecoderInputs, Seq2SeqNetwork } from '../../model/seq2seq-network';
import { activations } from '../../nn/activations';
import { maskedScore } from '../../nn/attention';
import { linear } from '../../nn/linear';
import { rmsNorm } from '../../nn/norms';
import type { WeightMap } from '../../weights/weight-map';
import type { ForwardOutputs } from '../causal-lm';
import { ParameterSet } from '../parameters';
import { tiedEmbedding, untiedEmbedding, type TokenEmbedding } from '../token-embedding';
import { splitHeads, t5Attention } from './t5-attention';
import type { T5Config } from './t5-config';
import { relativePositionBias, type RelativePositionSettings } from './t5-relative-position';
import { loadT5Parameters, saveT5Parameters, t5LoraSites } from './t5-weights';
import type { LoraSite } from '../../lora/lora-site';

/** Additive causal mask [1, 1, s, Tk]: query i (decoder position start + i) sees keys j <= start + i. */
function causalBias(start: number, steps: number, keys: number): tf.Tensor4D {
  const bias = new Float32Array(steps * keys);
  for (let i = 0; i < steps; i++) for (let j = start + i + 1; j < keys; j++) bias[i * keys + j] = maskedScore;
  return tf.tensor4d(bias, [1, 1, steps, keys]);
}

/** Additive padding mask [B, 1, 1, S] from a float mask [B, S] (1 real, 0 padding). */
function paddingBias(mask: tf.Tensor2D): tf.Tensor4D {
  const [batch, length] = mask.shape;
  return tf.reshape(tf.mul(tf.sub(1, mask), maskedScore), [batch, 1, 1, length]);
}

/**
 * `T5ForConditionalGeneration`: pre-norm encoder and decoder stacks with T5LayerNorm (RMS, no
 * mean, no bias), unscaled attention with relative position buckets (bidirectional in the
 * encoder, causal in the decoder; learned in the first layer of each stack and shared by all its
 * layers), cross-attention without positions, a ReLU or gated feed-forward, and an LM head that
 * is the shared embedding (output rescaled by d_model^-0.5) or a separate matrix. No dropout.
 */
export class T5Network implements Seq2SeqNetwork {
  private readonly parameters: ParameterSet;
  private readonly embedding: TokenEmbedding;
  private readonly encoderPositions: RelativePositionSettings;
  private readonly decoderPositions: RelativePositionSettings;

  constructor(
    readonly config: T5Config,
    /** Weights to load, or the parameters of a copy made on the device (see `copy`). */
    source: WeightMap | ParameterSet,
    options: { readonly trainable: boolean },
  ) {
    if (source instanceof ParameterSet) {
      this.parameters = source;
    } else {
      this.parameters = new ParameterSet(options.trainable);
      loadT5Parameters(config, source, this.parameters);
    }
    this.embedding = config.tieWordEmbeddings
      ? tiedEmbedding(this.parameters.get('head'))
      : untiedEmbedding(this.parameters.get('embed'), this.parameters.get('head'));
    const buckets = { numBuckets: config.relativeBuckets, maxDistance: config.relativeMaxDistance };
    this.encoderPositions = { ...buckets, bidirectional: true };
    this.decoderPositions = { ...buckets, bidirectional: false };
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

  encode(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D {
    const { numHeads, headDim, numLayers, hiddenSize, layerNormEps: eps } = this.config;
    const [batch, steps] = ids.shape;
    const inner = numHeads * headDim;
    const p = this.parameters;
    const positions = relativePositionBias(p.get('enc.relativeBias'), 0, steps, steps, this.encoderPositions);
    const bias = tf.add(positions, paddingBias(mask)) as tf.Tensor4D;
    let hidden: tf.Tensor2D = this.embedding.lookup(ids);
    for (let layer = 0; layer < numLayers; layer++) {
      const l = `enc.${layer}`;
      const qkv = linear(rmsNorm(hidden, p.get(`${l}.selfNorm`), eps), p.get(`${l}.qkv`)) as tf.Tensor2D;
      const heads = (offset: number) => splitHeads(tf.slice(qkv, [0, offset], [batch * steps, inner]), batch, steps, numHeads, headDim);
      hidden = tf.add(hidden, linear(t5Attention(heads(0), heads(inner), heads(2 * inner), bias), p.get(`${l}.o`)));
      hidden = tf.add(hidden, this.feedForward(l, rmsNorm(hidden, p.get(`${l}.ffNorm`), eps) as tf.Tensor2D));
    }
    return tf.reshape(rmsNorm(hidden, p.get('enc.norm'), eps), [batch, steps, hiddenSize]);
  }

  crossAttentionMemory(encoded: tf.Tensor3D, mask: tf.Tensor2D): CrossAttentionMemory {
    const { numHeads, headDim, numDecoderLayers, hiddenSize } = this.config;
    const [batch, steps] = mask.shape;
    const inner = numHeads * headDim;
    const flat = tf.reshape(encoded, [batch * steps, hiddenSize]);
    const keys: tf.Tensor4D[] = [];
    const values: tf.Tensor4D[] = [];
    for (let layer = 0; layer < numDecoderLayers; layer++) {
      const kv = linear(flat, this.parameters.get(`dec.${layer}.crossKv`)) as tf.Tensor2D;
      keys.push(splitHeads(tf.slice(kv, [0, 0], [batch * steps, inner]), batch, steps, numHeads, headDim));
      values.push(splitHeads(tf.slice(kv, [0, inner], [batch * steps, inner]), batch, steps, numHeads, headDim));
    }
    return { keys, values, bias: paddingBias(mask) };
  }

  decode(inputs: DecoderInputs): ForwardOutputs {
    const { numHeads, headDim, numDecoderLayers, hiddenSize: d, layerNormEps: eps } = this.config;
    const [batch, steps] = inputs.ids.shape;
    const rows = batch * steps;
    const inner = numHeads * headDim;
    const p = this.parameters;
    const keyLength = inputs.cache?.capacity ?? steps;
    const positions = relativePositionBias(p.get('dec.relativeBias'), inputs.start, steps, keyLength, this.decoderPositions);
    const selfBias = tf.add(positions, causalBias(inputs.start, steps, keyLength)) as tf.Tensor4D;
    let hidden: tf.Tensor2D = this.embedding.lookup(inputs.ids);
    for (let layer = 0; layer < numDecoderLayers; layer++) {
      const l = `dec.${layer}`;
      const qkv = linear(rmsNorm(hidden, p.get(`${l}.selfNorm`), eps), p.get(`${l}.qkv`)) as tf.Tensor2D;
      const part = (offset: number) => tf.slice(qkv, [0, offset], [rows, inner]);
      let keys: tf.Tensor4D;
      let values: tf.Tensor4D;
      if (inputs.cache === undefined) {
        keys = splitHeads(part(inner), batch, steps, numHeads, headDim);
        values = splitHeads(part(2 * inner), batch, steps, numHeads, headDim);
      } else {
        const asColumns = (x: tf.Tensor2D) => tf.reshape(x, [batch, steps, numHeads, headDim]) as tf.Tensor4D;
        inputs.cache.write(layer, asColumns(part(inner)), asColumns(part(2 * inner)), inputs.start);
        keys = inputs.cache.key(layer);
        values = inputs.cache.value(layer);
      }
      const query = splitHeads(part(0), batch, steps, numHeads, headDim);
      hidden = tf.add(hidden, linear(t5Attention(query, keys, values, selfBias), p.get(`${l}.o`)));
      const crossQuery = linear(rmsNorm(hidden, p.get(`${l}.crossNorm`), eps), p.get(`${l}.crossQ`)) as tf.Tensor2D;
      const crossed = t5Attention(splitHeads(crossQuery, batch, steps, numHeads, headDim), inputs.memory.keys[layer], inputs.memory.values[layer], inputs.memory.bias);
      hidden = tf.add(hidden, linear(crossed, p.get(`${l}.crossO`)));
      hidden = tf.add(hidden, this.feedForward(l, rmsNorm(hidden, p.get(`${l}.ffNorm`), eps) as tf.Tensor2D));
    }
    const normed = rmsNorm(hidden, p.get('dec.norm'), eps) as tf.Tensor2D;
    const last = inputs.lastPositionOnly && steps > 1 ? (tf.reshape(tf.slice(tf.reshape(normed, [batch, steps, d]), [0, steps - 1, 0], [batch, 1, d]), [batch, d]) as tf.Tensor2D) : normed;
    const headInput = this.config.tieWordEmbeddings ? (tf.mul(last, d ** -0.5) as tf.Tensor2D) : last;
    const logits = tf.reshape(this.embedding.project(headInput), [batch, inputs.lastPositionOnly ? 1 : steps, -1]) as tf.Tensor3D;
    return { logits, hidden: tf.reshape(normed, [batch, steps, d]) as tf.Tensor3D };
  }

  async toWeightMap(): Promise<WeightMap> {
    return saveT5Parameters(this.config, await this.parameters.readAll());
  }

  /** An independent network with this one's weights, copied on the device (no host round trip). */
  copy(options: { readonly trainable: boolean }): T5Network {
    return new T5Network(this.config, this.parameters.copy(options.trainable), options);
  }

  loraSites(): LoraSite[] {
    return t5LoraSites(this.config, this.parameters);
  }

  dispose(): void {
    this.parameters.dispose();
  }

  private feedForward(layer: string, x: tf.Tensor2D): tf.Tensor2D {
    const act = activations[this.config.activation];
    const size = this.config.feedForwardSize;
    const up = linear(x, this.parameters.get(`${layer}.wi`)) as tf.Tensor2D;
    const inner = this.config.gated ? tf.mul(act(tf.slice(up, [0, 0], [x.shape[0], size])), tf.slice(up, [0, size], [x.shape[0], size])) : act(up);
    return linear(inner, this.parameters.get(`${layer}.wo`)) as tf.Tensor2D;
  }
}
