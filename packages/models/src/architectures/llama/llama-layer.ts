import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelNames } from '../../backend/fused-kernels';
import type { AttentionCacheSlot } from '../../nn/attention';
import { fused, swiGlu } from '../../nn/fused-ops';
import { linear } from '../../nn/linear';
import { loraTouches } from '../../nn/lora-scope';
import { rmsNorm } from '../../nn/norms';
import type { RotaryEmbedding } from '../../nn/rotary';
import { selfAttention } from '../../nn/self-attention';
import type { LlamaConfig } from './llama-config';

/** The parameters of one decoder layer, [in, out] matrices with q/k/v and gate/up fused. */
export interface LlamaLayerWeights {
  readonly inputNorm: tf.Tensor1D;
  readonly qkv: tf.Tensor2D;
  readonly o: tf.Tensor2D;
  readonly postNorm: tf.Tensor1D;
  readonly gateUp: tf.Tensor2D;
  readonly down: tf.Tensor2D;
}

export interface LlamaLayerInputs {
  /** [B·s, hidden]. */
  readonly hidden: tf.Tensor2D;
  readonly weights: LlamaLayerWeights;
  /** The attention and norm settings the layer reads (any Llama-shaped family's). */
  readonly config: Pick<LlamaConfig, 'numHeads' | 'numKvHeads' | 'headDim' | 'rmsNormEps'>;
  readonly batch: number;
  readonly steps: number;
  readonly rotary: { readonly embedding: RotaryEmbedding; readonly angles: () => { cos: tf.Tensor4D; sin: tf.Tensor4D } };
  readonly positions: tf.Tensor2D;
  readonly bias: tf.Tensor4D;
  readonly slot?: AttentionCacheSlot;
}

/**
 * One Llama decoder layer: h + attention(norm1(h)), then + MLP(norm2(·)). A decoding step (one new
 * position per row, an in-place cache, no tape) is one kernel where the backend has it: at batch
 * 1 a step is bound by per-kernel overhead, not arithmetic. Otherwise the layer is composed of
 * ops (prompt passes run their big products on XNNPACK; training differentiates them).
 */
export function llamaLayer(inputs: LlamaLayerInputs): tf.Tensor2D {
  const { hidden, weights: w, config, batch, steps, rotary, positions, bias, slot } = inputs;
  const { numHeads, numKvHeads, headDim, rmsNormEps: eps } = config;
  // The whole-layer kernel reads the base weights only; a layer with LoRA updates runs the ops
  // below, whose products still use the fused kernels and add the low-rank update beside them.
  const adapted = loraTouches(w.qkv, w.o, w.gateUp, w.down);
  if (steps === 1 && slot !== undefined && slot.cache.writesInPlace() && !adapted && fused(fusedKernelNames.llamaLayer)) {
    const tensors: tf.NamedTensorMap = {
      hidden,
      ...w,
      positions,
      cos: rotary.embedding.cos,
      sin: rotary.embedding.sin,
      keys: slot.cache.key(slot.layer),
      values: slot.cache.value(slot.layer),
      bias,
    };
    return tf.engine().runKernel(fusedKernelNames.llamaLayer, tensors, { heads: numHeads, start: slot.start, eps }) as tf.Tensor2D;
  }
  const qkv = linear(rmsNorm(hidden, w.inputNorm, eps), w.qkv) as tf.Tensor2D;
  const attended = selfAttention({ qkv, batch, steps, heads: numHeads, kvHeads: numKvHeads, headDim, rotary, positions, bias, slot });
  const residual = tf.add(hidden, linear(attended, w.o)) as tf.Tensor2D;
  const gateUp = linear(rmsNorm(residual, w.postNorm, eps), w.gateUp) as tf.Tensor2D;
  return tf.add(residual, linear(swiGlu(gateUp), w.down)) as tf.Tensor2D;
}
