import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelNames, hasFusedKernel } from '../backend/fused-kernels';
import { silu } from './activations';
import { recordingGradients } from './linear';

/**
 * Inference ops with one fused kernel on the backends that have one (wasm, cpu): generation runs
 * a few hundred kernels per token, and on wasm each costs ~10 µs of engine overhead whatever its
 * size, so fusing is what makes small models fast. Under a gradient tape, and on backends without
 * the kernel, each op runs its composite of ordinary tfjs ops (differentiable, same values).
 * `fused(name)` says whether kernel `name` may run now.
 */
export function fused(name: string): boolean {
  return !recordingGradients() && hasFusedKernel(name);
}

/** Llama's RMSNorm over the last axis: `x / sqrt(mean(x²) + eps) * weight`. */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor1D, eps: number): tf.Tensor {
  if (fused(fusedKernelNames.rmsNorm)) return tf.engine().runKernel(fusedKernelNames.rmsNorm, { x, weight }, { eps }) as tf.Tensor;
  return rmsNormComposite(x, weight, eps);
}

export function rmsNormComposite(x: tf.Tensor, weight: tf.Tensor1D, eps: number): tf.Tensor {
  const meanSquare = tf.mean(tf.square(x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(meanSquare, eps))), weight);
}

/** Llama's MLP gate: `silu(gate) * up` of `gateUp` [rows, 2·inner] = [gate | up]. */
export function swiGlu(gateUp: tf.Tensor2D): tf.Tensor2D {
  if (fused(fusedKernelNames.swiGlu)) return tf.engine().runKernel(fusedKernelNames.swiGlu, { gateUp }, {}) as tf.Tensor2D;
  return swiGluComposite(gateUp);
}

export function swiGluComposite(gateUp: tf.Tensor2D): tf.Tensor2D {
  const [rows, width] = gateUp.shape;
  const gate = tf.slice(gateUp, [0, 0], [rows, width / 2]);
  const up = tf.slice(gateUp, [0, width / 2], [rows, width / 2]);
  return tf.mul(silu(gate), up) as tf.Tensor2D;
}

/** The inputs of {@link cachedAttentionKernel}. */
export interface CachedAttentionInputs {
  /** [B·s, (H + 2·Hkv)·Dh]: query, key and value heads side by side. */
  readonly qkv: tf.Tensor2D;
  /** Rotary positions, int32 [B, s]. */
  readonly positions: tf.Tensor2D;
  /** Rotary tables [positions, Dh] (rotate-half layout); absent without rotary embeddings. */
  readonly rotary?: { readonly cos: tf.Tensor2D; readonly sin: tf.Tensor2D };
  /** The layer's cache buffers [B, Hkv, capacity, Dh], written in place. */
  readonly keys: tf.Tensor4D;
  readonly values: tf.Tensor4D;
  /** Additive mask [B, 1, s, capacity]. */
  readonly bias: tf.Tensor4D;
  readonly heads: number;
  /** Cache column of the first of the s new positions. */
  readonly start: number;
}

/** True when {@link cachedAttentionKernel} can run here (no tape, a kernel on this backend). */
export function cachedAttentionFused(): boolean {
  return fused(fusedKernelNames.cachedAttention);
}

/**
 * Writes the new keys (rotated) and values into the cache buffers in place and attends the new
 * queries to the cache: [B·s, H·Dh]. One kernel; only for buffers owned by a KvCache that writes
 * in place (the composite path is `selfAttention`'s).
 */
export function cachedAttentionKernel(inputs: CachedAttentionInputs): tf.Tensor2D {
  const tensors: tf.NamedTensorMap = { qkv: inputs.qkv, positions: inputs.positions, keys: inputs.keys, values: inputs.values, bias: inputs.bias };
  if (inputs.rotary) Object.assign(tensors, { cos: inputs.rotary.cos, sin: inputs.rotary.sin });
  return tf.engine().runKernel(fusedKernelNames.cachedAttention, tensors, { heads: inputs.heads, start: inputs.start }) as tf.Tensor2D;
}
