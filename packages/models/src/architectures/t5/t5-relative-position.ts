import * as tf from '@tensorflow/tfjs-core';

/** How a T5 stack maps the distance from a query to a key to one of its learned biases. */
export interface RelativePositionSettings {
  /** Encoder: both directions have their own buckets; decoder: only keys before the query count. */
  readonly bidirectional: boolean;
  readonly numBuckets: number;
  readonly maxDistance: number;
}

/**
 * T5's bucket of a relative position `key - query`: half of the buckets are exact small
 * distances, the others grow logarithmically up to `maxDistance`, past which all share the last
 * bucket. The logarithm is taken in float32 and truncated, as transformers' PyTorch code does,
 * so that distances on a bucket boundary (16, 32, 64 with the default settings) land in the
 * same bucket.
 */
export function relativePositionBucket(relative: number, settings: RelativePositionSettings): number {
  const f = Math.fround;
  let buckets = settings.numBuckets;
  let offset = 0;
  let distance: number;
  if (settings.bidirectional) {
    buckets = Math.floor(buckets / 2);
    if (relative > 0) offset = buckets;
    distance = Math.abs(relative);
  } else {
    distance = -Math.min(relative, 0);
  }
  const maxExact = Math.floor(buckets / 2);
  if (distance < maxExact) return offset + distance;
  const logRatio = f(Math.log(f(distance / maxExact)));
  const scaled = f(f(logRatio / f(Math.log(settings.maxDistance / maxExact))) * (buckets - maxExact));
  return offset + Math.min(maxExact + Math.trunc(scaled), buckets - 1);
}

/**
 * One-hot buckets [queries·keys, numBuckets] (host memory) for queries at positions
 * [queryStart, queryStart + queries) and keys at [0, keys). Multiplying it by the learned
 * [numBuckets, heads] table looks the biases up with a plain product, which has a gradient on
 * every backend.
 */
export function relativeBucketOneHot(queryStart: number, queries: number, keys: number, settings: RelativePositionSettings): Float32Array {
  const oneHot = new Float32Array(queries * keys * settings.numBuckets);
  for (let i = 0; i < queries; i++) {
    for (let j = 0; j < keys; j++) {
      const bucket = relativePositionBucket(j - (queryStart + i), settings);
      oneHot[(i * keys + j) * settings.numBuckets + bucket] = 1;
    }
  }
  return oneHot;
}

/** The position bias [1, heads, queries, keys] of a stack from its learned table [numBuckets, heads]. */
export function relativePositionBias(table: tf.Tensor2D, queryStart: number, queries: number, keys: number, settings: RelativePositionSettings): tf.Tensor4D {
  const heads = table.shape[1];
  const oneHot = tf.tensor2d(relativeBucketOneHot(queryStart, queries, keys, settings), [queries * keys, settings.numBuckets]);
  const perPair = tf.reshape(tf.matMul(oneHot, table), [queries, keys, heads]);
  return tf.reshape(tf.transpose(perPair, [2, 0, 1]), [1, heads, queries, keys]);
}
