import * as tf from '@tensorflow/tfjs-core';
import { wasmStepKernelName } from '../../backend/fused-kernels';
import { stepLayerInputs } from '../../backend/llama-step-kernel';
import { threadCount, threadingMinimumRows } from '../../backend/threads/thread-count';
import { fused } from '../../nn/fused-ops';
import { loraTouches } from '../../nn/lora-scope';
import type { RotaryEmbedding } from '../../nn/rotary';
import type { ForwardInputs, ForwardOutputs } from '../causal-lm';
import type { LlamaConfig } from './llama-config';

/** What a whole-step kernel reads of a Llama network. */
export interface LlamaStepWeights {
  readonly parameter: (name: string) => tf.Variable;
  readonly config: LlamaConfig;
  readonly rotary: RotaryEmbedding;
}

/**
 * A decoding step (one new token per row, an in-place cache, the last position's logits) of the
 * whole network as one kernel, where the backend has it (wasm) and the batch is small: below the
 * rows at which products split over threads, or on one thread, per-kernel overhead is most of a
 * step. Undefined when the step cannot run that way (the caller runs the layers one by one);
 * the logits are bit-identical either way. A LoRA adapter on any weight keeps the per-layer path.
 */
export function llamaStep(inputs: ForwardInputs, { parameter, config, rotary }: LlamaStepWeights): ForwardOutputs | undefined {
  const [batch, steps] = inputs.ids.shape;
  const slot = inputs.cache;
  if (steps !== 1 || !inputs.lastPositionOnly || slot === undefined || !slot.cache.writesInPlace() || !fused(wasmStepKernelName)) return undefined;
  if (batch >= threadingMinimumRows() && threadCount() > 1) return undefined;
  const layerWeights = Array.from({ length: config.numLayers }, (_, layer) => ['qkv', 'o', 'gateUp', 'down'].map((name) => parameter(`layers.${layer}.${name}`)));
  const head = parameter('head');
  const embed = config.tieWordEmbeddings ? undefined : parameter('embed');
  if (loraTouches(head, ...(embed ? [embed] : []), ...layerWeights.flat())) return undefined;
  const tensors: tf.NamedTensorMap = { ids: inputs.ids, positions: inputs.positions, cos: rotary.cos, sin: rotary.sin, bias: inputs.bias, head, norm: parameter('norm') };
  if (embed) tensors['embed'] = embed;
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const name of stepLayerInputs) {
      tensors[`layers.${layer}.${name}`] =
        name === 'keys' ? slot.cache.key(layer) : name === 'values' ? slot.cache.value(layer) : parameter(`layers.${layer}.${name}`);
    }
  }
  const attrs = { layers: config.numLayers, heads: config.numHeads, start: slot.start, eps: config.rmsNormEps };
  const [logits, hidden] = tf.engine().runKernel(wasmStepKernelName, tensors, attrs) as tf.Tensor3D[];
  return { logits, hidden };
}
