import * as tf from '@tensorflow/tfjs-core';
import { wasmStepKernelName } from '../../backend/fused-kernels';
import { stepLayerInputs } from '../../backend/llama-step-kernel';
import { threadCount, threadingMinimumRows } from '../../backend/threads/thread-count';
import { fused } from '../../nn/fused-ops';
import { loraTouches } from '../../nn/lora-scope';
import type { RotaryEmbedding } from '../../nn/rotary';
import type { ForwardInputs, ForwardOutputs } from '../causal-lm';
import type { LlamaConfig } from './llama-config';

/** The weights a whole-step kernel reads, named as its inputs; built once per network. */
export interface LlamaStepWeights {
  readonly named: tf.NamedTensorMap;
  /** The weights a LoRA adapter may touch (any touched keeps the per-layer path). */
  readonly adaptable: readonly tf.Tensor[];
}

export function llamaStepWeights(parameter: (name: string) => tf.Variable, config: LlamaConfig): LlamaStepWeights {
  const named: tf.NamedTensorMap = { head: parameter('head'), norm: parameter('norm') };
  if (!config.tieWordEmbeddings) named['embed'] = parameter('embed');
  const adaptable = [named['head'], ...(named['embed'] ? [named['embed']] : [])];
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const name of stepLayerInputs) if (name !== 'keys' && name !== 'values') named[`layers.${layer}.${name}`] = parameter(`layers.${layer}.${name}`);
    adaptable.push(...['qkv', 'o', 'gateUp', 'down'].map((name) => named[`layers.${layer}.${name}`]));
  }
  return { named, adaptable };
}

/** Names of the per-layer cache inputs, made once per layer count. */
const cacheInputNames = new Map<number, readonly (readonly [string, string])[]>();

function cacheNames(layers: number): readonly (readonly [string, string])[] {
  let names = cacheInputNames.get(layers);
  if (names === undefined) {
    names = Array.from({ length: layers }, (_, layer) => [`layers.${layer}.keys`, `layers.${layer}.values`] as const);
    cacheInputNames.set(layers, names);
  }
  return names;
}

/**
 * A decoding step (one new token per row, an in-place cache, the last position's logits) of the
 * whole network as one kernel, where the backend has it (wasm) and the batch is small: below the
 * rows at which products split over threads, or on one thread, per-kernel overhead is most of a
 * step. Undefined when the step cannot run that way (the caller runs the layers one by one);
 * the logits are bit-identical either way. A LoRA adapter on any weight keeps the per-layer path.
 */
export function llamaStep(inputs: ForwardInputs, weights: LlamaStepWeights, config: LlamaConfig, rotary: RotaryEmbedding): ForwardOutputs | undefined {
  const [batch, steps] = inputs.ids.shape;
  const slot = inputs.cache;
  if (steps !== 1 || !inputs.lastPositionOnly || slot === undefined || !slot.cache.writesInPlace() || !fused(wasmStepKernelName)) return undefined;
  if (batch >= threadingMinimumRows() && threadCount() > 1) return undefined;
  if (loraTouches(...weights.adaptable)) return undefined;
  const tensors: tf.NamedTensorMap = { ...weights.named, ids: inputs.ids, positions: inputs.positions, cos: rotary.cos, sin: rotary.sin, bias: inputs.bias };
  cacheNames(config.numLayers).forEach(([keys, values], layer) => {
    tensors[keys] = slot.cache.key(layer);
    tensors[values] = slot.cache.value(layer);
  });
  const attrs = { layers: config.numLayers, heads: config.numHeads, start: slot.start, eps: config.rmsNormEps };
  const [logits, hidden] = tf.engine().runKernel(wasmStepKernelName, tensors, attrs) as tf.Tensor3D[];
  return { logits, hidden };
}
