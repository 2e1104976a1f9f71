import { Rng } from '@rlgf/core';
import { z } from 'zod';
import { defineAlgorithm } from './algorithm';
import { aggrevatedPlan, ppoPlusPlusPlan } from './iteration-plan';
import { aggrevatedAdvantage, aggrevatedBeta, ppoPlusPlusBeta } from './settings';

/** LOLS: each iteration is PPO++ with probability `lolsMixing`, else AggreVaTeD. */
export const lols = defineAlgorithm({
  name: 'lols',
  description: 'LOLS: each iteration PPO++ with probability lolsMixing, else AggreVaTeD',
  settings: z.strictObject({
    ppoPlusPlusBeta,
    aggrevatedBeta,
    aggrevatedAdvantage,
    lolsMixing: z.number().min(0).max(1).default(0.5).describe('LOLS: probability that an iteration is PPO++ (otherwise AggreVaTeD).'),
  }),
  schedule: (settings, { seed }) => {
    const ppoPlusPlus = ppoPlusPlusPlan(settings.ppoPlusPlusBeta);
    const aggrevated = aggrevatedPlan(settings.aggrevatedBeta, settings.aggrevatedAdvantage);
    return {
      name: 'lols',
      critics: ['policy', 'guide'],
      usesGuide: true,
      groupSize: 1,
      // Each iteration's coin has its own stream: the choice does not depend on earlier draws.
      planFor: (iteration) => (Rng.fromSeed(seed, 'lols-coin', iteration).bernoulli(settings.lolsMixing) ? ppoPlusPlus : aggrevated),
    };
  },
});
