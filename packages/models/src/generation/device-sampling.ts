import * as tf from '@tensorflow/tfjs-core';
import type { DecodingV1 } from '@rlgf/contracts';

/**
 * Token choice on the device, for backends whose tensors live off the host (webgpu, tensorflow):
 * the same temperature, top-k, top-p and inverse-CDF draw as the host processors
 * (logits-processors.ts, token-choice.ts), as tensor ops on [B, V] scores, so decoding never waits
 * on a read of the logits. Each function is pure and owns no tensor it returns.
 */

const smallestNormalFloat32 = 2 ** -126;

/** Divides by `temperature`; a quotient that would overflow float32 is taken after subtracting each row's best score (see `temperatureProcessor`). */
export function temperatureScores(scores: tf.Tensor2D, temperature: number): tf.Tensor2D {
  if (temperature === 1) return scores;
  return tf.tidy(() => {
    const best = tf.max(scores, 1, true);
    // Below float32's smallest normal number the temperature may round (or be flushed) to 0 on the
    // device: take the limit directly, the best tokens at 0 and the rest at -Infinity.
    if (temperature < smallestNormalFloat32) return tf.where(tf.equal(scores, best), tf.zerosLike(scores), tf.fill(scores.shape, -Infinity)) as tf.Tensor2D;
    const overflows = tf.logicalAnd(tf.isFinite(best), tf.logicalNot(tf.isFinite(tf.div(best, temperature))));
    const shift = tf.where(overflows, best, tf.zerosLike(best));
    return tf.div(tf.sub(scores, shift), temperature);
  });
}

/** Keeps each row's `k` best scores (ties at the k-th value kept too); 0 keeps all. */
export function topKScores(scores: tf.Tensor2D, k: number): tf.Tensor2D {
  const vocab = scores.shape[1];
  if (k <= 0 || k >= vocab) return scores;
  return tf.tidy(() => {
    const threshold = tf.slice(tf.topk(scores, k).values, [0, k - 1], [-1, 1]);
    return tf.where(tf.less(scores, threshold), tf.fill(scores.shape, -Infinity), scores);
  });
}

/**
 * Nucleus filtering per row: keeps the most likely tokens whose probabilities first reach `p` (the
 * token that crosses `p` included, ties with it too, at least one token); 1 keeps all.
 */
export function topPScores(scores: tf.Tensor2D, p: number): tf.Tensor2D {
  if (p >= 1) return scores;
  const vocab = scores.shape[1];
  return tf.tidy(() => {
    const probabilities = tf.softmax(scores);
    const sorted = tf.topk(probabilities, vocab).values;
    // The crossing token is the first whose running total reaches p: as many precede it as totals fall short.
    const shortfall = tf.sum(tf.cast(tf.less(tf.cumsum(sorted, 1), p), 'int32'), 1);
    const crossing = tf.minimum(shortfall, tf.scalar(vocab - 1, 'int32')) as tf.Tensor1D;
    const threshold = tf.reshape(pickColumns(sorted, crossing), [-1, 1]);
    return tf.where(tf.less(probabilities, threshold), tf.fill(scores.shape, -Infinity), scores);
  });
}

/** Sets the scores of `tokenIds` to -Infinity in the rows where `rows` is true ([B] bool). */
export function suppressTokenScores(scores: tf.Tensor2D, tokenIds: readonly number[], rows: tf.Tensor1D): tf.Tensor2D {
  const [batch, vocab] = scores.shape;
  const inVocabulary = tokenIds.filter((id) => id >= 0 && id < vocab);
  if (inVocabulary.length === 0) return scores;
  return tf.tidy(() => {
    const columns = new Uint8Array(vocab);
    for (const id of inVocabulary) columns[id] = 1;
    const suppressed = tf.logicalAnd(tf.reshape(rows, [batch, 1]), tf.tensor2d(columns, [1, vocab], 'bool'));
    return tf.where(suppressed, tf.fill(scores.shape, -Infinity), scores);
  });
}

/** The processors of a sampling decoding in the documented order: temperature, top-k, top-p. */
export function processScores(scores: tf.Tensor2D, decoding: DecodingV1): tf.Tensor2D {
  if (decoding.strategy !== 'sample') return scores;
  return tf.tidy(() => topPScores(topKScores(temperatureScores(scores, decoding.temperature ?? 1), decoding.topK ?? 0), decoding.topP ?? 1));
}

/**
 * One draw per row from softmax(scores) by inverting the CDF with that row's uniform number in
 * `uniforms` ([B], in [0, 1)): the first token whose cumulative probability exceeds it, or the last
 * token of non-zero probability when rounding leaves the total below it (as `sampleToken`).
 */
export function sampleTokens(scores: tf.Tensor2D, uniforms: tf.Tensor1D): tf.Tensor1D {
  const [batch, vocab] = scores.shape;
  return tf.tidy(() => {
    const probabilities = tf.softmax(scores);
    const below = tf.lessEqual(tf.cumsum(probabilities, 1), tf.reshape(uniforms, [batch, 1]));
    const drawn = tf.sum(tf.cast(below, 'int32'), 1);
    // The largest index of non-zero probability (a max over indices: argMax's choice among ties is
    // the first index on cpu and wasm, not on webgpu).
    const lastPossible = tf.max(tf.where(tf.greater(probabilities, 0), columnIndices(batch, vocab), tf.fill([batch, vocab], -1, 'int32')), 1);
    return tf.minimum(drawn, lastPossible) as tf.Tensor1D;
  });
}

/** The first index of each row's best score, as the host's `argmax` (webgpu's argMax picks another among ties). */
export function firstBestTokens(scores: tf.Tensor2D): tf.Tensor1D {
  const [batch, vocab] = scores.shape;
  return tf.tidy(() => tf.min(tf.where(tf.equal(scores, tf.max(scores, 1, true)), columnIndices(batch, vocab), tf.fill([batch, vocab], vocab, 'int32')), 1) as tf.Tensor1D);
}

/** [batch, width] int32, each row 0 … width − 1. */
function columnIndices(batch: number, width: number): tf.Tensor2D {
  return tf.tile(tf.range(0, width, 1, 'int32').reshape([1, width]), [batch, 1]) as tf.Tensor2D;
}

/** log softmax(logits)[row, tokens[row]] for every row. */
export function tokenLogProbs(logits: tf.Tensor2D, tokens: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => pickColumns(tf.logSoftmax(logits), tokens));
}

/**
 * matrix[row, columns[row]] for every row, by one gather on the flattened matrix (the wasm
 * backend's gather ignores `batchDims`).
 */
function pickColumns(matrix: tf.Tensor2D, columns: tf.Tensor1D): tf.Tensor1D {
  const [rows, width] = matrix.shape;
  return tf.tidy(() => tf.gather(tf.reshape(matrix, [-1]), tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(width, 'int32')), columns)) as tf.Tensor1D);
}
