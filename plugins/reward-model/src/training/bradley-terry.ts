import * as tf from '@tensorflow/tfjs-core';

/**
 * The Bradley-Terry loss of preference pairs, mean over the batch: −log σ(r_chosen − r_rejected),
 * written as softplus(r_rejected − r_chosen), which stays finite for any margin.
 */
export function bradleyTerryLoss(chosen: tf.Tensor1D, rejected: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.softplus(tf.sub(rejected, chosen))) as tf.Scalar);
}

/** Share of pairs whose chosen summary scores higher; a tie counts as half (a coin flip). */
export function pairwiseAccuracy(chosen: readonly number[], rejected: readonly number[]): number {
  if (chosen.length === 0) return Number.NaN;
  const right = chosen.reduce((sum, score, i) => sum + (score > rejected[i] ? 1 : score === rejected[i] ? 0.5 : 0), 0);
  return right / chosen.length;
}

/** Mean Bradley-Terry loss of scored pairs (host numbers), for held-out reports. */
export function meanPairLoss(chosen: readonly number[], rejected: readonly number[]): number {
  const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  return chosen.reduce((sum, score, i) => sum + softplus(rejected[i] - score), 0) / chosen.length;
}

/**
 * Two-sided p-value of `right` successes in `n` fair coin flips (exact binomial): how likely
 * chance alone is to be at least this far from n/2.
 */
export function binomialTwoSidedP(right: number, n: number): number {
  const logChoose = (k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  const distance = Math.abs(right - n / 2);
  let p = 0;
  for (let k = 0; k <= n; k += 1) if (Math.abs(k - n / 2) >= distance - 1e-9) p += Math.exp(logChoose(k) - n * Math.LN2);
  return Math.min(1, p);
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let k = 2; k <= n; k += 1) sum += Math.log(k);
  return sum;
}
