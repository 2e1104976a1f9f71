import type { Rng } from '@rlgf/core';
import { softmax } from './logits-processors';

/** Index of the largest score (the first one on ties, as llama2.c's argmax). */
export function argmax(scores: Float32Array): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

/** A draw from softmax(scores) by inverting the CDF with one uniform number from `rng`. */
export function sampleToken(scores: Float32Array, rng: Rng): number {
  const probabilities = softmax(scores);
  const u = rng.nextFloat();
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < probabilities.length; i++) {
    if (probabilities[i] === 0) continue;
    cumulative += probabilities[i];
    last = i;
    if (u < cumulative) return i;
  }
  return last;
}
