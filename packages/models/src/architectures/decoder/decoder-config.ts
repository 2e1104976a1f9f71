import { ModelFormatError } from '@rlgf/contracts';
import { isActivationName, type ActivationName } from '../../nn/activations';
import type { CausalLmConfig } from '../causal-lm';
import { ConfigReader } from '../config-fields';
import { readRopeScaling, type RopeScaling } from '../rope';

/**
 * A rotary decoder-only transformer as the families after Llama vary it: what each family's
 * config parser produces and {@link DecoderNetwork} runs. The Llama-shaped case (RMSNorm, no
 * biases, SwiGLU, sequential residual, 1/√d scores) runs the fused decoding-layer kernel; every
 * other variation runs composite ops (see decoder-layer.ts).
 */
export interface DecoderConfig extends CausalLmConfig {
  readonly intermediateSize: number;
  /** RMSNorm `x̂·w`, Gemma's `x̂·(1 + w)`, or LayerNorm with a bias (GPT-NeoX). */
  readonly norm: 'rms' | 'rms-offset' | 'layer';
  readonly normEps: number;
  /** Rotary embeddings on the first `rotaryDim` features of each query and key head. */
  readonly rope: { readonly theta: number; readonly rotaryDim: number; readonly scaling?: RopeScaling };
  readonly activation: ActivationName;
  /** `act(gate)·up` (Llama, Gemma) or a plain `act(fc)` MLP (GPT-NeoX). */
  readonly gatedMlp: boolean;
  readonly biases: { readonly qkv: boolean; readonly o: boolean; readonly mlp: boolean };
  /** Qwen3: RMSNorm of each query and key head before the rotation. */
  readonly qkNorm: boolean;
  /** `sequential` (Llama), `parallel` (GPT-NeoX: h + attn(n1(h)) + mlp(n2(h))), `sandwich` (Gemma 2: norms after attention and MLP too). */
  readonly residual: 'sequential' | 'parallel' | 'sandwich';
  /** Multiplier of the token embeddings (Gemma: √hidden). */
  readonly embeddingScale?: number;
  /** Multiplier of q·k (1/√headDim unless `query_pre_attn_scalar` says otherwise). */
  readonly attentionScale: number;
  /** `cap·tanh(scores/cap)` before the mask (Gemma 2). */
  readonly attentionSoftcap?: number;
  /** `cap·tanh(logits/cap)` on the LM head (Gemma 2). */
  readonly finalLogitSoftcap?: number;
  /** Per layer: a query sees the last `window` cache columns (itself included), or all of them. */
  readonly slidingWindows: readonly (number | undefined)[];
  readonly tieWordEmbeddings: boolean;
}

/** The fields every rotary decoder's `config.json` shares, read with the names transformers uses. */
export function readDecoderBasics(
  json: Readonly<Record<string, unknown>>,
  modelType: string,
  defaults: { readonly tie: boolean; readonly eps: number; readonly epsField?: string },
) {
  const read = new ConfigReader(json);
  const hiddenSize = read.positiveInteger('hidden_size');
  const numHeads = read.positiveInteger('num_attention_heads');
  const numKvHeads = read.positiveInteger('num_key_value_heads', numHeads);
  const headDimField = json['head_dim'];
  const headDim = headDimField === null ? Math.floor(hiddenSize / numHeads) : read.positiveInteger('head_dim', Math.floor(hiddenSize / numHeads));
  if (numHeads % numKvHeads !== 0 || headDim % 2 !== 0) {
    throw new ModelFormatError({
      file: 'config.json',
      message: `num_attention_heads ${numHeads}, num_key_value_heads ${numKvHeads}, head_dim ${headDim}: heads must be a multiple of key/value heads and head_dim even`,
      hint: 'check the attention fields of config.json',
    });
  }
  return {
    read,
    config: {
      modelType,
      vocabSize: read.positiveInteger('vocab_size'),
      hiddenSize,
      numLayers: read.positiveInteger('num_hidden_layers'),
      numHeads,
      numKvHeads,
      headDim,
      maxPositions: read.positiveInteger('max_position_embeddings', 2048),
      bosTokenId: read.tokenIds('bos_token_id')[0],
      eosTokenIds: read.tokenIds('eos_token_id'),
      padTokenId: read.tokenIds('pad_token_id')[0],
      intermediateSize: read.positiveInteger('intermediate_size'),
      normEps: read.number(defaults.epsField ?? 'rms_norm_eps', defaults.eps),
      tieWordEmbeddings: read.boolean('tie_word_embeddings', defaults.tie),
      attentionScale: 1 / Math.sqrt(headDim),
      json,
    },
  };
}

/** `hidden_act` (or another field) as an activation this package implements, or a one-line error. */
export function readActivation(read: ConfigReader, field: string, fallback: ActivationName): ActivationName {
  const name = read.string(field, fallback);
  if (!isActivationName(name)) {
    throw new ModelFormatError({ file: 'config.json', message: `${field} = ${JSON.stringify(name)} is not supported`, hint: 'supported: silu, gelu, gelu_new, gelu_pytorch_tanh, relu' });
  }
  return name;
}

/** The rotary settings: `rope_theta` (default `theta`), the rotating fraction of a head, `rope_scaling`. */
export function readRope(
  json: Readonly<Record<string, unknown>>,
  read: ConfigReader,
  headDim: number,
  fraction: { readonly field: string; readonly value: number },
  options: { readonly theta?: number; readonly allowed?: readonly RopeScaling['type'][] } = {},
) {
  const rotaryDim = Math.floor(headDim * fraction.value);
  if (rotaryDim % 2 !== 0 || rotaryDim === 0) {
    throw new ModelFormatError({ file: 'config.json', message: `${fraction.field} = ${fraction.value} gives ${rotaryDim} rotary features of head_dim ${headDim}`, hint: 'the rotating features must be a positive even number' });
  }
  return { theta: read.number('rope_theta', options.theta ?? 10000), rotaryDim, scaling: readRopeScaling(json, options.allowed) };
}

/** A sliding window field: null for full attention, absent for the family's default, else a positive integer. */
export function readWindow(read: ConfigReader, json: Readonly<Record<string, unknown>>, field: string, fallback?: number): number | undefined {
  if (json[field] === null) return undefined;
  return json[field] === undefined ? fallback : read.positiveInteger(field);
}

/** True when scores are the plain q·k/√headDim the fused kernels compute (no other scale, no soft-cap). */
export function hasStandardScores(config: DecoderConfig): boolean {
  return config.attentionSoftcap === undefined && Math.abs(config.attentionScale * Math.sqrt(config.headDim) - 1) < 1e-12;
}
