import type { DecodingV1 } from '@rlgf/contracts';

/**
 * A logits processor rewrites one row of next-token scores in place (host memory). Processors are
 * small and composable; generation applies them in order to a copy of the model's logits, so the
 * reported log-probs stay those of the unprocessed distribution.
 */
export type LogitsProcessor = (scores: Float32Array) => void;

/**
 * Divides scores by `temperature` (> 0). Softmax ignores a shift, so when the quotient of the best
 * score would overflow float32 (temperatures near 1e-38 and below; the best score became ±Infinity
 * and the softmax NaN) the scores are divided after subtracting the best one: the best tokens get
 * 0, the others a very negative number or -Infinity, which is the distribution's true limit
 * (greedy among the best). Ordinary temperatures divide as before, so seeded draws do not change.
 */
export function temperatureProcessor(temperature: number): LogitsProcessor {
  return (scores) => {
    if (temperature === 1) return;
    const max = maxOf(scores);
    const shift = Number.isFinite(max) && !Number.isFinite(Math.fround(max / temperature)) ? max : 0;
    for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] - shift) / temperature;
  };
}

/** Keeps the `k` best scores (ties at the k-th value kept too); 0 keeps all. */
export function topKProcessor(k: number): LogitsProcessor {
  return (scores) => {
    if (k <= 0 || k >= scores.length) return;
    const threshold = kthLargest(scores, k);
    for (let i = 0; i < scores.length; i++) if (scores[i] < threshold) scores[i] = -Infinity;
  };
}

/**
 * Nucleus filtering: keeps the most likely tokens whose probabilities first reach `p` (the token
 * that crosses `p` included, at least one token kept); 1 keeps all.
 */
export function topPProcessor(p: number): LogitsProcessor {
  return (scores) => {
    if (p >= 1) return;
    const probabilities = softmax(scores);
    const sorted = probabilities.slice().sort().reverse();
    let cumulative = 0;
    let threshold = sorted[0];
    for (const probability of sorted) {
      threshold = probability;
      cumulative += probability;
      if (cumulative >= p) break;
    }
    for (let i = 0; i < scores.length; i++) if (probabilities[i] < threshold) scores[i] = -Infinity;
  };
}

/** Forbids `tokenIds` (EOS before `minNewTokens`). */
export function suppressTokensProcessor(tokenIds: readonly number[]): LogitsProcessor {
  return (scores) => {
    for (const id of tokenIds) if (id >= 0 && id < scores.length) scores[id] = -Infinity;
  };
}

/** The processors of a sampling decoding, in the documented order: temperature, top-k, top-p. */
export function samplingProcessors(decoding: DecodingV1): LogitsProcessor[] {
  if (decoding.strategy !== 'sample') return [];
  return [temperatureProcessor(decoding.temperature ?? 1), topKProcessor(decoding.topK ?? 0), topPProcessor(decoding.topP ?? 1)];
}

/** Numerically stable softmax of a row. */
export function softmax(scores: Float32Array): Float64Array {
  const max = maxOf(scores);
  const result = new Float64Array(scores.length);
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const e = scores[i] === -Infinity ? 0 : Math.exp(scores[i] - max);
    result[i] = e;
    total += e;
  }
  for (let i = 0; i < result.length; i++) result[i] /= total;
  return result;
}

/** log Σ exp(scores), stable. */
export function logSumExp(scores: Float32Array): number {
  const max = maxOf(scores);
  let total = 0;
  for (let i = 0; i < scores.length; i++) total += Math.exp(scores[i] - max);
  return max + Math.log(total);
}

function maxOf(scores: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) if (scores[i] > max) max = scores[i];
  return max;
}

function kthLargest(scores: Float32Array, k: number): number {
  return Float32Array.from(scores).sort()[scores.length - k];
}
