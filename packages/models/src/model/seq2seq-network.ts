import type * as tf from '@tensorflow/tfjs-core';
import type { ForwardOutputs } from '../architectures/causal-lm';
import type { LoraSite } from '../lora/lora-site';
import type { KvCache } from '../nn/kv-cache';
import type { WeightMap } from '../weights/weight-map';

/** What generation, scoring and caches need to know about an encoder-decoder network. */
export interface Seq2SeqConfig {
  /** `config.json`'s `model_type`. */
  readonly modelType: string;
  readonly vocabSize: number;
  /** Width of the decoder's hidden states (the input of the LM head and of a value head). */
  readonly hiddenSize: number;
  readonly numDecoderLayers: number;
  readonly numHeads: number;
  readonly headDim: number;
  /** The length the model was trained at (informational: relative positions set no hard limit). */
  readonly maxPositions: number;
  /** The first decoder input of every sequence (T5: the pad id). */
  readonly decoderStartTokenId: number;
  readonly eosTokenIds: readonly number[];
  readonly padTokenId?: number;
  /** The `config.json` this was parsed from, saved back with the weights. */
  readonly json: Readonly<Record<string, unknown>>;
}

/**
 * What the decoder reads of the encoded prompts in every layer: cross-attention keys and values
 * [B, heads, S, headDim] per decoder layer, and the additive bias [B, 1, 1, S] that hides the
 * prompts' padding.
 */
export interface CrossAttentionMemory {
  readonly keys: readonly tf.Tensor4D[];
  readonly values: readonly tf.Tensor4D[];
  readonly bias: tf.Tensor4D;
}

/** One decoder pass over `s` new decoder positions of a batch of B rows. */
export interface DecoderInputs {
  /** Decoder input ids, int32 [B, s]. */
  readonly ids: tf.Tensor2D;
  /** Decoder position of the first column (0 for a whole sequence, the step with a cache). */
  readonly start: number;
  readonly memory: CrossAttentionMemory;
  /** Read and extend the self-attention cache: the new positions occupy columns [start, start + s). */
  readonly cache?: KvCache;
  /** Compute logits for the last position only (generation): [B, 1, V]. */
  readonly lastPositionOnly?: boolean;
}

/**
 * An encoder-decoder network built by an architecture module. Decoder rows never need padding
 * masks: every row starts at the decoder start token, and right padding only follows the
 * positions that matter. All methods work inside `tf.variableGrads`.
 */
export interface Seq2SeqNetwork {
  readonly config: Seq2SeqConfig;
  readonly variables: readonly tf.Variable[];
  /** The variables the decoder hidden states depend on (all but an untied LM head). */
  readonly hiddenStateVariables: readonly tf.Variable[];
  readonly trainable: boolean;
  readonly parameterCount: number;
  /** Encoder states [B, S, hidden] of prompts `ids` [B, S] (int32) with `mask` [B, S] (float32, 1 real). */
  encode(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D;
  /** The cross-attention keys and values of every decoder layer for encoder states (computed once per generation). */
  crossAttentionMemory(encoded: tf.Tensor3D, mask: tf.Tensor2D): CrossAttentionMemory;
  /** Logits and final decoder hidden states (after the last norm, before any head rescaling). */
  decode(inputs: DecoderInputs): ForwardOutputs;
  /** Host copy of every weight under its Hugging Face name, PyTorch layout (read asynchronously: webgpu has no synchronous read). */
  toWeightMap(): Promise<WeightMap>;
  /** An independent network with the same weights, copied on the device (frozen copies, critic trunks). */
  copy(options: { readonly trainable: boolean }): Seq2SeqNetwork;
  /** The linear modules a LoRA adapter may target (absent: the network cannot be adapted). */
  loraSites?(): readonly LoraSite[];
  dispose(): void;
}
