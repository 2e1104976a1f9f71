import * as tf from '@tensorflow/tfjs-core';
import type { KvCache } from './kv-cache';

/** Where a layer's keys and values come from: the current sequence only, or a cache. */
export interface AttentionCacheSlot {
  readonly cache: KvCache;
  readonly layer: number;
  /** Cache column of the first of the `s` new positions. */
  readonly start: number;
}

/**
 * Scaled dot-product attention with grouped-query heads. `query` [B, s, H, Dh], `key`/`value`
 * [B, s, Hkv, Dh]; `bias` [B, 1, s, Tk] is added to the scores (0 to attend, a large negative
 * number to mask), with Tk = s without a cache or the cache capacity with one. Returns
 * [B, s, H·Dh].
 *
 * The H query heads are grouped by the key/value head they share (head h reads kv head
 * h / (H/Hkv), as Hugging Face's `repeat_kv`), so keys and values are never tiled.
 */
export function attention(
  query: tf.Tensor4D,
  key: tf.Tensor4D,
  value: tf.Tensor4D,
  bias: tf.Tensor4D,
  slot?: AttentionCacheSlot,
  scores: AttentionScores = {},
): tf.Tensor3D {
  const [batch, steps, heads, headDim] = query.shape;
  const kvHeads = key.shape[2];
  const group = heads / kvHeads;
  let keys: tf.Tensor4D;
  let values: tf.Tensor4D;
  if (slot === undefined) {
    keys = tf.transpose(key, [0, 2, 1, 3]);
    values = tf.transpose(value, [0, 2, 1, 3]);
  } else {
    slot.cache.write(slot.layer, key, value, slot.start);
    keys = slot.cache.key(slot.layer);
    values = slot.cache.value(slot.layer);
  }
  const keyLength = keys.shape[2];
  // [B, Hkv, G·s, Dh]: for one step this is a reshape, no data movement.
  const grouped =
    steps === 1
      ? tf.reshape(query, [batch, kvHeads, group, headDim])
      : tf.reshape(tf.transpose(query, [0, 2, 1, 3]), [batch, kvHeads, group * steps, headDim]);
  let scaled = tf.mul(tf.matMul(grouped, keys, false, true), scores.scale ?? 1 / Math.sqrt(headDim));
  if (scores.softcap !== undefined) scaled = tf.mul(tf.tanh(tf.div(scaled, scores.softcap)), scores.softcap);
  const masked = tf.add(tf.reshape(scaled, [batch, kvHeads, group, steps, keyLength]), tf.reshape(bias, [batch, 1, 1, steps, keyLength]));
  const weights = tf.reshape(tf.softmax(masked), [batch, kvHeads, group * steps, keyLength]);
  const mixed = tf.matMul(weights, values);
  const perHead =
    steps === 1
      ? tf.reshape(mixed, [batch, 1, heads * headDim])
      : tf.reshape(tf.transpose(tf.reshape(mixed, [batch, heads, steps, headDim]), [0, 2, 1, 3]), [batch, steps, heads * headDim]);
  return perHead as tf.Tensor3D;
}

/** How scores are formed from q·k: a scale other than 1/√headDim, Gemma 2's `cap·tanh(s/cap)` before the mask. */
export interface AttentionScores {
  readonly scale?: number;
  readonly softcap?: number;
}

/** The additive value that masks a score (finite, so fully masked padding rows stay finite). */
export const maskedScore = -1e9;
