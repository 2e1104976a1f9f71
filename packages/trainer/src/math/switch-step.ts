import type { Rng } from '@rlgf/core';

/**
 * The roll-in → roll-out switch step of one sample: with probability β a step k drawn uniformly
 * from {1, …, L−1} (L = roll-in length), otherwise 0 (no roll-in: the roll-out policy writes
 * everything). Draw order is fixed (coin, then step) so a seeded stream is reproducible.
 */
export function sampleSwitchStep(rng: Rng, beta: number, rollInLength: number): number {
  const switches = rng.bernoulli(beta);
  if (!switches || rollInLength < 2) return 0;
  return 1 + rng.nextInt(rollInLength - 1);
}
