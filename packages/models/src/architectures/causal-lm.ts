import type * as tf from '@tensorflow/tfjs-core';
import type { LoraSite } from '../lora/lora-site';
import type { KvCache } from '../nn/kv-cache';
import type { WeightMap } from '../weights/weight-map';

/** What generation, scoring and caches need to know about a decoder-only network. */
export interface CausalLmConfig {
  /** `config.json`'s `model_type`. */
  readonly modelType: string;
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim: number;
  readonly maxPositions: number;
  readonly bosTokenId?: number;
  readonly eosTokenIds: readonly number[];
  readonly padTokenId?: number;
  /** The `config.json` this was parsed from, saved back with the weights. */
  readonly json: Readonly<Record<string, unknown>>;
}

/** One forward pass over `s` new positions of a batch of B rows. */
export interface ForwardInputs {
  /** Token ids, int32 [B, s]. */
  readonly ids: tf.Tensor2D;
  /** Position ids (HF convention: real tokens before the column), int32 [B, s]. */
  readonly positions: tf.Tensor2D;
  /** Additive attention bias [B, 1, s, Tk] (see `attentionBias`); Tk = s, or the cache capacity. */
  readonly bias: tf.Tensor4D;
  /** Read and extend this cache: the new positions occupy columns [start, start + s). */
  readonly cache?: { readonly cache: KvCache; readonly start: number };
  /** Compute logits for the last position only (generation): [B, 1, V]. */
  readonly lastPositionOnly?: boolean;
}

export interface ForwardOutputs {
  /** [B, s, V], or [B, 1, V] with `lastPositionOnly`. */
  readonly logits: tf.Tensor3D;
  /** Final hidden states after the last norm, [B, s, hiddenSize] (the input of the LM head). */
  readonly hidden: tf.Tensor3D;
}

/**
 * A causal LM network built by an architecture module: its variables, a forward pass usable
 * inside `tf.variableGrads`, and its weights back in Hugging Face names and layout.
 */
export interface CausalLmNetwork {
  readonly config: CausalLmConfig;
  /** Trainable (or frozen, see `trainable`) variables in a stable order. */
  readonly variables: readonly tf.Variable[];
  /** The variables the final hidden states depend on (all but an untied LM head); default `variables`. */
  readonly hiddenStateVariables?: readonly tf.Variable[];
  readonly trainable: boolean;
  readonly parameterCount: number;
  forward(inputs: ForwardInputs): ForwardOutputs;
  /** Host copy of every weight under its Hugging Face name, PyTorch layout (read asynchronously: webgpu has no synchronous read). */
  toWeightMap(): Promise<WeightMap>;
  /** An independent network with the same weights, copied on the device (frozen copies, critic trunks). */
  copy(options: { readonly trainable: boolean }): CausalLmNetwork;
  /** The linear modules a LoRA adapter may target (absent: the network cannot be adapted). */
  loraSites?(): readonly LoraSite[];
  dispose(): void;
}

/** How a network is built from its weights. */
export interface NetworkBuildOptions {
  readonly trainable: boolean;
  /** Told one line when the checkpoint lacks tensors the module starts at a default (zero biases). */
  readonly warn?: (message: string) => void;
}

/**
 * One model family (`llama`, `gpt2`): how to read its config, and how to build a network from a
 * WeightMap. New families are new modules passed to the registry, never a new `case`.
 */
export interface ArchitectureModule {
  /** `config.json` `model_type` values this module reads. */
  readonly modelTypes: readonly string[];
  /** `config.json` `architectures` entries this module builds (e.g. `LlamaForCausalLM`). */
  readonly architectures: readonly string[];
  parseConfig(json: Readonly<Record<string, unknown>>): CausalLmConfig;
  build(config: CausalLmConfig, weights: WeightMap, options: NetworkBuildOptions): CausalLmNetwork;
  /** Hugging Face weight names and shapes this config needs (for random init and checks). */
  weightShapes(config: CausalLmConfig): ReadonlyMap<string, readonly number[]>;
  /** Fresh weights where the family's initialisation differs from `randomWeightMap`'s (Gemma's zero-offset norms). */
  randomWeights?(config: CausalLmConfig, options: { readonly seed: number; readonly std?: number }): WeightMap;
  /**
   * The names of the family's linear modules as PEFT matches `target_modules` (the last component
   * of the module path: `q_proj`, `query_key_value`, …): what a LoRA adapter of this family targets.
   */
  readonly loraTargetModules: readonly string[];
}
