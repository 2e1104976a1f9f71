import * as tf from '@tensorflow/tfjs-core';
import { activations } from '../../nn/activations';
import type { AttentionCacheSlot } from '../../nn/attention';
import { swiGlu } from '../../nn/fused-ops';
import { linear } from '../../nn/linear';
import { rmsNorm } from '../../nn/norms';
import type { RotaryEmbedding } from '../../nn/rotary';
import { selfAttention } from '../../nn/self-attention';
import { hasStandardScores, type DecoderConfig } from './decoder-config';

/** One layer's parameters (internal names, [in, out] matrices); optional ones per the config. */
export type DecoderLayerWeights = (name: string) => tf.Tensor;

export interface DecoderLayerInputs {
  /** [B·s, hidden]. */
  readonly hidden: tf.Tensor2D;
  readonly weight: DecoderLayerWeights;
  readonly config: DecoderConfig;
  readonly batch: number;
  readonly steps: number;
  readonly rotary: { readonly embedding: RotaryEmbedding; readonly angles: () => { cos: tf.Tensor4D; sin: tf.Tensor4D } };
  readonly positions: tf.Tensor2D;
  /** The attention bias of this layer (its sliding window applied). */
  readonly bias: tf.Tensor4D;
  readonly slot?: AttentionCacheSlot;
}

/** The config's norm of `x` with the parameters `name` (and `name`Bias for LayerNorm). */
export function decoderNorm(config: DecoderConfig, weight: DecoderLayerWeights, x: tf.Tensor, name: string): tf.Tensor2D {
  if (config.norm === 'layer') {
    // LayerNorm is RMSNorm of the centred input: 4 kernels with the fused RMSNorm instead of 9
    // (GPT-NeoX decodes one token with 2 norms per layer).
    const centred = tf.sub(x, tf.mean(x, -1, true));
    return tf.add(rmsNorm(centred, weight(name) as tf.Tensor1D, config.normEps), weight(`${name}Bias`)) as tf.Tensor2D;
  }
  // Gemma's scale is stored as an offset from one; adding it here keeps the stored bits intact.
  const scale = config.norm === 'rms-offset' ? (tf.add(weight(name), 1) as tf.Tensor1D) : (weight(name) as tf.Tensor1D);
  return rmsNorm(x, scale, config.normEps) as tf.Tensor2D;
}

const optional = (present: boolean, weight: DecoderLayerWeights, name: string) => (present ? (weight(name) as tf.Tensor1D) : undefined);

/** Qwen3's per-head RMSNorm of the query and key columns of `qkv` [rows, (H + 2·Hkv)·Dh]. */
function normalizeQueryKey(qkv: tf.Tensor2D, config: DecoderConfig, weight: DecoderLayerWeights): tf.Tensor2D {
  const { numHeads: h, numKvHeads: kv, headDim: dh, normEps } = config;
  const rows = qkv.shape[0];
  const perHead = (first: number, count: number, name: string) =>
    tf.reshape(rmsNorm(tf.reshape(tf.slice(qkv, [0, first * dh], [rows, count * dh]), [rows * count, dh]), weight(name) as tf.Tensor1D, normEps), [rows, count * dh]);
  return tf.concat([perHead(0, h, 'qNorm'), perHead(h, kv, 'kNorm'), tf.slice(qkv, [0, (h + kv) * dh], [rows, kv * dh])], 1) as tf.Tensor2D;
}

function attentionBlock(x: tf.Tensor2D, inputs: DecoderLayerInputs): tf.Tensor2D {
  const { config, weight, batch, steps, rotary, positions, bias, slot } = inputs;
  let qkv = linear(x, weight('qkv') as tf.Tensor2D, optional(config.biases.qkv, weight, 'qkvBias')) as tf.Tensor2D;
  if (config.qkNorm) qkv = normalizeQueryKey(qkv, config, weight);
  const attended = selfAttention({
    qkv,
    batch,
    steps,
    heads: config.numHeads,
    kvHeads: config.numKvHeads,
    headDim: config.headDim,
    rotary,
    positions,
    bias,
    slot,
    scores: hasStandardScores(config) ? undefined : { scale: config.attentionScale, softcap: config.attentionSoftcap },
  });
  return linear(attended, weight('o') as tf.Tensor2D, optional(config.biases.o, weight, 'oBias')) as tf.Tensor2D;
}

function mlpBlock(x: tf.Tensor2D, config: DecoderConfig, weight: DecoderLayerWeights): tf.Tensor2D {
  const act = activations[config.activation];
  const downBias = optional(config.biases.mlp, weight, 'downBias');
  if (!config.gatedMlp) {
    const inner = act(linear(x, weight('fc') as tf.Tensor2D, optional(config.biases.mlp, weight, 'fcBias')));
    return linear(inner, weight('down') as tf.Tensor2D, downBias) as tf.Tensor2D;
  }
  const gateUp = linear(x, weight('gateUp') as tf.Tensor2D) as tf.Tensor2D;
  let inner: tf.Tensor2D;
  if (config.activation === 'silu') {
    inner = swiGlu(gateUp);
  } else {
    const [rows, width] = gateUp.shape;
    inner = tf.mul(act(tf.slice(gateUp, [0, 0], [rows, width / 2])), tf.slice(gateUp, [0, width / 2], [rows, width / 2]));
  }
  return linear(inner, weight('down') as tf.Tensor2D, downBias) as tf.Tensor2D;
}

/**
 * One decoder layer composed of ops, for every variation the fused Llama kernel does not cover
 * (biases, q/k norms, LayerNorm, GeGLU, soft-capping, parallel or sandwich residuals). Attention
 * still takes the fused cached-attention kernel on decoding steps when its scores are standard.
 */
export function decoderLayer(inputs: DecoderLayerInputs): tf.Tensor2D {
  const { hidden, config, weight } = inputs;
  const norm = (x: tf.Tensor, name: string) => decoderNorm(config, weight, x, name);
  const attended = attentionBlock(norm(hidden, 'inputNorm'), inputs);
  if (config.residual === 'parallel') return tf.addN([hidden, attended, mlpBlock(norm(hidden, 'postNorm'), config, weight)]) as tf.Tensor2D;
  if (config.residual === 'sandwich') {
    const residual = tf.add(hidden, norm(attended, 'postNorm')) as tf.Tensor2D;
    return tf.add(residual, norm(mlpBlock(norm(residual, 'preFfnNorm'), config, weight), 'postFfnNorm')) as tf.Tensor2D;
  }
  const residual = tf.add(hidden, attended) as tf.Tensor2D;
  return tf.add(residual, mlpBlock(norm(residual, 'postNorm'), config, weight)) as tf.Tensor2D;
}
