import * as tf from '@tensorflow/tfjs-core';
import { attention, type AttentionCacheSlot, type AttentionScores } from './attention';
import { cachedAttentionFused, cachedAttentionKernel } from './fused-ops';
import { applyRotary, type RotaryEmbedding } from './rotary';

/** One layer's self-attention from its fused q/k/v projection. */
export interface SelfAttentionInputs {
  /** [B·s, (H + 2·Hkv)·Dh]: query, key and value heads side by side. */
  readonly qkv: tf.Tensor2D;
  readonly batch: number;
  readonly steps: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  /** Rotary embeddings of queries and keys (Llama); absent for learned positions (GPT-2). */
  readonly rotary?: {
    readonly embedding: RotaryEmbedding;
    /** cos/sin rows of the positions, [B, s, 1, Dh] (computed once per forward pass, on demand). */
    readonly angles: () => { cos: tf.Tensor4D; sin: tf.Tensor4D };
  };
  /** Position ids, int32 [B, s]. */
  readonly positions: tf.Tensor2D;
  /** Additive attention bias [B, 1, s, Tk] (see `attentionBias`). */
  readonly bias: tf.Tensor4D;
  readonly slot?: AttentionCacheSlot;
  /** Non-standard scores (Gemma 2); the fused kernel computes the standard ones only. */
  readonly scores?: AttentionScores;
}

/**
 * Attention output [B·s, H·Dh]. With an in-place cache and no gradient tape (generation) this is
 * one fused kernel where the backend has it (rotation, cache write, scores, softmax, mixing);
 * otherwise the composite of slices, rotary products and batched products.
 */
export function selfAttention(inputs: SelfAttentionInputs): tf.Tensor2D {
  const { qkv, batch, steps, heads, kvHeads, headDim, rotary, positions, bias, slot, scores } = inputs;
  if (slot !== undefined && scores === undefined && slot.cache.writesInPlace() && cachedAttentionFused()) {
    return cachedAttentionKernel({
      qkv,
      positions,
      rotary: rotary && { cos: rotary.embedding.cos, sin: rotary.embedding.sin },
      keys: slot.cache.key(slot.layer),
      values: slot.cache.value(slot.layer),
      bias,
      heads,
      start: slot.start,
    });
  }
  const rows = batch * steps;
  const heads4d = (x: tf.Tensor, count: number) => tf.reshape(x, [batch, steps, count, headDim]) as tf.Tensor4D;
  const columns = (x: tf.Tensor2D, first: number, count: number) => tf.slice(x, [0, first * headDim], [rows, count * headDim]);
  let queryKey: tf.Tensor2D = columns(qkv, 0, heads + kvHeads);
  if (rotary) {
    // Queries and keys are rotated together: one rotation for both.
    queryKey = tf.reshape(applyRotary(heads4d(queryKey, heads + kvHeads), rotary.angles(), rotary.embedding.rotateHalf), [rows, (heads + kvHeads) * headDim]);
  }
  const query = heads4d(columns(queryKey, 0, heads), heads);
  const key = heads4d(columns(queryKey, heads, kvHeads), kvHeads);
  const value = heads4d(columns(qkv, heads + kvHeads, kvHeads), kvHeads);
  return tf.reshape(attention(query, key, value, bias, slot, scores), [rows, heads * headDim]) as tf.Tensor2D;
}
