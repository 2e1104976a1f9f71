import { Rng } from '@rlgf/core';
import type { AlgorithmModule } from './algorithm';
import { aggrevatedPlan, ppoPlusPlusPlan } from './iteration-plan';

/** LOLS: each iteration is PPO++ with probability `lolsMixing`, else AggreVaTeD. */
export const lols: AlgorithmModule = (settings, seed) => {
  const ppoPlusPlus = ppoPlusPlusPlan(settings.ppoPlusPlusBeta);
  const aggrevated = aggrevatedPlan(settings.aggrevatedBeta, settings.aggrevatedAdvantage);
  return {
    name: 'lols',
    critics: ['policy', 'guide'],
    usesGuide: true,
    // Each iteration's coin has its own stream: the choice does not depend on earlier draws.
    planFor: (iteration) => (Rng.fromSeed(seed, 'lols-coin', iteration).bernoulli(settings.lolsMixing) ? ppoPlusPlus : aggrevated),
  };
};
